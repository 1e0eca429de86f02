// Triage from the keyboard: j/k or the arrows move between rows, a digit puts the focused
// person in that circle (the row's own button, so without this script the buttons work
// alike), x selects the row for the "Selected" buttons. Loaded on every page; it acts only
// where rows marked data-triage-row exist.
(function () {
  "use strict";
  if (window.kithkinTriage) return;
  window.kithkinTriage = true;

  var pending = -1; // the index of the row just decided, to move on once htmx swapped it

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-triage-row]"));
  }

  function focusRow(list, index) {
    if (!list.length) return;
    var row = list[Math.max(0, Math.min(index, list.length - 1))];
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || target.isContentEditable) return true;
    return tag === "input" && target.type !== "checkbox";
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var list = rows();
    if (!list.length) return;
    var current = document.activeElement && document.activeElement.closest("[data-triage-row]");
    var index = current ? list.indexOf(current) : -1;
    var key = event.key;
    if (key === "j" || key === "ArrowDown") {
      event.preventDefault();
      focusRow(list, index + 1);
    } else if (key === "k" || key === "ArrowUp") {
      event.preventDefault();
      focusRow(list, index < 0 ? 0 : index - 1);
    } else if (/^[1-9]$/.test(key) && current) {
      var button = current.querySelector('button[data-key="' + key + '"]');
      if (!button) return;
      event.preventDefault();
      pending = index;
      button.click();
    } else if (key === "x" && current) {
      var box = current.querySelector("[data-triage-select]");
      if (!box) return;
      event.preventDefault();
      box.checked = !box.checked;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (pending < 0) return;
    var list = rows();
    var next = pending + 1;
    pending = -1;
    // The next row still to decide, else the last one.
    while (next < list.length && list[next].hasAttribute("data-triage-done")) next += 1;
    focusRow(list, next);
  });
})();
