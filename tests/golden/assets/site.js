/* On every page: search as you type from the header, and copy-link buttons. Progressive
   enhancement: without this script the header box still submits to the search page and the
   copy buttons stay hidden. Search loads Pagefind's bundle (static files of this site, by a
   relative URL) only once a reader starts typing. */
(function () {
  "use strict";
  var engines = {};

  var RANKING = { pageLength: 0.1, termSaturation: 1.6 };

  /* Pagefind, loaded once; dossiers rank by their text, not by how short the page is. A large
     investigation's index is made in parts: the bundle lists the others (parts.js), merged here. */
  function load(bundle) {
    if (!engines[bundle]) {
      engines[bundle] = import(bundle).then(function (pagefind) {
        return pagefind.options({ ranking: RANKING }).then(function () {
          return pagefind.init ? pagefind.init() : null;
        }).then(function () {
          return import(new URL("parts.js", bundle).href);
        }).then(function (parts) {
          var site = new URL("..", bundle).pathname;  // the results' URLs from the site's root, as the first part's
          return Promise.all(parts.default.map(function (part) {
            return pagefind.mergeIndex(new URL(part, bundle).href, { ranking: RANKING, baseUrl: site });
          }));
        }).then(function () { return pagefind; });
      });
    }
    return engines[bundle];
  }

  /* Dossiers first, then the rest, each in Pagefind's order: a reader looking for a name wants
     the reporting that names them before the name's own page. */
  function ranked(datas) {
    var first = datas.filter(function (d) { return d.meta && d.meta.kind && d.meta.kind.indexOf("Dossier") === 0; });
    return first.concat(datas.filter(function (d) { return first.indexOf(d) < 0; }));
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

  /* The indexed documents are saved flat, as section/name.html, for the page at section/name/. */
  function pageUrl(data) { return data.url.replace(/\.html$/, "/"); }

  function search(bundle, query) {
    return load(bundle).then(function (pagefind) { return pagefind.debouncedSearch(query, {}, 150); });
  }

  /* The data of the first `most` results of one kind ("" for any): read in batches, in rank order.
     (Kinds are filtered here, from each result's meta: Pagefind's own filter index is not built
     byte for byte the same twice, and the site is.) */
  function first(results, kind, most) {
    var found = [];
    function batch(at) {
      if (found.length >= most || at >= results.length) { return Promise.resolve(found.slice(0, most)); }
      return Promise.all(results.slice(at, at + 40).map(function (r) { return r.data(); })).then(function (datas) {
        datas.forEach(function (d) { if (!kind || ofKind(d, kind)) { found.push(d); } });
        return batch(at + 40);
      });
    }
    return batch(0);
  }

  function ofKind(data, kind) {
    var label = (data.meta && data.meta.kind) || "";
    return kind === "Dossiers" ? label.indexOf("Dossier") === 0 : label === kind;
  }

  window.threadlineSearch = { load: load, search: search, first: first, ranked: ranked, excerpt: excerpt, pageUrl: pageUrl };

  function headerSearch(form) {
    var input = form.querySelector("input");
    var list = form.querySelector(".header-results");
    var status = form.querySelector("[role=status]");
    var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI).href;

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }

    function show(query, total, datas) {
      list.textContent = "";
      ranked(datas).forEach(function (data) {
        var li = document.createElement("li");
        var kind = document.createElement("p");
        kind.className = "kicker";
        kind.textContent = (data.meta && data.meta.kind) || "";
        var a = document.createElement("a");
        a.href = pageUrl(data);
        a.textContent = (data.meta && data.meta.title) || data.url;
        li.appendChild(kind);
        li.appendChild(a);
        list.appendChild(li);
      });
      var all = document.createElement("li");
      var more = document.createElement("a");
      more.className = "all";
      more.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query);
      more.textContent = total ? "All " + total + " results" : "Nothing found for “" + query + "”";
      all.appendChild(more);
      list.appendChild(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = total + " result" + (total === 1 ? "" : "s");
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (!query) { close(); return; }
      search(bundle, query).then(function (found) {
        if (!found || input.value.trim() !== query) { return; }
        return first(found.results, "", 6).then(function (datas) {
          show(query, found.results.length, datas);
        });
      }).catch(function () { status.textContent = "Search is not available here."; });
    });
    input.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) { close(); }
    });
  }

  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy-link"), function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var address = new URL(button.getAttribute("data-href"), location.href).href;
        var label = button.firstChild;
        navigator.clipboard.writeText(address).then(function () {
          label.textContent = "Link copied";
          setTimeout(function () { label.textContent = "Copy link"; }, 2000);
        });
      });
    });
  }

  var form = document.querySelector("form.header-search");
  if (form) { headerSearch(form); }
  copyButtons();
}());
