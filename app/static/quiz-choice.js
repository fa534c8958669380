/* Quiz widget "choice" (static/quiz.js): one big button per choice, saved the moment it is pressed. */
(function () {
  "use strict";
  var HVS = window.HVS = window.HVS || {};
  (HVS.quizWidgets = HVS.quizWidgets || {}).choice = {
    live: false,
    read: function (section, button) {
      return button && button.classList.contains("choice") ? button.getAttribute("data-value") : null;
    },
    restore: function (section, response) {
      section.querySelectorAll("button.choice").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-value") === response));
      });
    }
  };
}());
