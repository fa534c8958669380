/* Quiz widget "text" (static/quiz.js): a typed answer, saved with its button (not at every keystroke). */
(function () {
  "use strict";
  var HVS = window.HVS = window.HVS || {};
  (HVS.quizWidgets = HVS.quizWidgets || {}).text = {
    live: false,
    read: function (section) { return section.querySelector("input[name=answer]").value; },
    restore: function (section, response) {
      section.querySelector("input[name=answer]").value = typeof response === "string" ? response : "";
    }
  };
}());
