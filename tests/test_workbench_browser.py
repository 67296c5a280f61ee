"""The workbench in real Chromium, as an editor uses it: select a passage, click, fill a form; the page reloads.

A draft made by `build.py new` on a copy of the fixture investigation is annotated through the
panel and the selection toolbar only; each step is checked in the YAML files and on the reloaded
page. Screenshots go where tests/test_browser.py puts its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_browser import artifacts, browser  # noqa: F401 (fixtures)
from tests.test_serve import Server, serving
from tests.test_workbench_api import PAGE, SIDECAR, SLUG, drafted_project, post

pytestmark = pytest.mark.browser

# Selects `text` in the element `id` as a mouse does, skipping what the site adds to the source's text
# (note marks, status labels, [sic] marks: the workbench's NOT_SEED), then lets go of the button.
# Selects `text` inside line `line` of the source as a mouse does (skipping footnote marks and links to the
# timeline, as the workbench does), then lets go of the button. Returns the line's text when `text` is not in it.
SELECT = """([line, text]) => {
  const p = document.getElementById("line-" + line), skip = "sup, .ev-link, .tl-suggest-badge, [data-not-seed]";
  const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const nodes = []; let all = "";
  while (walk.nextNode()) { nodes.push([walk.currentNode, all.length]); all += walk.currentNode.data; }
  const at = all.indexOf(text);
  if (at < 0) return all;
  const point = offset => {
    for (const [node, start] of nodes) if (offset <= start + node.data.length) return [node, offset - start];
  };
  const range = document.createRange();
  range.setStart(...point(at)); range.setEnd(...point(at + text.length));
  getSelection().removeAllRanges(); getSelection().addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
  return null;
}"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    project = drafted_project(tmp_path / "project")
    with serving(project) as running:
        yield running, project


@pytest.fixture
def page(browser, served: tuple[Server, Path]) -> Iterator[object]:  # noqa: F811 (browser is the fixture)
    server, _ = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.goto(f"{server.origin}/{PAGE}")
    opened.click("#tl-wb-open")
    opened.wait_for_selector("#tl-wb form[data-field=headline]")
    yield opened
    context.close()


def reloads(page, action) -> None:
    """Do `action` (a click that writes) and wait for the preview to reload the page."""
    with page.expect_event("load", timeout=30_000):
        action()
    page.wait_for_selector("#tl-wb-said:not(:empty)")


def select(page, line: int, text: str) -> None:
    missed = page.evaluate(SELECT, [line, text])
    assert missed is None, f"{text!r} is not in line {line}: {missed!r}"
    page.wait_for_selector("#tl-wb-toolbar:not([hidden])")


def sidecar(project: Path) -> str:
    return (project / SIDECAR).read_text(encoding="utf-8")


def test_an_editor_annotates_a_draft_on_the_page(page, served: tuple[Server, Path], artifacts: Path) -> None:  # noqa: F811
    _, project = served
    page.screenshot(path=str(artifacts / "workbench-panel.png"))

    # Metadata: the guessed headline confirmed as it stands.
    reloads(page, lambda: page.click("form[data-field=headline] button[type=submit]"))
    assert "\nheadline: Harbour board delays Varnholm vote\nheadline_by" in sidecar(project)

    # Cite a passage for an existing event, found by searching.
    select(page, 4, "postponed on Friday its vote on the Northwind Freight terminal lease")
    page.screenshot(path=str(artifacts / "workbench-toolbar.png"))
    page.click("#tl-wb-toolbar [data-do=cite]")
    page.fill("#tl-wb input[name=search]", "announces terminal")
    page.screenshot(path=str(artifacts / "workbench-cite.png"))
    reloads(page, lambda: page.click("#tl-wb .tl-results button"))
    assert "  - event: northwind-announces-terminal\n    quote: postponed on Friday its vote on the Northwind Freight " \
           "terminal lease\n" in sidecar(project)
    assert page.locator('#line-4 mark[data-event="northwind-announces-terminal"]').count() == 1

    # A new event, its date shown as readers will see it while typing.
    select(page, 6, "questions raised in March")
    page.click("#tl-wb-toolbar [data-do=cite]")
    form = page.locator("#tl-wb form[data-event=new]")
    form.locator("textarea[name=title]").fill("Critics raise questions about the terminal")
    form.locator("input[name=date]").fill("2024-03~")
    page.wait_for_function("document.querySelector('#tl-wb form[data-event=new] .tl-date').textContent.includes('approx')")
    assert form.locator(".tl-date").text_content() == "Readers see: March 2024 (approx.)"
    form.locator("textarea[name=date_basis]").fill("'In March' in a report of July 2024.")
    reloads(page, lambda: form.locator("button[type=submit]").click())
    events = (project / f"content/events/{SLUG}.yaml").read_text(encoding="utf-8")
    assert "- id: critics-raise-questions-about-the-terminal\n  date: \"2024-03~\"\n" in events
    assert page.locator('#line-6 mark[data-event="critics-raise-questions-about-the-terminal"]').count() == 1

    # A note, then a boilerplate line, which is undone.
    select(page, 5, "until next week")
    page.click("#tl-wb-toolbar [data-do=note]")
    page.fill("#tl-wb textarea[name=text]", "No date was set.")
    reloads(page, lambda: page.click("#tl-wb form button[type=submit]"))
    assert "notes:\n  - passage: until next week\n    text: No date was set.\n" in sidecar(project)
    # The draft lists the byline as boilerplate; the editor takes it out in their own editor, the page reloads.
    with page.expect_event("load", timeout=30_000):
        (project / SIDECAR).write_text(sidecar(project).replace('  - "By Ada Lindqvist"\n', ""), encoding="utf-8")
    page.wait_for_selector("#line-2")
    before = sidecar(project)
    select(page, 2, "Ada Lindqvist")
    reloads(page, lambda: page.click("#tl-wb-toolbar [data-do=boilerplate]"))
    assert '  - By Ada Lindqvist\n' in sidecar(project) and page.locator("#line-2").count() == 0
    reloads(page, lambda: page.click("#tl-wb-undo"))
    assert sidecar(project) == before and page.locator("#line-2").count() == 1

    # A passage across two paragraphs cannot be a quote.
    page.evaluate("""() => { const r = document.createRange();
      r.setStart(document.getElementById('line-4').firstChild, 0); r.setEnd(document.getElementById('line-5'), 1);
      getSelection().removeAllRanges(); getSelection().addRange(r); document.dispatchEvent(new MouseEvent('mouseup')); }""")
    assert page.locator("#tl-wb-toolbar .tl-failed").text_content() == "A quote must lie within one paragraph of the source."
    page.screenshot(path=str(artifacts / "workbench-after.png"), full_page=True)
    assert page.errors == []


def test_names_become_entities_aliases_or_are_set_aside(page, served: tuple[Server, Path]) -> None:
    server, project = served
    post(server, "action", {"action": "remove", "target": "entity", "id": "olaf-brenner"})  # as if `new` had missed it
    page.wait_for_event("load", timeout=30_000)
    suggested = page.locator(".source-text .tl-suggest", has_text="Olaf Brenner")
    suggested.wait_for()
    assert suggested.count() == 1
    suggested.click()
    form = page.locator("#tl-wb form[data-entity=new]")
    assert form.locator("input[name=name]").input_value() == "Olaf Brenner"
    form.locator("textarea[name=description]").fill("Chair of the Varnholm harbour board.")
    reloads(page, lambda: form.locator("button[type=submit]").click())
    people = (project / "content/entities/people.yaml").read_text(encoding="utf-8")
    assert people.endswith("\n- id: olaf-brenner\n  kind: person\n  name: Olaf Brenner\n"
                           "  description: Chair of the Varnholm harbour board.\n")
    assert page.locator("#line-5 a.mention", has_text="Olaf Brenner").count() == 1

    page.click("#tl-wb form[data-entity=baltic-survey-group] .tl-quiet")  # the stub: "Not an entity"
    page.wait_for_event("load", timeout=30_000)
    assert "unlinked:\n  - Baltic Survey Group\n" in sidecar(project)

    page.wait_for_selector("#tl-wb form[data-field=headline]")
    select(page, 4, "harbour board")
    page.click("#tl-wb-toolbar [data-do=name]")
    page.fill("#tl-wb input[name=entity-search]", "port authority")
    reloads(page, lambda: page.click("#tl-wb .tl-results button"))
    organisations = (project / "content/entities/organisations.yaml").read_text(encoding="utf-8")
    assert "inspects its quay.\n  aliases:\n    - harbour board\n" in organisations
    assert page.errors == []


def test_the_toolbar_stays_in_the_window_for_a_passage_at_its_bottom_edge(page) -> None:
    bottom = page.evaluate("() => window.scrollY + document.getElementById('line-6').getBoundingClientRect().bottom")
    page.set_viewport_size({"width": 1280, "height": int(bottom) + 4})  # the line ends at the window's bottom edge
    select(page, 6, "questions raised in March")
    box = page.evaluate("() => { const r = document.getElementById('tl-wb-toolbar').getBoundingClientRect();"
                        " return [r.top, r.bottom, r.left, r.right, window.innerHeight, window.innerWidth]; }")
    top, bottom, left, right, height, width = box
    assert top >= 0 and bottom <= height and left >= 0 and right <= width, box
    assert page.errors == []


def test_an_action_that_brings_a_warning_says_so_after_the_reload(page, artifacts: Path) -> None:  # noqa: F811
    select(page, 6, "questions raised in March")
    page.click("#tl-wb-toolbar [data-do=cite]")
    form = page.locator("#tl-wb form[data-event=new]")
    page.wait_for_function("document.querySelector('#tl-wb [name=date]').value !== ''")  # the drafted date arrived
    form.locator("textarea[name=title]").fill("Critics raise questions")
    form.locator("input[name=date]").fill("2025-01")
    reloads(page, lambda: form.locator("button[type=submit]").click())
    said = page.locator("#tl-wb-said")
    assert said.get_attribute("class") == "tl-warned"
    assert "the page shows it\nBut the build now warns (check --strict fails until it is fixed):\n" in said.text_content()
    assert "'critics-raise-questions' (2025-01) starts after this seed was published" in said.text_content()
    page.screenshot(path=str(artifacts / "workbench-warned.png"))
    assert page.errors == []


def test_a_new_event_cannot_be_sent_while_its_date_is_no_date(page) -> None:
    select(page, 6, "questions raised in March")
    page.click("#tl-wb-toolbar [data-do=cite]")
    form = page.locator("#tl-wb form[data-event=new]")
    form.locator("input[name=date]").fill("2024-13")
    page.wait_for_function("document.querySelector('#tl-wb form[data-event=new] button[type=submit]').disabled")
    assert "is not a valid EDTF date" in form.locator(".tl-date").text_content()
    form.locator("input[name=date]").fill("2024-03")
    page.wait_for_function("document.querySelector('#tl-wb form[data-event=new] .tl-date').textContent.includes('March')")
    assert form.locator(".tl-date").text_content() == "Readers see: March 2024"
    assert form.locator("button[type=submit]").is_enabled()
    assert page.errors == []


def test_the_panel_keeps_its_place_after_an_action(page) -> None:
    """Confirming the draft's stubs one after another, the editor is not sent back to the top each time."""
    form = page.locator("#tl-wb form[data-entity]").last
    form.scroll_into_view_if_needed()
    top = page.evaluate("document.querySelector('.tl-wb-body').scrollTop")
    assert top > 100  # the panel was scrolled down to the stub
    reloads(page, lambda: form.locator("button[type=submit]").click())
    page.wait_for_function("document.querySelector('.tl-wb-body').scrollTop > 0")
    assert abs(page.evaluate("document.querySelector('.tl-wb-body').scrollTop") - top) < 60
    assert page.errors == []


def test_a_cited_passage_is_shortened_by_selecting_part_of_it(page, served: tuple[Server, Path]) -> None:
    _, project = served
    select(page, 4, "postponed on Friday its vote")
    page.click("#tl-wb-toolbar [data-do=cite]")
    button = page.locator("#tl-wb button", has_text="Make this passage the quote for")
    assert button.count() == 1
    reloads(page, lambda: button.click())
    assert "    quote: postponed on Friday its vote\n" in sidecar(project)
    assert page.locator("#line-4 mark.evidence").text_content() == "postponed on Friday its vote"
    assert page.errors == []
