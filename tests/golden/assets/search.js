/* The search page: results as you type, filtered by kind, dossiers first (site.js does the
   searching). The query and the kind are kept in the address, so a search can be shared. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var engine = window.threadlineSearch;
  if (!form || !engine) { return; }
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI).href;

  function kind() {
    var checked = form.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "";
  }

  function item(data) {
    var li = document.createElement("li");
    if (data.meta && data.meta.kind) {
      var label = document.createElement("p");
      label.className = "kicker";
      label.textContent = data.meta.kind;
      li.appendChild(label);
    }
    var a = document.createElement("a");
    a.href = engine.pageUrl(data);
    a.textContent = (data.meta && data.meta.title) || data.url;
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(engine.excerpt(data.excerpt || ""));
    return li;
  }

  function show(query, results, datas, wanted) {
    list.textContent = "";
    engine.ranked(datas).forEach(function (data) { list.appendChild(item(data)); });
    var more = results.length > datas.length ? " (the first " + datas.length + " are shown)" : "";
    var among = wanted ? " among " + (wanted === "Pages" ? "pages" : wanted.toLowerCase()) : "";
    status.textContent = results.length === 0
      ? "Nothing found for “" + query + "”" + among + "."
      : results.length + " page" + (results.length === 1 ? "" : "s") + " found for “" + query + "”" + among + more + ".";
  }

  function remember(query) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    if (kind()) { params.set("kind", kind()); }
    var text = params.toString();
    history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
  }

  function run() {
    var query = input.value.trim();
    remember(query);
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "Searching…";
    var wanted = kind();
    engine.search(bundle, query).then(function (found) {
      if (!found || input.value.trim() !== query) { return; }
      return engine.first(found.results, wanted, 30).then(function (datas) {
        show(query, wanted ? datas : found.results, datas, wanted);
      });
    }).catch(function () {
      status.textContent = "Search is not available here: its index did not load.";
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", run);
  form.addEventListener("change", function (event) { if (event.target.name === "kind") { run(); } });
  var params = new URLSearchParams(location.search);
  var wanted = form.querySelector("input[name=kind][value='" + CSS.escape(params.get("kind") || "") + "']");
  if (wanted) { wanted.checked = true; }
  if (params.get("q")) { input.value = params.get("q"); run(); }
}());
