/* The main menu on a phone: one "Menu" button shows and hides it, with the signed-in name and "Sign out" (below
   600 px the stylesheet folds them while the button says closed). Without this script the button stays hidden
   and everything shows in full, as on a wide screen. */
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-button]");
  var nav = button && document.getElementById(button.getAttribute("aria-controls").split(" ")[0]);
  var header = button && button.closest(".site-header");
  if (!nav || !header) { return; }

  function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
  function set(open) {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  }

  document.documentElement.classList.add("has-menu-button");
  button.hidden = false;
  set(false);
  button.addEventListener("click", function () { set(!isOpen()); });
  document.addEventListener("keydown", function (event) {
    // Only while the button is on screen (below 600 px); a wide screen shows the menu regardless.
    if (event.key !== "Escape" || !isOpen() || !button.offsetParent) { return; }
    var inside = header.contains(document.activeElement);
    set(false);
    if (inside) { button.focus(); }
  });
})();
