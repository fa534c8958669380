/* Planning an event: a Print button on printable pages, and the new-event form shows what a single-station event
   teaches only for the kinds that have one station (the fields stay in the page, and work, without JavaScript). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-event-form]").forEach(function (form) {
    var kind = form.querySelector("select[name=kind]");
    var part = form.querySelector("[data-single-station]");
    if (!kind || !part) { return; }
    var single = (part.getAttribute("data-single-station") || "").split(" ");
    var update = function () { part.hidden = single.indexOf(kind.value) < 0; };
    kind.addEventListener("change", update);
    update();
  });
})();
