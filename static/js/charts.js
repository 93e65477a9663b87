// Draws every Plotly figure of the page: a `[data-figure]` element names the json_script holding its figure
// (built server-side by indicators/pages/charts.py). Maps (`data-links`) open the page of the clicked territory;
// maps with `data-choose` send a "territory-choose" event instead (the grouping composer).
// A script that replaces part of the page draws its new figures with `window.observatoryCharts.drawWithin(element)`.
// On a phone, bar charts switch to a layout that keeps every label whole: each bar's label is written above it
// across the full width (on several lines if need be), the legend goes below the value axis, one entry per line,
// and the value axis keeps a few upright ticks.
(function () {
  "use strict";

  var PHONE = window.matchMedia("(max-width: 40rem)");
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function isHorizontalBars(figure) {
    return figure.data.length > 0 && figure.data.every(function (trace) {
      return trace.type === "bar" && trace.orientation === "h";
    });
  }

  // Characters of a 13px label that fit the chart's width: longer labels and legend names wrap onto more lines.
  function wrap(text, width) {
    var perLine = Math.max(24, Math.floor(width / 7.6));
    var lines = [];
    String(text).split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= perLine) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines;
  }

  function phoneFigure(figure, width) {
    var layout = JSON.parse(JSON.stringify(figure.layout));
    if (!isHorizontalBars(figure)) {
      if (layout.geo) layout.height = 420;
      // Years along a line or column chart: a few upright ticks rather than many turned sideways.
      else if (layout.xaxis) layout.xaxis = Object.assign({}, layout.xaxis, { nticks: 5, tickangle: 0 });
      return { data: figure.data, layout: layout };
    }
    var labels = layout.yaxis.categoryarray;
    var wrapped = labels.map(function (label) { return wrap(label, width); });
    var lines = Math.max.apply(null, wrapped.map(function (label) { return label.length; }).concat([1]));
    // Side-by-side bars (a reference and a scenario) need more room per label than one bar or a stack.
    var bars = layout.barmode === "group" ? figure.data.length : 1;
    var step = 40 + 16 * lines + 14 * (bars - 1);
    layout.yaxis = Object.assign({}, layout.yaxis, { showticklabels: false, automargin: false });
    layout.xaxis = Object.assign({}, layout.xaxis, { nticks: 4, tickangle: 0, automargin: true });
    layout.bargap = 0.55;
    layout.margin = { l: 6, r: 12, t: 16, b: 56 };
    layout.annotations = (layout.annotations || []).concat(labels.map(function (label, index) {
      return {
        xref: "paper", x: 0, xanchor: "left", yref: "y", y: label, yshift: 6 + 7 * bars, yanchor: "bottom",
        text: wrapped[index].join("<br>"), showarrow: false, align: "left", font: { size: 13 },
      };
    }));
    var data = figure.data;
    var plotHeight = step * labels.length;
    if (layout.showlegend) {
      // One legend entry per line, below the value axis and its title: nothing overlaps, no name is cut.
      data = figure.data.map(function (trace) {
        return Object.assign({}, trace, { name: wrap(trace.name || "", width).join("<br>") });
      });
      var legendLines = data.reduce(function (sum, trace) { return sum + trace.name.split("<br>").length; }, 0);
      layout.legend = { orientation: "v", x: 0, xanchor: "left", y: -64 / plotHeight, yanchor: "top" };
      layout.margin.b = 72 + 20 * legendLines;
    }
    layout.height = plotHeight + layout.margin.t + layout.margin.b;
    return { data: data, layout: layout };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var options = Object.assign({}, config);
    if (element.dataset.topojson) {
      // plotly's geo maps load their base layer from this folder (served by the site, not a CDN).
      options.topojsonURL = element.dataset.topojson.replace(/[^/]*$/, "");
      options.scrollZoom = false;
    }
    var shown = PHONE.matches ? phoneFigure(figure, element.clientWidth || 360) : figure;
    element.classList.toggle("chart--phone", PHONE.matches);
    window.Plotly.newPlot(element, shown.data, shown.layout, options).then(function () {
      element.classList.add("chart--drawn");
    });
    if ((element.dataset.links || element.dataset.choose) && !element.dataset.linked) {
      element.dataset.linked = "true";
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point) return;
        if (element.dataset.choose) {
          // The grouping composer adds (or removes) the clicked territory.
          element.dispatchEvent(new CustomEvent("territory-choose", {
            bubbles: true,
            detail: { kind: element.dataset.choose, code: point.location, name: point.text, toggle: true },
          }));
        } else if (point.customdata && point.customdata[0]) {
          window.location.assign(point.customdata[0]);
        }
      });
    }
  }

  function drawWithin(root) {
    root.querySelectorAll("[data-figure]").forEach(draw);
  }

  function drawAll() {
    drawWithin(document);
  }

  drawAll();
  PHONE.addEventListener("change", drawAll);
  window.observatoryCharts = { drawWithin: drawWithin };
})();
