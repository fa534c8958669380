/* The visit form of a team's plan page (teams/plan.html): the chosen household's members come from the page (so a
   visit can be built offline) and a visit goes into the browser's outbox (outbox.js), sent when the network allows
   and stored once. Without JavaScript the form posts as it is. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form || !window.HVS || !window.HVS.outbox) { return; }
  var roster = JSON.parse(document.getElementById("visit-roster").textContent);
  var kinds = JSON.parse(document.getElementById("visit-kinds").textContent);
  var byId = {}, select = form.querySelector("#household_id"), box = document.getElementById("helped");
  var status = document.getElementById("visit-status"), url = form.getAttribute("data-sync-url");
  roster.forEach(function (h) { byId[h.id] = h; });
  Array.prototype.forEach.call(form.querySelectorAll("[data-nojs]"), function (el) { el.hidden = true; });
  function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }
  function say(text) { status.textContent = text; }
  function fieldset(key, title, note) {
    var fs = document.createElement("fieldset"), legend = document.createElement("legend");
    var strong = document.createElement("strong");
    fs.className = "card";
    fs.setAttribute("data-helped", key);
    strong.textContent = title;
    legend.appendChild(strong);
    if (note) {
      var small = document.createElement("span");
      small.className = "small";
      small.textContent = " " + note;
      legend.appendChild(small);
    }
    fs.appendChild(legend);
    kinds.forEach(function (pair) {
      var code = pair[0], id = "help-" + key + "-" + code, label = document.createElement("label"), input = document.createElement("input");
      label.className = "choice-check";
      label.htmlFor = id;
      input.type = "checkbox";
      input.id = id;
      input.name = "help-" + key;
      input.value = code;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + pair[1]));
      fs.appendChild(label);
    });
    return fs;
  }
  function render() {
    var h = byId[select.value];
    box.textContent = "";
    if (!h) { return; }
    h.members.forEach(function (m) {
      box.appendChild(fieldset(m.id, m.name + (m.born ? " (" + m.born + ")" : ""), m.consent ? "" : msg("no-consent")));
    });
    box.appendChild(fieldset(0, msg("whole"), ""));
  }
  function today() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 10);
  }
  select.addEventListener("change", render);
  if (select.value && !box.children.length) { render(); }
  form.addEventListener("submit", function (event) {
    var h = byId[select.value], day = form.elements.visited_on.value, helps = {};
    var visitors = Array.prototype.map.call(form.querySelectorAll("input[name=visitor]:checked"), function (i) { return i.value; });
    event.preventDefault();
    if (!h) { say(msg("household")); select.focus(); return; }
    if (!visitors.length) { say(msg("visitors")); return; }
    // The server says what today is (the max it set, in Vietnam): a tablet clock in another zone must not refuse it.
    if (day && day > (form.elements.visited_on.max || today())) { say(msg("future")); form.elements.visited_on.focus(); return; }
    Array.prototype.forEach.call(box.querySelectorAll("input[type=checkbox]:checked"), function (i) {
      var key = i.name.slice(5);
      (helps[key] = helps[key] || []).push(i.value);
    });
    window.HVS.outbox.add(url, {
      household_id: h.id, visited_on: day, visitors: visitors, helps: helps, address: h.address,
      still_needed: form.elements.still_needed.value, follow_up_on: form.elements.follow_up_on.value
    });
    say(msg("saved").replace("{address}", h.address));
    var row = document.getElementById("hh-" + h.id);
    if (row) { row.parentNode.removeChild(row); }
    select.value = "";
    render();
    form.elements.still_needed.value = "";
    form.elements.follow_up_on.value = "";
    status.scrollIntoView({ block: "center" });
  });
  window.HVS.outbox.on(function (result) {
    if (result.url !== url) { return; }
    var parts = [];
    if (result.stored.length) { parts.push(msg("stored").replace("{n}", result.stored.length)); }
    result.failed.forEach(function (f) {
      parts.push(msg("refused").replace("{address}", f.entry.fields.address || "").replace("{message}", f.message));
    });
    if (parts.length) { say(parts.join(" ")); }
  });
});
