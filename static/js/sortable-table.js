// Makes `table[data-sortable]` sortable by clicking a column header. Without JavaScript the table stays a plain,
// readable table. Cells sort by their `data-sort-value` (numbers) when present, else by their text (French order).
(function () {
  "use strict";

  var collator = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });

  function key(row, index) {
    var cell = row.cells[index];
    var raw = cell.dataset.sortValue;
    if (raw !== undefined) return raw === "" ? null : parseFloat(raw);
    return cell.textContent.trim();
  }

  function compare(a, b, ascending) {
    if (a === null && b === null) return 0;
    if (a === null) return 1; // rows without a value stay last
    if (b === null) return -1;
    var order = typeof a === "number" ? a - b : collator.compare(a, b);
    return ascending ? order : -order;
  }

  function sortBy(table, index, button) {
    var header = button.parentElement;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) { return compare(key(a, index), key(b, index), ascending); });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, button); });
    });
  });
})();
