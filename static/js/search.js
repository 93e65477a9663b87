/*
 * Territory search autocomplete (WAI-ARIA 1.2 combobox with a listbox popup).
 * Progressive enhancement: without this script the form submits to /recherche/. A form with `data-choose` (the
 * grouping composer) hands the chosen territory over in a "territory-choose" event instead of opening its page.
 * Configuration comes from data attributes (no inline script: the CSP forbids it).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_CHARS = 2;

  function setup(form) {
    var input = form.querySelector("input[name=q]");
    var listbox = form.querySelector("[role=listbox]");
    var status = form.querySelector("[role=status]");
    var url = form.getAttribute("data-autocomplete-url");
    // With data-choose, picking a suggestion sends a "territory-choose" event instead of opening its page.
    var choose = form.hasAttribute("data-choose");
    if (!input || !listbox || !url) return;

    var timer = null;
    var controller = null;
    var results = [];
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = listbox.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function go(index) {
      var item = results[index];
      if (!item) return;
      if (!choose) {
        window.location.assign(item.url);
        return;
      }
      // Choosing (the grouping composer): hand the territory over and get ready for the next one.
      form.dispatchEvent(new CustomEvent("territory-choose", { bubbles: true, detail: item }));
      input.value = "";
      results = [];
      listbox.textContent = "";
      close();
      input.focus();
    }

    function render(items) {
      results = items;
      listbox.textContent = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "option-name";
        name.textContent = item.name;
        var meta = document.createElement("span");
        meta.className = "option-meta";
        meta.textContent = item.kind_label + " · " + item.code + (item.geography === "2018" ? " · géographie ALDO 2018" : "");
        option.appendChild(name);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(meta);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input
        });
        option.addEventListener("click", function () {
          go(i);
        });
        listbox.appendChild(option);
      });
      if (items.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length + (items.length > 1 ? " suggestions disponibles" : " suggestion disponible") +
          ", flèches haut et bas pour parcourir.";
      } else {
        close();
        status.textContent = "Aucune suggestion. Appuyez sur Entrée pour lancer la recherche.";
      }
      active = -1;
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        results = [];
        listbox.textContent = "";
        close();
        return;
      }
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(render)
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          close(); // the plain form still works
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!open && results.length) {
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
          }
          if (results.length) {
            event.preventDefault();
            setActive(active + 1);
          }
          break;
        case "ArrowUp":
          if (open && results.length) {
            event.preventDefault();
            setActive(active - 1);
          }
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            close();
          } else {
            input.value = "";
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });

    if (choose) {
      form.addEventListener("submit", function (event) {
        event.preventDefault(); // Enter chooses the highlighted (or first) suggestion, the page stays
        if (results.length) go(active >= 0 ? active : 0);
      });
    }
  }

  document.querySelectorAll("form[data-autocomplete-url]").forEach(setup);
})();
