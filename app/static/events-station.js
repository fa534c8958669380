/* A station's tablet (events/station.html): a check-in and each quiz answer go into the browser's outbox
   (outbox.js), sent when the network allows and stored once; the form is cleared for the next person at once.
   The camera button is scan.js's. Without JavaScript the form posts as it is. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("station-form");
  if (!form || !window.HVS || !window.HVS.outbox) { return; }
  var url = form.getAttribute("data-sync-url"), status = document.getElementById("station-status");
  var code = form.elements.code;
  function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }
  function say(text) { status.textContent = text; }
  function fill(template, values) {
    return Object.keys(values).reduce(function (t, k) { return t.split("{" + k + "}").join(values[k]); }, template);
  }
  window.HVS.outbox.on(function (result) {
    if (result.url !== url) { return; }
    result.failed.forEach(function (f) {
      say(fill(msg("refused"), { code: f.entry.fields.label || f.entry.fields.code, message: f.message }));
    });
  });
  form.addEventListener("submit", function (event) {
    var value = code.value.trim(), label = value.length > 12 ? "…" + value.slice(-6) : value.toUpperCase();
    event.preventDefault();
    if (!value) { say(msg("code")); code.focus(); return; }
    var ticks = Array.prototype.map.call(form.querySelectorAll("input[name=tick]:checked"), function (i) { return Number(i.value); });
    window.HVS.outbox.add(url, { kind: "visit", code: value, ticks: ticks, label: label });
    Array.prototype.forEach.call(form.querySelectorAll("[data-question]"), function (fs) {
      var chosen = fs.querySelector("input[type=radio]:checked");
      if (chosen) {
        window.HVS.outbox.add(url, { kind: "answer", code: value, question: Number(fs.getAttribute("data-question")),
                                     choice: chosen.value, label: label });
      }
    });
    say(fill(msg("saved"), { code: label }));
    form.reset();
    code.focus();
  });
});
