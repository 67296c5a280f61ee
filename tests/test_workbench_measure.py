"""Two news reports annotated fully through the workbench in Chromium, every action counted: the measure in
EDITING.md ("Annotating with the workbench: measured").

The project is tests/workbench_fixture (paraphrases of two real news reports, and a few entities) with the repository's templates.
`build.py new` drafts both sidecars; then each report is annotated as tests/workbench_fixture/expected/ was
annotated by hand in YAML, but only as an editor does it in the preview: selecting passages on the dossier page,
clicking the toolbar and the panel's buttons, choosing in its lists and filling in its forms. An action is one
selection, click, choice or field filled in; the typed characters are those filled into fields. No YAML is
typed. At the end `check --strict` passes with no TODO left, the annotation is the hand-made one (compared by
names and titles: the ids of new events are made from their titles), and the measure is printed (`pytest -s`
shows it).

Also: the panel opened before the workbench's state has arrived (a click right after the page loads).
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, write_project
from tests.test_browser import browser  # noqa: F401 (the Chromium fixture)
from tests.test_serve import Server, serving
from tests.test_workbench_browser import SELECT
from threadline.cli import main

pytestmark = pytest.mark.browser

FIXTURE = REPO / "tests" / "workbench_fixture"
SUBPATH = "workbench-measure"


@dataclass(frozen=True)
class Event:
    title: str
    date: str
    date_basis: str
    status: str
    entities: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """One report's annotation, as the hand-made one in expected/: what to do, not how (see Bench)."""

    slug: str
    headline: int | None  # the line that is the headline, or None (then it is in `metadata`)
    metadata: dict[str, tuple[str | None, str]]  # field -> (value, basis); a basis of "" is not a field's
    boilerplate: tuple[tuple[int, int], ...]  # (first line, last line) selected at once
    removed: tuple[str, ...]  # stub entities that are no name at all
    not_entities: tuple[str, ...]  # stub entities whose names are listed under unlinked:
    entities: dict[str, tuple[str, str, str]]  # stub id -> (kind, name, description)
    new_entities: tuple[tuple[int, str, str, str], ...]  # (line, name, kind, description)
    aliases: tuple[tuple[int, str, str], ...]  # (line, spelling, entity name)
    stub_events: dict[str, Event | None]  # stub id -> the event (None: removed)
    new_events: tuple[tuple[int, str, Event], ...]  # (line, quote, event)
    cited: tuple[tuple[int, str, str], ...]  # (line, quote, title of an event written before)
    notes: tuple[tuple[int, str, str], ...]  # (line, passage, note)
    quotations: tuple[tuple[int, str, str], ...] = ()  # (line, quoted words, speaker's name)


UNN = Report(
    slug="unn-2024-02-16",
    headline=None,
    metadata={
        "headline": ("Budanov tells the WSJ that Russian troops use thousands of Starlink terminals", ""),
        "outlet": ("UNN", "The text says \"UNN reports\"; the page is on unn.ua, the site of the Ukrainian "
                          "National News agency."),
        "author": (None, "The text carries no byline."),
        "published": ("2024-02-16", "Stated: '2024-02-16' on line 1 of the seed."),
    },
    boilerplate=((3, 3), (13, 13), (19, 19)),
    removed=("kirill-budanov", "diu", "arab"),  # Kirill is Kyrylo's other spelling: an alias, below
    not_entities=(),
    entities={
        "kyrylo-budanov": ("person", "Kyrylo Budanov", "Lieutenant general, head of Ukraine's military intelligence."),
        "wall-street-journal": ("organisation", "The Wall Street Journal",
                                "US newspaper; interviewed Kyrylo Budanov in February 2024."),
        "unn": ("organisation", "UNN", "Ukrainian National News, a Kyiv news agency."),
        "pentagon": ("organisation", "Pentagon",
                     "The US Department of Defense; helped fund Starlink access for Ukraine's forces."),
        "ben-barry": ("person", "Ben Barry", "Retired brigadier of the British Army."),
    },
    new_entities=((17, "British Army", "organisation", "The United Kingdom's land force."),),
    aliases=((5, "Kirill Budanov", "Kyrylo Budanov"), (1, "Wall Street Journal", "The Wall Street Journal")),
    stub_events={"unn-2024-02-16-event-1": Event(
        "Ukraine uses about 42,000 Starlink terminals, with Pentagon funding for its forces", "2023",
        "'last year' on line 11, in a report published on Friday 16 February 2024.", "reported",
        ("ukraine", "starlink", "pentagon")),
        "unn-2024-02-16-event-2": None},  # "earlier this week": Starlink's silence, not an event of its own
    new_events=(
        (1, "Kyrylo Budanov, who heads Ukraine's military intelligence, told the Wall Street Journal in an interview "
            "that Russian forces in Ukraine use thousands of Starlink satellite terminals, which Elon Musk's SpaceX "
            "makes", Event(
            "Budanov tells the WSJ that Russian troops use thousands of Starlink terminals", "2024-02-15",
            "Undated in the text; the WSJ published the interview on Thursday 15 February 2024 (general knowledge).",
            "reported", ("kyrylo-budanov", "wall-street-journal", "russia", "ukraine", "starlink", "spacex"))),
        (9, "Russian troops use Starlink to communicate at the front, but how widely the terminals are used is not "
            "known.", Event(
            "Russian forces are reported to use Starlink", "2022-02/2024-02-16",
            "Undated in the text: before the report of 16 February 2024, after Starlink reached Ukraine in February "
            "2022 (general knowledge).", "alleged", ("russia", "starlink", "spacex"))),
        (7, "He said the intermediaries ship the equipment into Russia through neighboring countries, among them "
            "former Soviet republics.", Event(
            "Russian firms buy Starlink terminals through intermediaries in neighbouring countries", "../2024-02-16",
            "Undated in the text: before the report of 16 February 2024.", "alleged",
            ("kyrylo-budanov", "russia", "starlink"))),
        (15, "Starlink has said it does no business in or with Russia.", Event(
            "Starlink says it does no business in or with Russia", "../2024-02-16",
            "Undated in the text: before the report of 16 February 2024.", "reported", ("starlink", "russia"))),
    ),
    cited=(),
    notes=((5, "Lieutenant General Kirill Budanov",
            "Kirill is the Russian form of Kyrylo: the same person as in the first line."),
           (11, "the Pentagon helping to pay for Ukrainian troops' access",
            "The Pentagon's contract with SpaceX for Starlink in Ukraine was announced in June 2023 (general "
            "knowledge).")),
)

MT_DENIAL = "The Kremlin denies that Musk spoke to Putin before his peace plan"
MT = Report(
    slug="moscowtimes-2022-10-12",
    headline=7,
    metadata={
        "published": ("2022-10-12", "Not in the text: the page's address gives 2022/10/12, a Wednesday, the day "
                                    "the article says the Kremlin spoke."),
        "outlet": ("The Moscow Times", "Named in the readers' message at the end of the page; the page is on "
                                       "themoscowtimes.com."),
        "author": (None, "The text carries no byline."),
    },
    boilerplate=((1, 5), (31, 35)),  # the banner and the readers' message (`new` drafts the photo credit)
    removed=("the-moscow-times", "russia-s-prosecutor-general-s-office"),
    not_entities=(),  # `new` takes "American" and "Ukrainians" for words for people, not names
    entities={
        "un": ("organisation", "United Nations",
               "Under whose supervision Musk's 2022 \"peace plan\" would have re-run the annexation referendums."),
        "eurasia-group": ("organisation", "Eurasia Group", "Political risk consultancy founded by Ian Bremmer."),
        "ian-bremmer": ("person", "Ian Bremmer", "American political scientist, founder of Eurasia Group; reported "
                                                 "in October 2022 that Musk had told him of talks with Putin."),
        "dmitry-peskov": ("person", "Dmitry Peskov", "Kremlin spokesman."),
    },
    new_entities=(),
    aliases=((13, "UN", "United Nations"),),  # `new` drafts "Bremmer" and "Peskov" as the aliases of their stubs
    stub_events={
        "moscowtimes-2022-10-12-event-1": Event(
            MT_DENIAL, "2022-10-12", "'on Wednesday' on line 11, in a report published on Wednesday 12 October 2022.",
            "reported", ("kremlin", "dmitry-peskov", "elon-musk", "vladimir-putin")),
        "moscowtimes-2022-10-12-event-2": Event(
            "Musk proposes a \"peace plan\" for Ukraine on Twitter", "2022-10-03",
            "'Last week' in a report of 12 October 2022; Musk posted the proposal on Twitter on 3 October 2022 "
            "(general knowledge).", "reported", ("elon-musk", "twitter", "ukraine", "crimea", "russia")),
        "moscowtimes-2022-10-12-event-3": Event(
            "Ian Bremmer reports that Musk told him of talks with Putin", "2022-10-11",
            "'on Tuesday' on line 15, in a report published on Wednesday 12 October 2022.", "reported",
            ("ian-bremmer", "eurasia-group", "elon-musk", "vladimir-putin")),
        "moscowtimes-2022-10-12-event-4": Event(
            "Musk denies Bremmer's account, saying he last spoke to Putin 18 months ago", "2022-10-11/2022-10-12",
            "After Bremmer's report of Tuesday 11 October 2022, before this report of 12 October.", "reported",
            ("elon-musk", "ian-bremmer", "vladimir-putin")),
        "moscowtimes-2022-10-12-event-5": None,  # "on Wednesday" again: Peskov's backing, cited for the denial
        "moscowtimes-2022-10-12-event-6": Event("Musk and Putin speak by telephone, about space", "2021-04~",
               "'18 months ago' (Musk) and 'about a year and a half ago' (Peskov) in a report of 12 October 2022.",
               "confirmed", ("elon-musk", "vladimir-putin")),
    },
    new_events=(
        (17, "Elon Musk told me he had spoken with Putin and the Kremlin directly about Ukraine", Event(
            "Musk speaks to Putin about Ukraine before proposing his peace plan", "2022-09/2022-10-03",
            "Before the plan Musk tweeted on 3 October 2022 (general knowledge); how long before is not said.",
            "disputed", ("elon-musk", "vladimir-putin", "kremlin", "ian-bremmer", "ukraine"))),
        (25, "Musk had asked his 107 million Twitter followers to vote on the plan in a poll, which angered many "
             "Ukrainians and won the Kremlin’s praise.", Event(
            "Musk's Twitter poll outrages Ukrainians; the Kremlin praises it", "2022-10-03/2022-10-12",
            "After Musk's poll of 3 October 2022 (general knowledge), before this report.", "reported",
            ("elon-musk", "twitter", "kremlin", "ukraine"))),
        (27, "The day after the poll, Putin completed the annexation of four Ukrainian regions that Russia only "
             "partly occupies, a step that most of the international community condemned.", Event(
            "Putin finalises the annexation of four Ukrainian regions", "2022-10-04",
            "'The day after the poll' of 3 October 2022 (general knowledge).", "reported",
            ("vladimir-putin", "russia", "ukraine"))),
        (29, "Ukraine’s counteroffensive is still moving forward in the south and east.", Event(
            "Ukraine's counteroffensive advances in the south and east", "2022-10-12",
            "'is still moving forward' in a report published on 12 October 2022.", "reported", ("ukraine",))),
    ),
    cited=((21, "Dmitry Peskov, the Kremlin’s spokesman, backed Musk’s version on Wednesday.", MT_DENIAL),),
    notes=((27, "The day after the poll, Putin completed the annexation",
            "Russia's upper house ratified the annexations on 4 October 2022, a day after the poll; Putin signed the "
            "laws on 5 October (general knowledge)."),
           (19, "his last conversation with Russia’s president, he said, was 18 months ago",
            "Musk's tweet of 11 October 2022 said the call was about space (general knowledge).")),
    quotations=((17, "Elon Musk told me he had spoken with Putin and the Kremlin directly about Ukraine", "Ian Bremmer"),
                (23, "about a year and a half ago they had a telephone conversation", "Dmitry Peskov")),
)

# Selects lines `first` to `last` of the source whole, from the start of one to the end of the other.
SELECT_LINES = """([first, last]) => {
  const start = document.getElementById("line-" + first), end = document.getElementById("line-" + last);
  const range = document.createRange();
  range.setStart(start, 0); range.setEnd(end, end.childNodes.length);
  getSelection().removeAllRanges(); getSelection().addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""
# True once the page listens for the next reload: a build that ends before livereload's handshake reloads nothing.
LISTENING = "() => window.LiveReload && window.LiveReload.connector.protocol >= 7"
# True once the page has reloaded after an action, the workbench has loaded and the page listens again, or the
# action was refused.
SETTLED = f"""() => document.querySelector("#tl-wb-said.tl-failed") || (!window.tlStale && ({LISTENING})() &&
  /the page shows it/.test((document.getElementById("tl-wb-said") || {{}}).textContent || ""))"""


@dataclass
class Tally:
    actions: int = 0
    typed: int = 0
    steps: list[str] = field(default_factory=list)


class Bench:
    """The workbench on one dossier page, driven as an editor does; every action is counted in `tally`."""

    def __init__(self, page, base: str, slug: str) -> None:
        self.page, self.slug, self.tally = page, slug, Tally()
        page.goto(f"{base}dossiers/{slug}/")
        page.wait_for_function(LISTENING)
        self.click(page.locator("#tl-wb-open"), "open: the workbench")

    def count(self, what: str, typed: int = 0) -> None:
        self.tally.actions += 1
        self.tally.typed += typed
        self.tally.steps.append(what)

    def click(self, target, what: str) -> None:
        target.click()
        self.count(what)

    def fill(self, target, text: str) -> None:
        """Type into a field, unless it already holds the text (a guess kept as it is).

        What is typed is what the editor inserts into the field's draft, as the by-hand count counts
        what is inserted into `new`'s draft: the characters a character diff inserts.
        """
        before = target.input_value()
        if before != text:
            target.fill(text)
            self.count(f"type: {target.get_attribute('name')}: {before!r} -> {text!r}", inserted(before, text))

    def choose(self, select, value: str) -> None:
        if select.input_value() != value:
            select.select_option(value)
            self.count(f"choose: {value}")

    def tick(self, form, wanted: tuple[str, ...]) -> None:
        """The entities taking part ticked, and only them."""
        for box in form.locator("input[name=entities]").all():
            on = box.get_attribute("value") in wanted
            if box.is_checked() != on:
                box.set_checked(on)
                self.count(f"tick: {box.get_attribute('value')}")
        assert sorted(form.locator("input[name=entities]:checked").evaluate_all("l => l.map(b => b.value)")) == \
            sorted(wanted)

    def submit(self, button, what: str) -> None:
        """Click a button that writes, and wait for the reloaded page (or fail with the workbench's refusal)."""
        self.page.evaluate("window.tlStale = true")
        self.click(button, f"write: {what}")
        self.page.wait_for_function(SETTLED, timeout=60_000)
        refused = self.page.locator("#tl-wb-said.tl-failed")
        assert refused.count() == 0, f"{what}: {refused.text_content()}"

    def select(self, line: int, text: str) -> None:
        missed = self.page.evaluate(SELECT, [line, text])
        assert missed is None, f"{text!r} is not in line {line}: {missed!r}"
        self.page.locator("#tl-wb-toolbar").wait_for(state="visible")
        self.count(f"select: {text!r}")

    def select_lines(self, first: int, last: int) -> None:
        self.page.evaluate(SELECT_LINES, [first, last])
        self.page.locator("#tl-wb-toolbar").wait_for(state="visible")
        self.count(f"select: lines {first}-{last}")

    def tool(self, name: str) -> None:
        self.click(self.page.locator(f"#tl-wb-toolbar [data-do={name}]"), f"toolbar: {name}")

    def tab(self) -> None:
        """The panel's "This dossier" tab, unless it is showing."""
        button = self.page.locator("[role=tab][data-tab=dossier]")
        if button.get_attribute("aria-selected") != "true" or not self.page.locator("#tl-wb form").count():
            self.click(button, "tab: this dossier")

    def panel(self, selector: str):
        return self.page.locator(f"#tl-wb {selector}")


TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def inserted(before: str, after: str) -> int:
    """The characters typed to turn `before` into `after`: those of the words a word diff inserts.

    Words, not characters, so that keeping a letter here and there of a long draft counts as typing
    the word (deleting is not typing).
    """
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return sum(len(token) for op, _, _, j1, j2 in opcodes if op in ("insert", "replace") for token in new[j1:j2])


def button(scope, text: str):
    return scope.get_by_role("button", name=text, exact=True)


def event_form(bench: Bench, form, event: Event) -> None:
    bench.fill(form.locator("[name=title]"), event.title)
    bench.fill(form.locator("[name=date]"), event.date)
    bench.fill(form.locator("[name=date_basis]"), event.date_basis)
    bench.choose(form.locator("[name=status]"), event.status)
    bench.tick(form, event.entities)


def metadata(bench: Bench, report: Report) -> None:
    if report.headline:
        bench.select_lines(report.headline, report.headline)
        bench.submit(bench.page.locator("#tl-wb-toolbar [data-do=headline]"), "headline (toolbar)")
    for key, (value, basis) in report.metadata.items():
        bench.tab()
        form = bench.panel(f"form[data-field={key}]")
        bench.fill(form.locator(f"[name={key}]"), value or "")
        if basis:
            bench.fill(form.locator(f"[name={key}_basis]"), basis)
        bench.submit(button(form, "Confirm"), f"confirm {key}")


def boilerplate(bench: Bench, report: Report) -> None:
    for first, last in report.boilerplate:
        bench.select_lines(first, last)
        bench.submit(bench.page.locator("#tl-wb-toolbar [data-do=boilerplate]"), "boilerplate (toolbar)")


def stub_entities(bench: Bench, report: Report) -> None:
    for ident in report.removed:
        bench.tab()
        bench.submit(button(bench.panel(f"form[data-entity={ident}]"), "Remove"), f"remove {ident}")
    for ident in report.not_entities:
        bench.tab()
        bench.submit(button(bench.panel(f"form[data-entity={ident}]"), "Not an entity"), f"{ident} is not an entity")
    for ident, (kind, name, description) in report.entities.items():
        bench.tab()
        form = bench.panel(f"form[data-entity={ident}]")
        bench.choose(form.locator("[name=kind]"), kind)
        bench.fill(form.locator("[name=name]"), name)
        bench.fill(form.locator("[name=description]"), description)
        bench.submit(button(form, "Confirm"), f"confirm {ident}")


def names(bench: Bench, report: Report) -> None:
    for line, name, kind, description in report.new_entities:
        bench.select(line, name)
        bench.tool("name")
        form = bench.panel("form[data-entity=new]")
        bench.choose(form.locator("[name=kind]"), kind)
        bench.fill(form.locator("[name=description]"), description)
        bench.submit(button(form, "Add the entity"), f"new entity {name}")
    for line, spelling, entity in report.aliases:
        bench.select(line, spelling)
        bench.tool("name")
        pick(bench, entity, f"{spelling} is {entity}")


def events(bench: Bench, report: Report) -> None:
    for ident, event in report.stub_events.items():
        bench.tab()
        form = bench.panel(f"form[data-event={ident}]")
        if event is None:
            bench.submit(button(form, "Remove"), f"remove {ident}")
            continue
        event_form(bench, form, event)
        bench.submit(button(form, "Confirm"), f"confirm {ident}")
    for line, quote, event in report.new_events:
        bench.select(line, quote)
        with bench.page.expect_response(lambda response: "/workbench/guess" in response.url) as guess:
            bench.tool("cite")
        form = bench.panel("form[data-event=new]")
        drafted = guess.value.json()  # the panel fills in the title, date and basis drafted: wait for them
        bench.page.wait_for_function("""d => ["title", "date"].every(name =>
            document.querySelector(`#tl-wb [name=${name}]`).value === (d[name] || ""))""", arg=drafted)
        event_form(bench, form, event)
        bench.submit(button(form, "Create and cite"), f"new event {event.title}")
    for line, quote, title in report.cited:
        bench.select(line, quote)
        bench.tool("cite")
        bench.fill(bench.panel("[name=search]"), title.split()[1])
        bench.submit(button(bench.panel(".tl-results"), title), f"cite {title}")


def pick(bench: Bench, entity: str, what: str) -> None:
    """Choose an entity: among those the panel lists as likely, or else by searching for its last word."""
    likely = button(bench.panel(".tl-likely"), entity)
    if not likely.count():
        bench.fill(bench.panel("[name=entity-search]"), entity.split()[-1])
    bench.submit(likely if likely.count() else button(bench.panel(".tl-results"), entity), what)


def notes(bench: Bench, report: Report) -> None:
    for line, passage, text in report.notes:
        bench.select(line, passage)
        bench.tool("note")
        bench.fill(bench.panel("textarea[name=text]"), text)
        bench.submit(button(bench.panel("form"), "Add the note"), "add the note")


def quotations(bench: Bench, report: Report) -> None:
    for line, words, speaker in report.quotations:
        bench.select(line, words)
        bench.tool("quotation")
        pick(bench, speaker, f"quotation of {speaker}")


def confirm_lists(bench: Bench) -> None:
    bench.tab()
    bench.submit(button(bench.panel("form[data-sections]"), "Confirm them"), "confirm the drafted lists")


def annotate(bench: Bench, report: Report) -> Tally:
    # The headline first: until it changes, the draft's headline (line 1 of one report) is not in the text.
    for step in (metadata, boilerplate, stub_entities, names, events, notes, quotations):
        step(bench, report)
    confirm_lists(bench)
    return bench.tally


# --- the result ------------------------------------------------------------------------------------------------


def load(path: Path) -> list | dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def items(root: Path, kind: str) -> list[dict]:
    return [item for path in sorted((root / "content" / kind).glob("*.yaml")) for item in load(path)]


def annotation(root: Path, slug: str) -> dict:
    """What the project says about one report, by names and titles (ids and files may differ from the hand-made)."""
    names = {e["id"]: e["name"] for e in items(root, "entities")}
    titles = {e["id"]: e["title"] for e in items(root, "events")}
    sidecar = load(root / f"content/dossiers/{slug}.yaml")
    cited = {c["event"] for c in sidecar["events"]}
    sidecar |= {"events": sorted((titles[c["event"]], c["quote"]) for c in sidecar["events"]),
                "quotes": [(names[q["speaker"]], q["text"]) for q in sidecar["quotes"]],
                "published": str(sidecar["published"]),
                "boilerplate": sorted(sidecar["boilerplate"], key=str)}  # in any order: each line is dropped alike
    return {
        "sidecar": sidecar,
        "events": sorted((e["title"], str(e["date"]), e["date_basis"], e["status"], sorted(names[i] for i in e["entities"]))
                         for e in items(root, "events") if e["id"] in cited),
    }


def registry(root: Path) -> list[tuple]:
    return sorted((e["name"], e["kind"], e["description"], sorted(e.get("aliases") or [])) for e in items(root, "entities"))


def typed_by_hand(project: Path, slug: str) -> tuple[int, int]:
    """Lines and characters typed by hand: what the hand-made annotation (expected/) adds to `new`'s drafts.

    Lines are those a line diff adds (as `git diff --numstat` counts them), characters those of the
    words a word diff inserts (`inserted`); the quotes copied from the seed count as typed.
    """
    lines = chars = 0
    for made in sorted((FIXTURE / "expected").rglob(f"{slug}.yaml")):
        draft = project / made.relative_to(FIXTURE / "expected")
        before = draft.read_text(encoding="utf-8") if draft.exists() else ""
        after = made.read_text(encoding="utf-8")
        diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        lines += sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        chars += inserted(before, after)
    return lines, chars


def fixture_copy(root: Path) -> Path:
    """The fixture as it is before any annotation, with this repository's templates."""
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("expected", "README.md"))
    return write_project(root, {})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = fixture_copy(tmp_path / "project")
    for report in (UNN, MT):
        assert main(["new", "--project", str(root), f"seeds/{report.slug}.txt"]) == 0
    return root


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    with serving(project) as running:
        yield running


def annotated(browser, server: Server) -> dict[str, Tally]:  # noqa: F811 (browser is the fixture's value)
    """Each report annotated on its own page of the preview; JavaScript errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    tallies = {}
    for report in (UNN, MT):
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        tallies[report.slug] = annotate(Bench(page, f"{server.origin}/{SUBPATH}/", report.slug), report)
        page.close()
    context.close()
    assert errors == []
    return tallies


def test_two_news_reports_are_annotated_through_the_workbench_alone(
        browser, project: Path, server: Server, tmp_path: Path) -> None:  # noqa: F811
    hand = {report.slug: typed_by_hand(project, report.slug) for report in (UNN, MT)}  # against the drafts, before
    tallies = annotated(browser, server)
    check = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--strict", "--project", str(project)],
                           capture_output=True, text=True)
    for slug, tally in tallies.items():
        kinds = Counter(step.split(":")[0] for step in tally.steps)
        (lines, chars) = hand[slug]
        print(f"{slug}: by hand {lines} lines, {chars} characters typed; workbench {tally.actions} actions "
              f"({', '.join(f'{n} {k}' for k, n in kinds.most_common())}), {tally.typed} characters typed in form "
              f"fields ({tally.typed / chars:.0%}), 0 lines of YAML typed, 1 check round")
        print("".join(f"    {step}\n" for step in tally.steps if step.startswith("type")))
    assert check.returncode == 0, check.stdout + check.stderr
    # Every alias and speaker was among the entities the panel listed as likely: none was searched for.
    assert [step for tally in tallies.values() for step in tally.steps if step.startswith("type: entity-search")] == []
    assert [p for p in (project / "content").rglob("*.yaml") if "TODO" in p.read_text(encoding="utf-8")] == []
    assert [e["id"] for e in items(project, "events") if "-event-" in e["id"]] == []  # no draft id is published
    by_hand = fixture_copy(tmp_path / "by-hand")
    shutil.copytree(FIXTURE / "expected", by_hand, dirs_exist_ok=True)
    assert registry(project) == registry(by_hand)
    for report in (UNN, MT):
        assert annotation(project, report.slug) == annotation(by_hand, report.slug)


# Holds back the workbench's state for a second, as a slow build would.
SLOW_STATE = """const fetchNow = window.fetch;
window.fetch = (url, options) => String(url).includes("/state") ?
  new Promise(done => setTimeout(() => done(fetchNow(url, options)), 1000)) : fetchNow(url, options);"""


def test_the_panel_opened_before_its_state_arrives_shows_it_without_an_error(
        browser, server: Server) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(SLOW_STATE)
    page.goto(f"{server.origin}/{SUBPATH}/dossiers/{UNN.slug}/", wait_until="domcontentloaded")
    page.click("#tl-wb-open")
    page.locator("#tl-wb form[data-field=headline]").wait_for()
    context.close()
    assert errors == []
