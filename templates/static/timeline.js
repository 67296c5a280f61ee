/* Timeline filters: progressive enhancement. Without this script every event is listed;
   with it, a reader can narrow the list by person or organisation and by status.
   The choice is kept in the address (?entity=…&status=…) so a filtered view can be shared. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var select = form.querySelector("#f-entity");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=status]"));
  var count = document.getElementById("filter-count");
  var none = document.getElementById("no-match");
  var events = Array.prototype.slice.call(document.querySelectorAll(".year li.event"));

  function wanted(li, who, statuses) {
    var named = (" " + (li.getAttribute("data-entities") || "") + " ").indexOf(" " + who + " ") >= 0;
    return (!who || named) && statuses.indexOf(li.getAttribute("data-status")) >= 0;
  }

  function hideEmpty(selector, itemSelector) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (box) {
      box.hidden = !box.querySelector(itemSelector + ":not([hidden])");
    });
  }

  function syncYearLinks() {
    Array.prototype.forEach.call(document.querySelectorAll(".years a"), function (a) {
      var section = document.getElementById(a.getAttribute("href").slice(1));
      a.parentNode.hidden = !!(section && section.closest("section").hidden);
    });
  }

  function remember(who, statuses) {
    var params = new URLSearchParams();
    if (who) { params.set("entity", who); }
    if (statuses.length !== boxes.length) { statuses.forEach(function (s) { params.append("status", s); }); }
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function apply() {
    var who = select.value;
    var statuses = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var shown = 0;
    events.forEach(function (li) {
      li.hidden = !wanted(li, who, statuses);
      if (!li.hidden) { shown += 1; }
    });
    hideEmpty(".year .timeline", "li.event");
    hideEmpty(".year .coarse", "li.event");
    hideEmpty("section.year", "li.event");
    syncYearLinks();
    none.hidden = shown > 0;
    count.textContent = shown === events.length
      ? "Showing all " + events.length + " events."
      : "Showing " + shown + " of " + events.length + " events.";
    remember(who, statuses);
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    var who = params.get("entity");
    if (who && select.querySelector('option[value="' + CSS.escape(who) + '"]')) { select.value = who; }
    var statuses = params.getAll("status");
    if (statuses.length) { boxes.forEach(function (b) { b.checked = statuses.indexOf(b.value) >= 0; }); }
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  restore();
  form.hidden = false;
  var box = document.getElementById("filter-box");
  /* Open on a wide screen; on a phone the first event comes first, the filters a tap away. */
  if (box && (window.matchMedia("(min-width: 50em)").matches || location.search)) { box.open = true; }
  apply();
}());
