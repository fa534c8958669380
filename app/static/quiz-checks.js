/* Quiz widget "checks" (static/quiz.js): tick boxes, saved at every tick. */
(function () {
  "use strict";
  var HVS = window.HVS = window.HVS || {};
  (HVS.quizWidgets = HVS.quizWidgets || {}).checks = {
    live: true,
    read: function (section) {
      return Array.prototype.map.call(section.querySelectorAll("input[type=checkbox]:checked"),
                                      function (c) { return c.value; });
    },
    restore: function (section, response) {
      section.querySelectorAll("input[type=checkbox]").forEach(function (c) {
        c.checked = Array.isArray(response) && response.indexOf(c.value) >= 0;
      });
    }
  };
}());
