// « Et si… ? » : redraws the scenario while the levers move. Without this script the page is a plain GET form whose
// query string is the whole state. With it, each change asks the server for the results part alone (same query
// string, `data-fragment-url`), swaps it in, draws its charts, and writes the scenario's address in the location bar
// (history.replaceState), so that the address can be shared or reloaded at any moment.
(function () {
  "use strict";

  var DELAY_MS = 150;
  var form = document.getElementById("scenario-form");
  var results = document.getElementById("scenario-results");
  var announce = document.getElementById("scenario-announce");
  if (!form || !results || !window.fetch || !window.URLSearchParams) return;

  var timer = null;
  var controller = null;
  var sequence = 0;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    return params.toString();
  }

  function showFieldErrors(content) {
    var errors = {};
    content.querySelectorAll("[data-error-field]").forEach(function (item) {
      errors[item.getAttribute("data-error-field")] = item.textContent;
    });
    form.querySelectorAll("[data-error-for]").forEach(function (slot) {
      var name = slot.getAttribute("data-error-for");
      var message = errors[name] || "";
      slot.textContent = message;
      slot.parentElement.classList.toggle("field--error", message !== "");
      var input = form.querySelector("input[type=number][name='" + name + "']");
      if (input) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    });
  }

  function update() {
    var current = ++sequence;
    if (controller) controller.abort();
    controller = typeof AbortController === "function" ? new AbortController() : null;
    results.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-fragment-url") + "?" + query(), {
      headers: { Accept: "text/html" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        if (current !== sequence) return;
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        var content = results.firstElementChild;
        if (!content) return;
        showFieldErrors(content);
        var address = content.getAttribute("data-address");
        if (address) window.history.replaceState(null, "", address);
        if (announce) announce.textContent = content.getAttribute("data-sentence") || "";
        if (window.observatoryCharts) window.observatoryCharts.drawWithin(results);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        results.removeAttribute("aria-busy");
        // Offline, or the server unreachable: say so; the button still sends the form the plain way.
        var notice = document.createElement("p");
        notice.className = "notice";
        notice.setAttribute("role", "alert");
        notice.textContent = "Le scénario n'a pas pu être recalculé : vérifiez la connexion, puis utilisez le bouton « Calculer le scénario ».";
        results.prepend(notice);
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, DELAY_MS);
  }

  form.addEventListener("input", function (event) {
    if (!event.target.hasAttribute("data-reload")) later();
  });
  form.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-reload")) {
      form.submit(); // another release has other levers: the whole page changes
      return;
    }
    later();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    update();
  });
})();
