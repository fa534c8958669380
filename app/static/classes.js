/* Classes: live search on the roster (the plain GET form works without it), copy a calendar link, print. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-live-search]").forEach(function (form) {
    var input = form.querySelector("input[name=q]");
    var results = document.querySelector(form.getAttribute("data-results"));
    var mirror = document.querySelector(form.getAttribute("data-mirror"));
    var base = form.getAttribute("action").split("#")[0];
    var timer = null, asked = 0;
    if (!input || !results) { return; }
    if (mirror) { mirror.addEventListener("input", function () { mirror.setAttribute("data-touched", "1"); }); }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      // A typed name also fills the newcomer's name, unless someone already edited it there.
      if (mirror && !mirror.getAttribute("data-touched") && !/\d/.test(q)) { mirror.value = input.value; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var mine = ++asked;
        // Send the form's own fields (the roll call's session, too), so results keep the page's mode.
        var params = new URLSearchParams(new FormData(form));
        params.set("partial", "results");
        fetch(base + "?" + params.toString(), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) { if (html !== null && mine === asked) { results.innerHTML = html; } })
          .catch(function () { /* the Tìm button still works */ });
      }, 250);
    });
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      source.select();
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard) { navigator.clipboard.writeText(source.value).then(done, function () {}); }
      else if (document.execCommand("copy")) { done(); }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
