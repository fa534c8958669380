/* The ambassador's contact form: "Lưu" puts the contact in the device's outbox (HVS.outbox) instead of posting the
   page, so it is kept with no network and sent later, exactly once. Without this script the form posts as usual. */
(function () {
  "use strict";
  var form = document.querySelector("[data-contact-form]");
  if (!form || !window.HVS || !window.HVS.outbox) { return; }
  var saved = document.querySelector("[data-contact-saved]");
  var refused = document.querySelector("[data-contact-refused]");
  var url = form.getAttribute("data-sync-url");

  function say(el, text) {
    el.textContent = text;
    el.hidden = false;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var mentee = form.querySelector("input[name=mentee_id]:checked");
    var skill = form.elements.skill;
    refused.hidden = true;
    if (!mentee) { say(refused, form.getAttribute("data-msg-choose")); mentee = form.querySelector("input[name=mentee_id]"); mentee.focus(); return; }
    if (!skill.value) { say(refused, form.getAttribute("data-msg-skill")); skill.focus(); return; }
    var canNow = Array.prototype.map.call(form.querySelectorAll("input[name=can_now]:checked"), function (el) { return el.value; });
    window.HVS.outbox.add(url, {
      mentee_id: Number(mentee.value), skill: skill.value, contacted_on: form.elements.contacted_on.value,
      note: form.elements.note.value, can_now: canNow
    });
    say(saved, saved.getAttribute("data-msg-saved").replace("{name}", mentee.getAttribute("data-name")));
    mentee.checked = false;
    skill.value = "";
    form.elements.note.value = "";
    Array.prototype.forEach.call(form.querySelectorAll("input[name=can_now]"), function (el) { el.checked = false; });
    saved.focus();
  });
  window.HVS.outbox.on(function (result) {
    if (result.url !== url || !result.failed.length) { return; }
    say(refused, refused.getAttribute("data-msg-refused").replace("{message}", result.failed.map(function (f) {
      return f.message;
    }).join(" · ")));
  });
}());
