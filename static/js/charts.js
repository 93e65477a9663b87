// Draws every Plotly figure of the page: a `[data-figure]` element names the json_script holding its figure
// (built server-side by indicators/pages/charts.py). Maps (`data-links`) open the page of the clicked territory;
// maps with `data-choose` send a "territory-choose" event instead (the grouping composer).
// On a phone, bar charts switch to a layout that keeps every label whole: each bar's label is written above it
// across the full width, the legend goes below the chart and the value axis keeps a few upright ticks.
(function () {
  "use strict";

  var PHONE = window.matchMedia("(max-width: 40rem)");
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function isHorizontalBars(figure) {
    return figure.data.length > 0 && figure.data.every(function (trace) {
      return trace.type === "bar" && trace.orientation === "h";
    });
  }

  function phoneLayout(figure) {
    var layout = JSON.parse(JSON.stringify(figure.layout));
    if (!isHorizontalBars(figure)) {
      if (layout.geo) layout.height = 420;
      return layout;
    }
    var labels = layout.yaxis.categoryarray;
    var step = 56;
    layout.yaxis = Object.assign({}, layout.yaxis, { showticklabels: false, automargin: false });
    layout.xaxis = Object.assign({}, layout.xaxis, { nticks: 4, tickangle: 0, automargin: true });
    layout.bargap = 0.55;
    layout.margin = { l: 6, r: 12, t: 16, b: 56 };
    layout.height = 60 + step * labels.length + (figure.data.length > 1 ? 24 * figure.data.length : 0);
    layout.annotations = (layout.annotations || []).concat(labels.map(function (label) {
      return {
        xref: "paper", x: 0, xanchor: "left", yref: "y", y: label, yshift: 12, yanchor: "bottom",
        text: label, showarrow: false, align: "left", font: { size: 13 },
      };
    }));
    if (layout.showlegend) {
      layout.legend = { orientation: "h", x: 0, xanchor: "left", y: -0.08, yanchor: "top" };
      layout.margin.b = 60;
    }
    return layout;
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
    var layout = PHONE.matches ? phoneLayout(figure) : figure.layout;
    element.classList.toggle("chart--phone", PHONE.matches);
    window.Plotly.newPlot(element, figure.data, layout, options).then(function () {
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

  function drawAll() {
    document.querySelectorAll("[data-figure]").forEach(draw);
  }

  drawAll();
  PHONE.addEventListener("change", drawAll);
})();
