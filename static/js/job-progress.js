// Import job page: polls the job's state and moves the progress bar; reloads the page when the job ends
// (to show the validation report or the review). Without JavaScript, a <noscript> meta refresh does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-progress-text]");
  var delay = 1500;

  function poll() {
    fetch(box.dataset.jobStatusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        if (status.finished) {
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
