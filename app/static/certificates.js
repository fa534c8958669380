/* Issue a class's certificates a batch at a time, showing progress; safe to stop and run again. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-issue]").forEach(function (form) {
    var bar = document.querySelector(form.getAttribute("data-progress"));
    var status = document.querySelector(form.getAttribute("data-status"));
    var button = form.querySelector("button");
    function step() {
      return fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                                  headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          bar.hidden = false; bar.max = Math.max(data.total, 1); bar.value = data.done;
          status.textContent = form.getAttribute("data-msg").replace("{done}", data.done).replace("{total}", data.total);
          if (data.remaining > 0) { return step(); }
          location.reload();
        });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      step().catch(function () { button.disabled = false; form.submit(); });
    });
  });
})();
