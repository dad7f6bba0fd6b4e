// qsi: filters for the showcase home page. Without JavaScript the page shows every
// entry and the filter controls stay hidden.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var category = document.getElementById("filter-category");
  var setting = document.getElementById("filter-setting");
  var status = document.getElementById("filter-status");
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-entry]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-adoption]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-category-section]"));
  var spread = document.getElementById("spread");
  var empty = document.getElementById("filter-empty");

  function matches(element, c, s) {
    return (!c || element.getAttribute("data-category") === c) &&
      (!s || element.getAttribute("data-setting") === s);
  }

  function apply() {
    var c = category.value;
    var s = setting.value;
    var shown = 0;
    cards.forEach(function (card) {
      var visible = matches(card, c, s);
      card.hidden = !visible;
      if (visible) { shown += 1; }
    });
    sections.forEach(function (section) {
      var inCategory = !c || section.getAttribute("data-category") === c;
      var anyVisible = section.querySelector("[data-entry]:not([hidden])") !== null;
      section.hidden = !inCategory || Boolean((c || s) && !anyVisible);
    });
    var rowsShown = 0;
    rows.forEach(function (row) {
      var visible = matches(row, c, s);
      row.hidden = !visible;
      if (visible) { rowsShown += 1; }
    });
    if (spread) { spread.hidden = rows.length > 0 && rowsShown === 0; }
    if (empty) { empty.hidden = shown !== 0; }
    status.textContent = (c || s)
      ? "Showing " + shown + " of " + cards.length + " entries"
      : "Showing all " + cards.length + " entries";
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
}());
