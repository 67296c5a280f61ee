/* Search with Pagefind: the index is a set of static files built with the site, loaded by a
   relative URL, so search works under any subpath and makes no request to anyone else. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI).href;
  var engine = null;

  function load() {
    if (!engine) {
      engine = import(bundle).then(function (pagefind) {
        return pagefind.init ? pagefind.init().then(function () { return pagefind; }) : pagefind;
      });
    }
    return engine;
  }

  /* Pagefind's excerpts are HTML with <mark> around the matches; keep only text and <mark>. */
  function excerpt(html) {
    var p = document.createElement("p");
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    Array.prototype.forEach.call(doc.body.childNodes, function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function item(data) {
    var li = document.createElement("li");
    if (data.meta && data.meta.kind) {
      var kind = document.createElement("p");
      kind.className = "kicker";
      kind.textContent = data.meta.kind;
      li.appendChild(kind);
    }
    var a = document.createElement("a");
    /* The indexed documents are saved flat, as section/name.html, for the page at section/name/. */
    a.href = data.url.replace(/\.html$/, "/");
    a.textContent = (data.meta && data.meta.title) || data.url;
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function show(query, results, datas) {
    list.textContent = "";
    datas.forEach(function (data) { list.appendChild(item(data)); });
    var more = results.length > datas.length ? " (the first " + datas.length + " are shown)" : "";
    status.textContent = results.length === 0
      ? "Nothing found for “" + query + "”."
      : results.length + " page" + (results.length === 1 ? "" : "s") + " found for “" + query + "”" + more + ".";
  }

  function run(query) {
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (pagefind) { return pagefind.search(query); }).then(function (search) {
      var results = search.results;
      return Promise.all(results.slice(0, 20).map(function (r) { return r.data(); })).then(function (datas) {
        show(query, results, datas);
      });
    }).catch(function () {
      status.textContent = "Search is not available here: its index did not load.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", location.pathname + (query ? "?q=" + encodeURIComponent(query) : ""));
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial.trim()); }
}());
