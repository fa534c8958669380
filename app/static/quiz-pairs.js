/* Quiz widget "pairs" (static/quiz.js): one list per left-hand item ({item key: choice key}), saved at every pick. */
(function () {
  "use strict";
  var HVS = window.HVS = window.HVS || {};
  (HVS.quizWidgets = HVS.quizWidgets || {}).pairs = {
    live: true,
    read: function (section) {
      var pairs = {};
      section.querySelectorAll("select[data-pair]").forEach(function (s) {
        if (s.value !== "") { pairs[s.getAttribute("data-pair")] = s.value; }
      });
      return pairs;
    },
    restore: function (section, response) {
      section.querySelectorAll("select[data-pair]").forEach(function (s) {
        var v = (response || {})[s.getAttribute("data-pair")]; s.value = v === undefined ? "" : String(v);
      });
    }
  };
}());
