// Import job page: polls the job's state and moves the progress bar; reloads the page when the job ends
// (to show the validation report or the review), or when a job waiting for the broker is sent to a worker.
// Without JavaScript, a <noscript> meta refresh does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-progress-text]");
  var delay = 1500;
  var waitingAtLoad = box.dataset.waitingForBroker === "true";

  function poll() {
    fetch(box.dataset.jobStatusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        if (status.finished || status.waiting_for_broker !== waitingAtLoad) {
          window.location.reload();
          return;
        }
        bar.value = status.progress;
        bar.textContent = status.progress + " %";
        text.textContent = status.state_label + " : " + status.progress + " %";
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A network hiccup or a restart of the site: try again a little later.
        window.setTimeout(poll, delay * 2);
      });
  }

  window.setTimeout(poll, delay);
})();
