// Draws every Plotly figure of the page: a `[data-figure]` element names the json_script holding its figure
// (built server-side by indicators/charts.py). Maps (`data-links`) open the page of the clicked territory.
(function () {
  "use strict";

  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

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
    window.Plotly.newPlot(element, figure.data, figure.layout, options).then(function () {
      element.classList.add("chart--drawn");
    });
    if (element.dataset.links) {
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && point.customdata && point.customdata[0]) window.location.assign(point.customdata[0]);
      });
    }
  }

  document.querySelectorAll("[data-figure]").forEach(draw);
})();
