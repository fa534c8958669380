/* Practical checks without a page reload: a tap posts the tick with fetch and the button then shows what the
   server holds. A refused tick goes back as it was and the learner's card says why (a live region). Without
   this script each tap is the form's ordinary post. */
(function () {
  "use strict";
  var root = document.querySelector("[data-practical]");
  if (!root || !window.fetch || !window.FormData) { return; }

  function paint(form, done, date) {
    var button = form.querySelector("button");
    button.setAttribute("aria-pressed", String(done));
    form.querySelector("[data-icon]").textContent = done ? "✔" : "○";
    form.querySelector("input[name=action]").value = done ? "untick" : "tick";
    var when = form.parentNode.querySelector("[data-when]");
    if (when && date !== null) { when.textContent = date; }
  }
  function say(form, text, refused) {
    var box = form.closest("[data-practical-learner]").querySelector("[data-practical-msg]");
    box.classList.toggle("is-error", Boolean(refused));
    box.textContent = text;
  }

  root.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-practical-form]");
    if (!form) { return; }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") { return; }
    var button = form.querySelector("button");
    var was = button.getAttribute("aria-pressed") === "true";
    var when = form.parentNode.querySelector("[data-when]");
    var wasDate = when ? when.textContent : "";
    var token = (form.querySelector("input[name=csrf_token]") || {}).value || "";
    var body = new FormData(form);
    form.setAttribute("aria-busy", "true");
    paint(form, !was, null);
    say(form, root.getAttribute("data-msg-saving"), false);

    function refuse(why) {
      paint(form, was, wasDate);
      say(form, root.getAttribute("data-msg-refused").replace("{why}", why), true);
    }
    // Not form.action: the form has a field named "action", which that property would return instead.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // Not an answer this script understands (signed out, say): let the ordinary post show the page.
        paint(form, was, wasDate);
        form.removeAttribute("aria-busy");
        form.submit();
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok) {
          paint(form, Boolean(data.done), data.date || "");
          say(form, data.message || "", false);
        } else {
          refuse(data.message || String(response.status));
        }
      });
    }).catch(function () {
      paint(form, was, wasDate);
      say(form, root.getAttribute("data-msg-offline"), true);
    }).then(function () { form.removeAttribute("aria-busy"); });
  });
})();
