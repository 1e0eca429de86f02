// Copy buttons: <button data-copy="ID"> copies the value of the field with that id.
// The buttons start hidden, so a page where this script did not run shows none.
(function () {
  "use strict";
  if (window.kithkinCopy) return;
  window.kithkinCopy = true;

  function reveal(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function done(button, text) {
    var label = button.textContent;
    button.textContent = text;
    setTimeout(function () { button.textContent = label; }, 1500);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { done(button, "Copied"); },
        function () { done(button, "Press Ctrl+C"); }
      );
    } else {
      done(button, document.execCommand("copy") ? "Copied" : "Press Ctrl+C");
    }
  });

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:load", function (event) { reveal(event.target); });
  if (document.readyState !== "loading") reveal(document);
})();
