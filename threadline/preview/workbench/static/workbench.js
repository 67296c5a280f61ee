// The editor's workbench, in the preview of `build.py serve` only: annotate on the text.
// Every action is a POST to the server (docs/workbench.md), which checks it with a build,
// writes the YAML and lets livereload reload the page. Text from the project is only ever
// set as textContent, never parsed as HTML.
(function () {
  "use strict";
  var me = document.currentScript;
  var TOKEN = me.dataset.token, BASE = me.dataset.base, DOSSIER = me.dataset.dossier || null;
  var KEEP = "threadline-workbench";
  var state = null, panel, body, toolbar, selection = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function api(path, payload) {
    var options = payload === undefined ? {} : {
      method: "POST", body: JSON.stringify(payload),
      headers: {"Content-Type": "application/json", "X-Threadline-Token": TOKEN}
    };
    return fetch(BASE + path, options).then(function (response) { return response.json(); });
  }

  // --- the panel ----------------------------------------------------------------------------------

  function remember(view) { sessionStorage.setItem(KEEP, JSON.stringify(view)); }
  function recalled() {
    try { return JSON.parse(sessionStorage.getItem(KEEP) || "null"); } catch (e) { return null; }
  }

  function buildPanel() {
    panel = el("aside", {id: "tl-wb", "aria-label": "Workbench", hidden: ""});
    var head = el("div", {"class": "tl-wb-head"}, [
      el("strong", {text: "Workbench"}),
      el("button", {type: "button", id: "tl-wb-undo", "class": "tl-quiet", onclick: undo, text: "Undo"}),
      el("button", {type: "button", "class": "tl-quiet", "aria-label": "Close the workbench", text: "×",
                    onclick: function () { toggle(false); }})
    ]);
    var tabs = el("div", {"class": "tl-wb-tabs", role: "tablist"}, [
      DOSSIER ? tab("dossier", "This dossier") : null, tab("left", "What is left")
    ]);
    body = el("div", {"class": "tl-wb-body"});
    panel.append(head, tabs, el("p", {id: "tl-wb-said", role: "status", "aria-live": "polite"}), body);
    document.body.appendChild(panel);
    document.body.appendChild(el("button", {type: "button", id: "tl-wb-open", text: "Workbench",
                                            onclick: function () { toggle(true); }}));
  }

  function tab(name, label) {
    return el("button", {type: "button", role: "tab", "data-tab": name, text: label,
                         onclick: function () { show({tab: name}); }});
  }

  function toggle(open) {
    panel.hidden = !open;
    document.body.classList.toggle("tl-wb-open", open);
    var view = recalled() || {};
    view.open = open;
    remember(view);
    if (open && !body.firstChild) show(view.tab ? view : {tab: DOSSIER ? "dossier" : "left"});
  }

  function say(text, failed, warned) {
    var line = document.getElementById("tl-wb-said");
    line.textContent = text || "";
    line.className = failed ? "tl-failed" : warned ? "tl-warned" : "";
  }

  // The new warnings an action brought: written, but `check --strict` fails until they are seen to.
  function warningsOf(reply) {
    return (reply.warnings || []).length ?
      "\nBut the build now warns (check --strict fails until it is fixed):\n" + reply.warnings.join("\n") : "";
  }

  function show(view) {
    var keep = recalled() || {};
    view.open = true;
    remember(Object.assign(keep, view));
    if (!state) return;  // opened before the state arrived: load() shows the view remembered here
    panel.querySelectorAll("[role=tab]").forEach(function (button) {
      button.setAttribute("aria-selected", String(button.dataset.tab === view.tab));
    });
    body.replaceChildren();
    var views = {dossier: dossierView, left: leftView, cite: citeView, note: noteView, name: nameView,
                 quotation: quotationView};
    (views[view.tab] || leftView)(view);
  }

  function load() {
    return api("/state?dossier=" + encodeURIComponent(DOSSIER || "")).then(function (data) {
      state = data;
      var undoButton = document.getElementById("tl-wb-undo");
      undoButton.disabled = !data.undo;
      undoButton.title = data.undo ? "Undo: " + data.undo : "Nothing to undo";
      if (DOSSIER) markSuggestions();
      var view = recalled();
      if (view && view.open) { panel.hidden = false; document.body.classList.add("tl-wb-open"); show(view); }
      var scrolled = JSON.parse(sessionStorage.getItem(KEEP + "-scroll") || "null");
      sessionStorage.removeItem(KEEP + "-scroll");
      if (scrolled && view && scrolled.tab === view.tab) body.scrollTop = scrolled.top;
    });
  }

  function act(payload, done) {
    say("Checking with a build…");
    return api("/action", payload).then(function (reply) {
      if (!reply.ok) {
        say(reply.error + (reply.problems ? "\nIn the files as the action would have left them:\n" +
                                            reply.problems.join("\n") : ""), true);
        return reply;
      }
      var warned = warningsOf(reply);
      say(reply.said + (reply.files.length ? " — written to " + reply.files.join(", ") : "") + warned, false, warned);
      var view = recalled() || {};
      // Where the panel was scrolled, to come back to after the reload when it shows the same tab.
      sessionStorage.setItem(KEEP + "-scroll", JSON.stringify({tab: view.tab, top: body.scrollTop}));
      if (done) remember(Object.assign(view, done));
      sessionStorage.setItem(KEEP + "-said", reply.said);
      if (warned) sessionStorage.setItem(KEEP + "-warned", warned);
      return reply;
    });
  }

  function undo() {
    api("/undo", {}).then(function (reply) {
      say(reply.ok ? reply.said : reply.error, !reply.ok);
      if (reply.ok) sessionStorage.setItem(KEEP + "-said", reply.said);  // shown again after the reload
    });
  }

  // --- views ------------------------------------------------------------------------------------

  var FIELDS = [["headline", "Headline"], ["outlet", "Outlet", "outlet_basis"], ["author", "Author", "author_basis"],
                ["published", "Published (EDTF)", "published_basis"]];

  function dossierView() {
    var d = state.dossier;
    if (!d) { body.appendChild(el("p", {text: "This dossier did not build; see What is left."})); return; }
    body.appendChild(el("h3", {text: "About the source"}));
    FIELDS.forEach(function (spec) { body.appendChild(metadataForm(d, spec)); });
    var sections = Object.keys(d.sections).filter(function (key) { return d.sections[key].todo; });
    if (sections.length) body.appendChild(sectionsForm(sections));
    var drafted = "content/events/" + DOSSIER + ".yaml", stubs = "content/entities/" + DOSSIER + ".yaml";
    var events = state.events.filter(function (e) { return e.file === drafted; });
    var entities = state.entities.filter(function (e) { return e.file === stubs; });
    if (events.length) body.appendChild(el("h3", {text: "Events drafted for this dossier"}));
    events.forEach(function (event) { body.appendChild(eventForm(event, "set")); });
    if (entities.length) body.appendChild(el("h3", {text: "Entities drafted for this dossier"}));
    entities.forEach(function (entity) { body.appendChild(entityForm(entity)); });
    body.appendChild(el("h3", {text: "Names no entity claims"}));
    if (!state.suggestions.length) body.appendChild(el("p", {text: "None: every capitalised name is an entity or set aside."}));
    state.suggestions.forEach(function (s) {
      body.appendChild(el("p", {"class": "tl-row"}, [
        el("button", {type: "button", "class": "tl-link", text: s.name,
                      onclick: function () { show({tab: "name", name: s.name, line: s.line}); }}),
        el("small", {text: " line " + s.line + (s.contains ? " · contains " + s.contains : "")})
      ]));
    });
    body.appendChild(el("p", {"class": "tl-hint", text: "Select a passage of the text to cite it for an event, " +
      "add a note, name an entity or mark its line as boilerplate."}));
  }

  function field(label, input) { return el("label", {"class": "tl-field"}, [el("span", {text: label}), input]); }
  // What `new` wrote: "TODO confirm: a guess" is offered as the value (confirming keeps the guess, never
  // the word TODO); "TODO: an instruction" is only a placeholder.
  function fill(box, value) {
    var text = value == null ? "" : String(value), guess = /^TODO confirm:\s*/.exec(text);
    if (guess) box.value = text.slice(guess[0].length);
    else if (/^TODO\b/.test(text)) box.placeholder = text;
    else box.value = text;
    return box;
  }
  function input(name, value, extra) { return fill(el("input", Object.assign({name: name}, extra || {})), value); }
  function textarea(name, value) { return fill(el("textarea", {name: name, rows: "2"}), value); }
  // A box of several lines for a long line of text (a title): Enter sends the form, as in a one-line box.
  function oneLine(box) {
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); box.form.requestSubmit(); }
    });
    return box;
  }
  function todoMark(todo) { return todo ? el("span", {"class": "tl-todo", text: "to confirm"}) : null; }
  function cardHead(title, todo) {
    return el("div", {"class": "tl-card-head"}, [el("strong", {text: title}), todoMark(todo)]);
  }

  function metadataForm(d, spec) {
    var key = spec[0], basis = spec[2], value = d.fields[key];
    var todo = value.todo || (basis && d.fields[basis].todo);
    var form = el("form", {"class": "tl-card", "data-field": key}, [
      cardHead(spec[1], todo),
      field("Value" + (key === "headline" ? "" : " (empty: unknown)"), input(key, value.value)),
      basis ? field("Basis", textarea(basis, d.fields[basis].value)) : null,
      el("button", {type: "submit", text: "Confirm"})
    ]);
    if (key === "published") attachDatePreview(form.elements[key], form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = {};
      fields[key] = form.elements[key].value.trim() || (key === "headline" || key === "published" ? "" : null);
      if (basis) fields[basis] = form.elements[basis].value.trim();
      act({action: "set", target: "dossier", id: DOSSIER, fields: fields, confirm: true});
    });
    return form;
  }

  var SECTION_NAMES = {boilerplate: "the lines marked as boilerplate", events: "the citations of the drafted events",
                       notes: "the notes", quotes: "the quotations", unlinked: "the names set aside", subheadings: "the subheadings"};

  function sectionsForm(keys) {
    var list = el("ul", {}, keys.map(function (key) { return el("li", {text: SECTION_NAMES[key] || key}); }));
    var form = el("form", {"class": "tl-card", "data-sections": keys.join(" ")}, [
      cardHead("Drafted lists", true),
      el("p", {text: "Check these in the sidecar's guesses, as the page shows them:"}), list,
      el("button", {type: "submit", text: "Confirm them"})
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      act({action: "confirm", target: "dossier", id: DOSSIER, keys: keys});
    });
    return form;
  }

  // The date as readers will see it, as it is typed; the form cannot be sent while the date is no date.
  function attachDatePreview(box, form) {
    var shown = el("small", {"class": "tl-date", "aria-live": "polite"}), asked = 0;
    var submit = form.querySelector("button[type=submit]");
    box.after(shown);
    function update() {
      var mine = ++asked;
      submit.disabled = false;
      if (!box.value.trim()) { shown.textContent = ""; return; }
      api("/date?value=" + encodeURIComponent(box.value.trim())).then(function (r) {
        if (mine !== asked) return;  // an answer to what was typed before
        shown.textContent = r.shown ? "Readers see: " + r.shown : r.error;
        shown.className = "tl-date" + (r.error ? " tl-failed" : "");
        submit.disabled = !!r.error;
      });
    }
    box.addEventListener("input", update);
    update();
  }

  function statusSelect(value) {
    var select = el("select", {name: "status"});
    Object.keys(state.statuses).forEach(function (name) {
      var option = el("option", {value: name, text: name + " — " + state.statuses[name]});
      option.selected = name === value;
      select.appendChild(option);
    });
    return select;
  }

  function entityChecks(chosen, near) {
    var box = el("fieldset", {"class": "tl-entities"}, [el("legend", {text: "Entities taking part"})]);
    var ids = state.entities.map(function (e) { return e.id; });
    // Ticked: those named in the selection; then the rest of the paragraph's, then everyone else.
    var ordered = chosen.concat(near || []).filter(function (id, n, all) {
      return ids.indexOf(id) >= 0 && all.indexOf(id) === n;
    });
    state.entities.forEach(function (e) { if (ordered.indexOf(e.id) < 0) ordered.push(e.id); });
    ordered.forEach(function (id) {
      var entity = state.entities.find(function (e) { return e.id === id; });
      var check = el("input", {type: "checkbox", name: "entities", value: id});
      check.checked = chosen.indexOf(id) >= 0;
      box.appendChild(el("label", {"class": "tl-check"}, [check, document.createTextNode(" " + entity.name)]));
    });
    return box;
  }

  function eventForm(event, mode) {
    var form = el("form", {"class": "tl-card", "data-event": event.id || "new"}, [
      mode === "set" ? cardHead(event.id, event.todo) : null,
      mode === "set" ? field("Id (renaming updates every reference)", input("id", event.id)) : null,
      field("Title", oneLine(textarea("title", event.title))),
      field("Date (EDTF)", input("date", event.date)),
      field("Date basis", textarea("date_basis", event.date_basis)),
      field("Status", statusSelect(event.status || "reported")),
      entityChecks(event.entities || [], event.near),
      el("button", {type: "submit", text: mode === "set" ? "Confirm" : "Create and cite"}),
      mode === "set" ? el("button", {type: "button", "class": "tl-quiet", text: "Remove",
        onclick: function () { act({action: "remove", target: "event", id: event.id}); }}) : null
    ]);
    attachDatePreview(form.elements.date, form);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var fields = {title: form.elements.title.value.replace(/\s+/g, " ").trim(), date: form.elements.date.value.trim(),
                    date_basis: form.elements.date_basis.value.trim(), status: form.elements.status.value,
                    entities: Array.from(form.querySelectorAll("[name=entities]:checked")).map(function (c) { return c.value; })};
      if (mode === "set") {
        fields.id = form.elements.id.value.trim();
        act({action: "set", target: "event", id: event.id, fields: fields, confirm: true});
      }
      else act(Object.assign({action: "new-event", dossier: DOSSIER, quote: selection.text, line: selection.line}, fields),
               {tab: "dossier"});
    });
    return form;
  }

  function entityForm(entity) {
    var kind = el("select", {name: "kind"});
    state.kinds.forEach(function (k) { var o = el("option", {value: k, text: k}); o.selected = k === entity.kind; kind.appendChild(o); });
    var form = el("form", {"class": "tl-card", "data-entity": entity.id || "new"}, [
      entity.id ? cardHead(entity.id, entity.todo) : null,
      entity.id ? field("Id (renaming updates every reference)", input("id", entity.id)) : null,
      field("Kind", kind), field("Name", input("name", entity.name)),
      field("Description", textarea("description", entity.description)),
      entity.id ? null : field("Wikidata id (optional)", input("wikidata", "", {placeholder: "Q…"})),
      el("button", {type: "submit", text: entity.id ? "Confirm" : "Add the entity"}),
      entity.id ? el("button", {type: "button", "class": "tl-quiet", text: "Not an entity",
        onclick: function () { act({action: "not-entity", dossier: DOSSIER, name: entity.name}); }}) : null,
      // A stub that is no name at all (a headline, a photo credit, a title glued to a known name) goes
      // without being listed under `unlinked:`, as an editor deletes it by hand.
      entity.id ? el("button", {type: "button", "class": "tl-quiet", text: "Remove",
        onclick: function () { act({action: "remove", target: "entity", id: entity.id}); }}) : null
    ]);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var fields = {kind: form.elements.kind.value, name: form.elements.name.value.trim(),
                    description: form.elements.description.value.trim()};
      if (entity.id) {
        fields.id = form.elements.id.value.trim();
        act({action: "set", target: "entity", id: entity.id, fields: fields, confirm: true});
      }
      else act(Object.assign({action: "new-entity", dossier: DOSSIER,
                              wikidata: form.elements.wikidata.value.trim() || null}, fields), {tab: "dossier"});
    });
    return form;
  }

  function quoteBox(text) { return el("blockquote", {"class": "tl-quote", text: text}); }

  function citeView(view) {
    selection = selection || view.selection;
    if (!selection) return dossierView();
    body.appendChild(el("h3", {text: "Cite this passage for an event"}));
    body.appendChild(quoteBox(selection.text));
    requotable(selection).forEach(function (c) {  // a citation the passage overlaps: shorten or lengthen it
      var event = state.events.find(function (e) { return e.id === c.event; }) || {title: c.event};
      body.appendChild(el("p", {"class": "tl-row"}, [el("button", {type: "button",
        text: "Make this passage the quote for “" + event.title + "”", onclick: function () {
          act({action: "cite", dossier: DOSSIER, event: c.event, quote: selection.text, line: selection.line,
               replaces: c.quote}, {tab: "dossier"});
        }})]));
    });
    var search = input("search", "", {type: "search", placeholder: "Search events by title, entity or date",
                                      "aria-label": "Search events"});
    var list = el("ul", {"class": "tl-results"});
    function refresh() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.replaceChildren();
      state.events.filter(function (e) {
        var hay = [e.title, e.date, e.shown, e.id].concat(e.entities).join(" ").toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      }).slice(0, 30).forEach(function (e) {
        list.appendChild(el("li", {}, [
          el("button", {type: "button", "class": "tl-link", text: e.title, onclick: function () {
            act({action: "cite", dossier: DOSSIER, event: e.id, quote: selection.text, line: selection.line},
                {tab: "dossier"});
          }}),
          el("small", {text: " " + e.shown + " · " + e.status + " "}),
          el("button", {type: "button", "class": "tl-quiet", text: "Edit", "aria-label": "Edit " + e.title,
                        onclick: function (click) { click.target.replaceWith(eventForm(e, "set")); }})
        ]));
      });
    }
    search.addEventListener("input", refresh);
    body.append(search, list);
    refresh();
    body.appendChild(el("h3", {text: "Or a new event"}));
    var form = eventForm({entities: selection.inside || [], near: selection.entities, status: "reported", date: "",
                          title: "", date_basis: ""}, "new");
    body.appendChild(form);
    // The passage drafts the title; a date expression in it ("on Friday", "in March") gives the date, as
    // `new` guesses it, and without one the event is dated on or before the report. The editor edits them.
    api("/guess?dossier=" + encodeURIComponent(DOSSIER) + "&line=" + selection.line + "&text=" +
        encodeURIComponent(selection.text)).then(function (guess) {
      if (guess.title && !form.elements.title.value) form.elements.title.value = guess.title;
      if (!guess.date || form.elements.date.value) return;
      form.elements.date.value = guess.date;
      form.elements.date_basis.value = guess.date_basis;
      form.elements.date.dispatchEvent(new Event("input"));
    });
  }

  // The dossier's citations that the selection overlaps (in the text and on the page), other than itself.
  function requotable(selection) {
    var d = state.dossier;
    return (d ? d.citations : []).filter(function (c) {
      return (selection.cited || []).indexOf(c.event) >= 0 && c.quote !== selection.text &&
        (c.quote.indexOf(selection.text) >= 0 || selection.text.indexOf(c.quote) >= 0);
    });
  }

  function noteView(view) {
    selection = selection || view.selection;
    if (!selection) return dossierView();
    body.appendChild(el("h3", {text: "An editor's note on this passage"}));
    body.appendChild(quoteBox(selection.text));
    var form = el("form", {"class": "tl-card"}, [field("Note (Markdown)", textarea("text", "")),
                                                el("button", {type: "submit", text: "Add the note"})]);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      act({action: "note", dossier: DOSSIER, passage: selection.text, line: selection.line,
           text: form.elements.text.value.trim()}, {tab: "dossier"});
    });
    body.appendChild(form);
  }

  function nameView(view) {
    var name = view.name;
    body.appendChild(el("h3", {text: "“" + name + "”"}));
    body.appendChild(el("p", {text: "Another spelling of an entity:"}));
    entityPicker("Search entities", function (e) {
      act({action: "alias", entity: e.id, alias: name}, {tab: "dossier"});
    }, likelyNamed(name)).forEach(function (node) { body.appendChild(node); });
    var found = state.suggestions.find(function (s) { return s.name === name; });
    body.appendChild(el("p", {text: "Or a new entity:"}));
    body.appendChild(entityForm({name: name, kind: found ? found.kind : "person", description: ""}));
    body.appendChild(el("button", {type: "button", "class": "tl-quiet", text: "Not an entity (list it as unlinked)",
      onclick: function () { act({action: "not-entity", dossier: DOSSIER, name: name}, {tab: "dossier"}); }}));
  }

  function entityItem(e, onPick) {
    return el("li", {}, [el("button", {type: "button", "class": "tl-link", text: e.name,
      onclick: function () { onPick(e); }}), el("small", {text: " " + e.kind})]);
  }

  // The entities listed first, before any search: `likely` (those the name or passage points at).
  function entityPicker(label, onPick, likely) {
    var search = input("entity-search", "", {type: "search", placeholder: "Search entities", "aria-label": label});
    var list = el("ul", {"class": "tl-results"});
    function refresh() {
      var word = search.value.toLowerCase();
      list.replaceChildren();
      state.entities.filter(function (e) {
        return (e.name + " " + e.aliases.join(" ") + " " + e.id).toLowerCase().indexOf(word) >= 0;
      }).slice(0, 20).forEach(function (e) { list.appendChild(entityItem(e, onPick)); });
    }
    search.addEventListener("input", refresh);
    refresh();
    if (!likely || !likely.length) return [search, list];
    var first = el("ul", {"class": "tl-likely"});
    likely.forEach(function (e) { first.appendChild(entityItem(e, onPick)); });
    return [el("p", {"class": "tl-hint", text: "Likely:"}), first, search, list];
  }

  var STOPWORDS = ["the", "and", "for", "von", "van", "der"];
  function words(text) {
    return (text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) || []).filter(function (w) { return STOPWORDS.indexOf(w) < 0; });
  }
  // Entities a name may be another spelling of: a word in common ("Kirill Budanov", "Kyrylo Budanov")
  // or the initials of a spelling ("UN", "United Nations"); never one that already has that spelling.
  function likelyNamed(name) {
    var mine = words(name);
    return state.entities.filter(function (e) {
      var spellings = [e.name].concat(e.aliases);
      return spellings.indexOf(name) < 0 && spellings.some(function (spelling) {
        var initials = (spelling.match(/\p{Lu}/gu) || []).join("");
        return (name.length > 1 && initials === name) || words(spelling).some(function (w) { return mine.indexOf(w) >= 0; });
      });
    }).slice(0, 5);
  }

  // Who may have said the words: the people named in the paragraph, outside the words themselves.
  function likelySpeakers(selection) {
    return state.entities.filter(function (e) {
      return e.kind === "person" && selection.entities.indexOf(e.id) >= 0 && selection.inside.indexOf(e.id) < 0;
    });
  }

  function quotationView(view) {
    selection = selection || view.selection;
    if (!selection) return dossierView();
    body.appendChild(el("h3", {text: "A direct quotation: who said it?"}));
    body.appendChild(quoteBox(selection.text));
    entityPicker("Search the speaker", function (e) {
      act({action: "quotation", dossier: DOSSIER, speaker: e.id, text: selection.text, line: selection.line},
          {tab: "dossier"});
    }, likelySpeakers(selection)).forEach(function (node) { body.appendChild(node); });
  }

  function leftView() {
    var left = state.left;
    body.appendChild(el("h3", {text: left.length ? left.length + " item(s) left across the investigation" : "Nothing left"}));
    var list = el("ol", {"class": "tl-left"});
    left.forEach(function (item) {
      list.appendChild(el("li", {"class": "tl-" + item.severity}, [
        el("a", {href: item.url, text: item.where}),
        el("span", {text: " " + (item.severity === "draft" ? "to confirm: " : item.severity + ": ") + item.message})
      ]));
    });
    body.appendChild(list);
  }

  // --- the text ----------------------------------------------------------------------------------

  // What the site adds inside the source's text (note marks, status labels, [sic], editors' notes):
  // never part of a selection's text, nor searched for names.
  var NOT_SEED = "sup, .ev-link, .tl-suggest-badge, [data-not-seed]";

  function seedText(range) {
    var copy = range.cloneContents();
    copy.querySelectorAll(NOT_SEED).forEach(function (node) { node.remove(); });
    return copy.textContent;
  }

  function paragraphOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element && element.closest(".source-text [id^=line-]");
  }

  function currentSelection() {
    var sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0), start = paragraphOf(range.startContainer), end = paragraphOf(range.endContainer);
    if (!start && !end) return null;
    var lines = Array.from(document.querySelectorAll(".source-text [id^=line-]"))
      .filter(function (p) { return range.intersectsNode(p); }).map(function (p) { return Number(p.id.slice(5)); });
    if (start !== end) {
      return {lines: lines, rect: range.getBoundingClientRect(), error: "A quote must lie within one paragraph of the source."};
    }
    var text = seedText(range).trim();
    if (!text) return null;
    var entities = [], inside = [], cited = [];
    start.querySelectorAll("mark.evidence[data-event]").forEach(function (mark) {
      if (range.intersectsNode(mark) && cited.indexOf(mark.dataset.event) < 0) cited.push(mark.dataset.event);
    });
    start.querySelectorAll("a.mention").forEach(function (a) {
      var id = a.getAttribute("href").replace(/\/$/, "").split("/").pop();
      if (entities.indexOf(id) < 0) entities.push(id);
      if (range.intersectsNode(a) && inside.indexOf(id) < 0) inside.push(id);
    });
    return {text: text, line: Number(start.id.slice(5)), lines: lines, entities: entities, inside: inside,
            cited: cited, rect: range.getBoundingClientRect()};
  }

  function buildToolbar() {
    toolbar = el("div", {id: "tl-wb-toolbar", role: "toolbar", "aria-label": "Workbench actions", hidden: ""}, [
      el("button", {type: "button", "data-do": "cite", text: "Cite for an event"}),
      el("button", {type: "button", "data-do": "note", text: "Add a note"}),
      el("button", {type: "button", "data-do": "name", text: "Name…"}),
      el("button", {type: "button", "data-do": "quotation", text: "Quotation…"}),
      el("button", {type: "button", "data-do": "headline", text: "Headline"}),
      el("button", {type: "button", "data-do": "boilerplate", text: "Boilerplate line"}),
      el("span", {"class": "tl-failed"})
    ]);
    toolbar.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the selection
    toolbar.addEventListener("click", function (e) {
      var what = e.target.dataset && e.target.dataset.do;
      if (!what || !selection) return;
      toolbar.hidden = true;
      toggle(true);
      if (what === "boilerplate") act({action: "boilerplate", dossier: DOSSIER, lines: selection.lines});
      else if (what === "headline") act({action: "headline", dossier: DOSSIER, line: selection.line});
      else show({tab: what, selection: selection, name: selection.text});
    });
    document.body.appendChild(toolbar);
  }

  function onSelect() {
    var found = currentSelection();
    var message = toolbar.querySelector(".tl-failed");
    if (!found) { toolbar.hidden = true; return; }
    message.textContent = found.error || "";
    // Across paragraphs, only whole lines can be marked: a banner or a footer at once.
    toolbar.querySelectorAll("button").forEach(function (b) { b.hidden = !!found.error && b.dataset.do !== "boilerplate"; });
    toolbar.querySelector("[data-do=boilerplate]").textContent = found.lines.length > 1 ? "Boilerplate lines" : "Boilerplate line";
    selection = found;
    var rect = found.rect || window.getSelection().getRangeAt(0).getBoundingClientRect();
    toolbar.hidden = false;
    // Below the selection, or above it where the window has no room below; never past the right edge.
    var below = rect.bottom + 6 + toolbar.offsetHeight <= window.innerHeight;
    toolbar.style.top = (window.scrollY + (below ? rect.bottom + 6 : Math.max(0, rect.top - toolbar.offsetHeight - 6))) + "px";
    toolbar.style.left = (window.scrollX + Math.max(8, Math.min(rect.left, window.innerWidth - toolbar.offsetWidth - 8))) + "px";
  }

  function markSuggestions() {
    var names = state.suggestions.map(function (s) { return s.name; }).sort(function (a, b) { return b.length - a.length; });
    if (!names.length) return;
    var nodes = [];
    document.querySelectorAll(".source-text").forEach(function (text) {  // the headline may be one too
      var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT, {acceptNode: function (node) {
        return node.parentElement.closest("a, .tl-suggest, " + NOT_SEED) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }});
      while (walker.nextNode()) nodes.push(walker.currentNode);
    });
    nodes.forEach(function (node) { wrapNames(node, names); });
  }

  function wrapNames(node, names) {
    for (var i = 0; i < names.length; i++) {
      var at = node.data.indexOf(names[i]);
      if (at < 0) continue;
      var rest = node.splitText(at), after = rest.splitText(names[i].length);
      var mark = el("button", {type: "button", "class": "tl-suggest", title: "A name no entity claims: click to annotate it",
                               onclick: showName(names[i], rest)});
      rest.replaceWith(mark);
      mark.appendChild(rest);
      wrapNames(after, names);
      return;
    }
  }

  function showName(name, node) {
    return function () {
      var p = paragraphOf(node);
      selection = {text: name, line: p ? Number(p.id.slice(5)) : 0, entities: [], inside: []};
      toggle(true);
      show({tab: "name", name: name});
    };
  }

  function start() {
    buildPanel();
    if (DOSSIER) {
      buildToolbar();
      document.addEventListener("mouseup", function (e) {
        if (e.target.closest && e.target.closest("#tl-wb, #tl-wb-toolbar")) return;  // a click on the tools themselves
        setTimeout(onSelect, 0);
      });
      document.addEventListener("keyup", function (e) { if (e.shiftKey) onSelect(); });
    }
    var said = sessionStorage.getItem(KEEP + "-said"), warned = sessionStorage.getItem(KEEP + "-warned") || "";
    load().then(function () {
      if (said) say(said + " — the page shows it" + warned, false, warned);
      sessionStorage.removeItem(KEEP + "-said");
      sessionStorage.removeItem(KEEP + "-warned");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
