/*
 * The grouping composer: the plain form (commune codes, EPCI boxes) stays the one source of truth; this script shows
 * the selection, adds what the search box or the map chooses ("territory-choose" events from search.js and
 * charts.js), removes members, and opens the grouping at its short, shareable address (?communes=…&epcis=…).
 * Progressive enhancement: without it the form works as it is. No inline script (the CSP forbids it).
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-grouping-form]");
  var builder = document.querySelector("[data-grouping-builder]");
  if (!form || !builder) return;
  var communesInput = form.querySelector("input[name=communes]");
  var list = builder.querySelector("[data-selection]");
  var count = builder.querySelector("[data-selection-count]");
  var source = document.getElementById("grouping-names");
  var names = source ? JSON.parse(source.textContent) : {};

  function communeCodes() {
    return communesInput.value.split(",").map(function (code) { return code.trim().toUpperCase(); })
      .filter(function (code) { return code.length > 0; });
  }

  function setCommuneCodes(codes) {
    communesInput.value = codes.join(",");
  }

  function epciBoxes() {
    return Array.prototype.slice.call(form.querySelectorAll("input[name=epcis]"));
  }

  function epciBox(code) {
    return epciBoxes().filter(function (box) { return box.value === code; })[0];
  }

  function epciName(box) {
    var label = form.querySelector("label[for='" + box.id + "']");
    return label ? label.firstChild.textContent.trim() : box.value;
  }

  function selection() {
    var epcis = epciBoxes().filter(function (box) { return box.checked; }).map(function (box) {
      return { kind: "epci", code: box.value, name: epciName(box) };
    });
    var communes = communeCodes().map(function (code) {
      return { kind: "commune", code: code, name: names[code] || code };
    });
    return epcis.concat(communes);
  }

  function announce(text) {
    count.textContent = text;
  }

  // The chosen EPCIs are outlined on the map (once plotly has drawn it: charts.js marks it chart--drawn).
  var map = builder.querySelector(".chart[data-choose]");

  function outlineChosen() {
    if (!map || !window.Plotly || !map.classList.contains("chart--drawn")) return;
    var chosen = {};
    epciBoxes().forEach(function (box) { chosen[box.value] = box.checked; });
    map.data.forEach(function (trace, index) {
      var widths = trace.locations.map(function (code) { return chosen[code] ? 3 : 0.8; });
      var colors = trace.locations.map(function (code) { return chosen[code] ? "#1b1b1f" : "#ffffff"; });
      window.Plotly.restyle(map, { "marker.line.width": [widths], "marker.line.color": [colors] }, [index]);
    });
  }

  if (map && typeof MutationObserver === "function") {
    var drawn = new MutationObserver(function () {
      if (!map.classList.contains("chart--drawn")) return;
      drawn.disconnect();
      outlineChosen();
    });
    drawn.observe(map, { attributes: true, attributeFilter: ["class"] });
  }

  function render(message) {
    var items = selection();
    list.textContent = "";
    items.forEach(function (item) {
      var entry = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = item.name + " (" + (item.kind === "epci" ? "intercommunalité" : "commune") + " " + item.code + ") ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button--small button--secondary";
      remove.textContent = "Retirer";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + item.name;
      remove.appendChild(hidden);
      remove.addEventListener("click", function () {
        removeItem(item);
        var next = list.querySelector("button");
        (next || communesInput).focus();
      });
      entry.appendChild(label);
      entry.appendChild(remove);
      list.appendChild(entry);
    });
    outlineChosen();
    var total = items.length === 0 ? "Aucun membre pour l'instant." :
      items.length + (items.length > 1 ? " membres sélectionnés." : " membre sélectionné.");
    announce(message ? message + " " + total : total);
  }

  function removeItem(item) {
    if (item.kind === "epci") {
      var box = epciBox(item.code);
      if (box) box.checked = false;
    } else {
      setCommuneCodes(communeCodes().filter(function (code) { return code !== item.code; }));
    }
    render(item.name + " retiré de la sélection.");
  }

  function addItem(item) {
    if (item.kind === "epci") {
      var box = epciBox(item.code);
      if (!box) return render(item.name + " n'est pas une intercommunalité de cette géographie.");
      if (box.checked && item.toggle) return removeItem(item);
      box.checked = true;
    } else if (item.kind === "commune") {
      var codes = communeCodes();
      if (codes.indexOf(item.code) < 0) codes.push(item.code);
      setCommuneCodes(codes);
      names[item.code] = item.name;
    } else {
      return;
    }
    render(item.name + " ajouté à la sélection.");
  }

  document.addEventListener("territory-choose", function (event) {
    addItem(event.detail);
  });
  form.addEventListener("change", function () { render(); });

  form.addEventListener("submit", function (event) {
    // The short address: codes comma-separated, as the page and the API read them.
    event.preventDefault();
    var parameters = [];
    var communes = communeCodes();
    var epcis = epciBoxes().filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    if (communes.length) parameters.push("communes=" + communes.map(encodeURIComponent).join(","));
    if (epcis.length) parameters.push("epcis=" + epcis.join(","));
    var geography = form.querySelector("input[name=geographie]");
    if (geography) parameters.push("geographie=" + encodeURIComponent(geography.value));
    window.location.assign(form.getAttribute("action") + "?" + parameters.join("&"));
  });

  builder.hidden = false;
  render();
})();
