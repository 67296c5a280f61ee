"""The workbench's endpoints, on a running `build.py serve`: who may write, what is written, refusals, undo.

The project is the fixture investigation with one more seed drafted by `build.py new`; a test
annotates that draft through the endpoints alone until `check --strict` passes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, fixture_project, tree
from tests.test_serve import Server, serving, wait_until
from threadline.cli import main
from threadline.pipeline import build
from threadline.preview.workbench.api import is_loopback
from threadline.preview.workbench.journal import Journal, WriteRefusedError, writable

SEED = """\
Harbour board delays Varnholm vote
By Ada Lindqvist
12 July 2024
The Varnholm harbour board postponed on Friday its vote on the Northwind Freight terminal lease.
Board chair Olaf Brenner said the delay  would last until next week, pending a report from Baltic Survey Group.
Critics said the company had not answered questions raised in March by the Varnholm Port Authority Review.
Share this article
"""
SLUG = "harbour-2024-07"
SIDECAR = f"content/dossiers/{SLUG}.yaml"
PAGE = f"varnholm/dossiers/{SLUG}/"


def drafted_project(root: Path) -> Path:
    project = fixture_project(root)
    (project / "seeds" / f"{SLUG}.txt").write_text(SEED, encoding="utf-8")
    assert main(["new", "--project", str(project), f"seeds/{SLUG}.txt"]) == 0
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return drafted_project(tmp_path / "project")


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    with serving(project) as running:
        yield running


def token_of(server: Server) -> str:
    status, body = server.get(PAGE)
    assert status == 200
    return re.search(r'data-token="([^"]+)"', body).group(1)


def post(server: Server, path: str, body: object, headers: dict | None = None) -> tuple[int, dict]:
    """POST JSON as the workbench does (its Origin and token), with `headers` overriding them."""
    sent = {"Origin": server.origin, "Content-Type": "application/json", "X-Threadline-Token": token_of(server),
            **(headers or {})}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(f"{server.origin}/__threadline__/workbench/{path}", data,
                                     {k: v for k, v in sent.items() if v is not None}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def act(server: Server, **params: object) -> dict:
    status, reply = post(server, "action", params)
    assert (status, reply["ok"]) == (200, True), reply
    return reply


def state(server: Server) -> dict:
    return json.loads(server.get(f"__threadline__/workbench/state?dossier={SLUG}")[1])


def rebuilt(server: Server, before: int) -> None:
    wait_until(lambda: server.status()["build"] > before)


@pytest.mark.parametrize(("headers", "body", "code", "error"), [
    ({"X-Threadline-Token": None}, {}, 403, "a write needs this server's token in X-Threadline-Token"),
    ({"X-Threadline-Token": "guessed"}, {}, 403, "a write needs this server's token in X-Threadline-Token"),
    ({"Origin": None}, {}, 403, "a write must come from a page of this preview (Origin)"),
    ({"Origin": "http://evil.example"}, {}, 403, "a write must come from a page of this preview (Origin)"),
    ({"Origin": "null"}, {}, 403, "a write must come from a page of this preview (Origin)"),
    ({"Content-Type": "text/plain"}, {}, 415, "a write is a JSON body (Content-Type: application/json)"),
    ({}, b"{not json", 400, "the body is not JSON"),
    ({}, [], 422, "the request must be a JSON object"),
    ({}, {"action": "format-disk"}, 422, "unknown action 'format-disk'; one of cite, new-event, alias, new-entity, "
                                         "not-entity, note, boilerplate, quotation, headline, set, confirm, remove"),
])
def test_a_write_needs_the_pages_origin_the_token_and_json(server: Server, project: Path, headers: dict, body: object,
                                                            code: int, error: str) -> None:
    before = tree(project / "content")
    params = body if body != {} else {"action": "alias", "entity": "varnholm", "alias": "Varnholm harbour"}
    status, reply = post(server, "action", params, headers)
    assert (status, reply) == (code, {"ok": False, "error": error})
    assert tree(project / "content") == before


def test_an_action_that_changes_nothing_says_so_and_writes_nothing(server: Server, project: Path) -> None:
    before = tree(project / "content")
    reply = act(server, action="set", target="entity", id="varnholm", fields={"kind": "place"})
    assert reply == {"ok": True, "said": "nothing to change: the files already say so (kind set)",
                     "files": [], "warnings": []}
    assert tree(project / "content") == before


def test_each_server_has_its_own_token(project: Path, server: Server) -> None:
    first = token_of(server)
    with serving(project) as other:
        assert token_of(other) != first
        status, _ = post(other, "action", {"action": "alias", "entity": "varnholm", "alias": "X"},
                         {"X-Threadline-Token": first})
        assert status == 403


def test_a_citation_writes_the_seeds_own_text_in_two_added_lines(server: Server, project: Path) -> None:
    before_text = (project / SIDECAR).read_text(encoding="utf-8")
    build_count = server.status()["build"]
    # The browser collapses the seed's double space; the seed's own characters are written.
    reply = act(server, action="cite", dossier=SLUG, event="northwind-announces-terminal", line=5,
                quote="Board chair Olaf Brenner said the delay would last until next week")
    assert reply == {"ok": True, "said": "cited 'northwind-announces-terminal'", "files": [SIDECAR], "warnings": []}
    after = (project / SIDECAR).read_text(encoding="utf-8")
    added = ("  - event: northwind-announces-terminal\n"
             "    quote: Board chair Olaf Brenner said the delay  would last until next week\n")
    assert after.replace(added, "") == before_text and after.count(added) == 1
    rebuilt(server, build_count)
    assert 'data-event="northwind-announces-terminal"' in server.get(PAGE)[1]


def test_a_citation_is_shortened_in_place_by_the_passage_that_replaces_its_quote(server: Server, project: Path) -> None:
    before = (project / SIDECAR).read_text(encoding="utf-8")
    whole = "The Varnholm harbour board postponed on Friday its vote on the Northwind Freight terminal lease."
    reply = act(server, action="cite", dossier=SLUG, event=f"{SLUG}-event-1", line=4,
                quote="postponed on Friday its vote", replaces=whole)
    assert reply["said"] == f"the quote for '{SLUG}-event-1' changed"
    after = (project / SIDECAR).read_text(encoding="utf-8")
    assert after == before.replace(f'quote: "{whole}"', "quote: postponed on Friday its vote")
    status, refused = post(server, "action", {"action": "cite", "dossier": SLUG, "event": f"{SLUG}-event-1", "line": 4,
                                              "quote": "its vote", "replaces": whole})
    assert (status, refused["error"]) == (422, f"{SIDECAR} does not cite '{SLUG}-event-1' with the quote '{whole}'")


@pytest.mark.parametrize(("params", "error", "problems"), [
    ({"action": "set", "target": "event", "id": f"{SLUG}-event-1", "fields": {"date": "2024-13"}},
     "the build would fail, so nothing was written",
     [f"content/events/{SLUG}.yaml:5:9: date: '2024-13' is not a valid EDTF date (use e.g. 2021-05-21, 2021-02 (a month), "
      "2019, 2023-12~ (about then), 2021? (not sure), 2022-41 (second half of 2022), 2022-07/2024 (from July 2022 to 2024))"]),
    ({"action": "alias", "entity": "anselm-brandt", "alias": "Varnholm"}, "the build would fail, so nothing was written",
     ["content/entities/places.yaml:3:3: alias 'Varnholm' of 'varnholm' already belongs to 'anselm-brandt'"]),
    ({"action": "set", "target": "event", "id": f"{SLUG}-event-1", "fields": {"status": "rumoured"}},
     "the build would fail, so nothing was written", None),
    ({"action": "cite", "dossier": SLUG, "event": "no-such-event", "line": 4, "quote": "Varnholm"},
     "no event 'no-such-event'", None),
    ({"action": "cite", "dossier": SLUG, "event": "northwind-announces-terminal", "line": 4, "quote": "Critics said"},
     "the selection is not a passage of line 4 of the seed: a quote must lie within one paragraph", None),
    ({"action": "cite", "dossier": SLUG, "event": "northwind-announces-terminal", "line": 99, "quote": "x"},
     "the seed has no line 99", None),
    ({"action": "new-entity", "kind": "ship", "name": "Sea Star", "description": "A ship."},
     "'kind' must be one of person, organisation, place, product, not 'ship'", None),
    ({"action": "set", "target": "dossier", "id": SLUG, "fields": {"seed": "other.txt"}},
     "the workbench does not set seed of an dossier", None),
    ({"action": "alias", "entity": "../../etc", "alias": "x"}, "'entity' must be an id such as elon-musk, not '../../etc'", None),
    ({"action": "note", "dossier": SLUG, "line": 4, "passage": "Varnholm"}, "missing 'text'", None),
    ({"action": "set", "target": "event", "id": f"{SLUG}-event-1", "fields": {"title": {"a": 1}}},
     "'title' must be text, not {\"a\": 1}", None),
    ({"action": "set", "target": "event", "id": f"{SLUG}-event-1", "fields": {"entities": "varnholm"}},
     "'entities' must be a list of ids, not \"varnholm\"", None),
    ({"action": "cite", "dossier": SLUG, "event": "northwind-announces-terminal", "line": True, "quote": "Varnholm"},
     "the seed has no line True", None),
    ({"action": "new-entity", "kind": "place", "name": "Varnholm", "description": "A port."},
     "'Varnholm' is already a spelling of 'Varnholm' (varnholm): choose that entity instead of a new one", None),
])
def test_a_refused_action_writes_nothing_and_says_why(server: Server, project: Path, params: dict, error: str,
                                                      problems: list | None) -> None:
    before = tree(project / "content")
    status, reply = post(server, "action", params)
    assert status == 422 and reply["ok"] is False and reply["error"] == error
    if problems is not None:
        assert reply["problems"] == problems
    assert tree(project / "content") == before


def test_undo_puts_every_file_back_byte_for_byte(server: Server, project: Path) -> None:
    before = tree(project / "content")
    act(server, action="new-entity", kind="organisation", name="Harbour Board", description="Runs the harbour.")
    act(server, action="not-entity", dossier=SLUG, name="Baltic Survey Group")
    assert tree(project / "content") != before
    assert post(server, "undo", {}) == (200, {"ok": True, "said": "undone: 'Baltic Survey Group' is listed as not an entity",
                                              "files": [SIDECAR, f"content/entities/{SLUG}.yaml",
                                                        f"content/events/{SLUG}.yaml"]})
    assert post(server, "undo", {})[0] == 200
    assert tree(project / "content") == before
    assert post(server, "undo", {}) == (422, {"ok": False, "error": "nothing to undo"})


def test_undo_is_refused_when_the_file_changed_since(server: Server, project: Path) -> None:
    act(server, action="alias", entity="varnholm", alias="Varnholm harbour")
    places = project / "content/entities/places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    assert post(server, "undo", {}) == (422, {"ok": False, "error": "content/entities/places.yaml changed since the "
                                                                   "action; undo it by hand"})


def test_the_state_suggests_names_and_never_links_one_holding_a_known_name(server: Server) -> None:
    assert state(server)["suggestions"] == []  # `new` drafted a stub entity for each: the panel lists those
    act(server, action="remove", target="entity", id="olaf-brenner")
    act(server, action="remove", target="entity", id="varnholm-port-authority-review")
    wait_until(lambda: len(state(server)["suggestions"]) == 2)
    found = {s["name"]: (s["line"], s["contains"]) for s in state(server)["suggestions"]}
    assert found["Olaf Brenner"] == (5, None)
    assert found["Varnholm Port Authority Review"] == (6, "varnholm-port-authority")


def test_the_state_says_which_drafted_events_and_entities_are_left_to_confirm(server: Server) -> None:
    def todo(kind: str) -> dict[str, bool]:
        return {item["id"]: item["todo"] for item in state(server)[kind]}
    stub = f"{SLUG}-event-1"
    assert todo("events")[stub] and not todo("events")["northwind-announces-terminal"]
    assert todo("entities")["olaf-brenner"] and not todo("entities")["varnholm"]
    act(server, action="set", target="entity", id="olaf-brenner", confirm=True, fields={"description": "Board chair."})
    wait_until(lambda: not todo("entities")["olaf-brenner"])
    assert todo("entities")["baltic-survey-group"] and todo("events")[stub]  # its neighbours are still drafts


def test_the_date_preview_says_what_readers_see() -> None:
    from threadline.preview.workbench.state import date_preview
    assert date_preview("2023-12~", "day-month-year") == {"shown": "December 2023 (approx.)"}
    assert date_preview("2022-07/2024", "day-month-year") == {"shown": "July 2022 – 2024"}
    assert date_preview("2023-13", "day-month-year")["error"].startswith("'2023-13' is not a valid EDTF date")


def test_a_draft_annotated_through_the_endpoints_alone_passes_check_strict(server: Server, project: Path) -> None:
    """Every TODO `new` wrote is confirmed or replaced by an action: no YAML typed by hand."""
    events, stubs = f"{SLUG}-event", f"content/entities/{SLUG}.yaml"
    act(server, action="set", target="dossier", id=SLUG, confirm=True,
        fields={"headline": "Harbour board delays Varnholm vote", "outlet": "Harbour Weekly",
                "outlet_basis": "Invented for the tests.", "author": "Ada Lindqvist", "author_basis": "The byline.",
                "published": "2024-07-12", "published_basis": "Stated: '12 July 2024' on line 3."})
    act(server, action="boilerplate", dossier=SLUG, line=7)
    act(server, action="confirm", target="dossier", id=SLUG, keys=["boilerplate", "events"])
    act(server, action="set", target="event", id=f"{events}-1", confirm=True,
        fields={"title": "The harbour board postpones its vote on the terminal lease",
                "date_basis": "'On Friday' in a report of Friday 12 July 2024.", "entities": ["varnholm", "northwind-freight"]})
    act(server, action="remove", target="event", id=f"{events}-2")  # "next week" is not an event yet
    act(server, action="remove", target="event", id=f"{events}-3")
    for ident in [e["id"] for e in state(server)["entities"] if e["file"] == stubs]:
        act(server, action="set", target="entity", id=ident, confirm=True, fields={"description": "Named in the report."})
    act(server, action="not-entity", dossier=SLUG, name="Varnholm Port Authority Review")
    act(server, action="new-event", dossier=SLUG, line=6, quote="questions raised in March",
        title="Critics raise questions about the terminal", date="2024-03", date_basis="'In March' in a July 2024 report.",
        status="reported", entities=["northwind-freight"])
    act(server, action="note", dossier=SLUG, line=5, passage="until next week", text="No date was set.")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--strict", "--project", str(project)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    content = "".join(p.read_text(encoding="utf-8") for p in (project / "content").rglob("*.yaml"))
    assert "TODO" not in content and f"{SLUG}-event-" not in content  # a confirmed stub is named after its title
    assert "- id: harbour-board-postpones-its-vote\n" in content  # no id ends on a word such as "on"
    sidecar = (project / SIDECAR).read_text(encoding="utf-8")  # the draft's notes to its editor went with it
    assert "# Drafted by" not in sidecar and "# Names no entity claimed" not in sidecar and "# Known" not in sidecar
    assert sidecar.endswith("\nunlinked:\n  - Varnholm Port Authority Review\n")


def test_writes_go_only_to_yaml_files_under_content(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "content" / "linked").symlink_to(tmp_path / "elsewhere")
    for rel, error in [("seeds/a.yaml", "the workbench writes only YAML files under content/"),
                       ("content/../site.yaml", "the workbench writes only YAML files under content/"),
                       ("content/pages/about.md", "the workbench writes only YAML files under content/"),
                       ("templates/base.html", "the workbench writes only YAML files under content/"),
                       ("content/linked/x.yaml", "the workbench does not write through a symbolic link")]:
        with pytest.raises(WriteRefusedError) as refused:
            writable(tmp_path, rel)
        assert str(refused.value) == f"{rel}: {error}"
    journal = Journal(tmp_path)
    with pytest.raises(WriteRefusedError):
        journal.write("x", {"content/linked/x.yaml": "a: 1\n"})
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_the_built_site_never_has_the_workbench(project: Path, tmp_path: Path) -> None:
    for path in [f"content/dossiers/{SLUG}.yaml", f"content/entities/{SLUG}.yaml", f"content/events/{SLUG}.yaml",
                 f"seeds/{SLUG}.txt"]:
        (project / path).unlink()
    build(project, tmp_path / "out", search=False)
    assert not any(b"__threadline__" in content or b"workbench" in content for content in tree(tmp_path / "out").values())


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("127.5.0.9", True), ("::1", True), ("::ffff:127.0.0.1", True), ("192.168.1.20", False),
    ("10.0.0.1", False), ("::ffff:192.168.1.20", False), ("fe80::1%eth0", False), ("", False), (None, False),
    ("localhost", False),
])
def test_only_a_browser_on_this_computer_may_write(address: str | None, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_a_quotation_headline_and_several_boilerplate_lines(server: Server, project: Path) -> None:
    act(server, action="quotation", dossier=SLUG, speaker="anselm-brandt", line=5, text="would last until next week")
    act(server, action="headline", dossier=SLUG, line=1)
    sidecar = project / SIDECAR  # the draft lists the byline as boilerplate: here the editor had taken it out
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace('  - "By Ada Lindqvist"\n', ""), encoding="utf-8")
    assert act(server, action="boilerplate", dossier=SLUG, lines=[2, 3, 7])["said"] == "lines 2, 3, 7 boilerplate"
    text = (project / SIDECAR).read_text(encoding="utf-8")
    assert "quotes:\n  - speaker: anselm-brandt\n    text: would last until next week\n" in text
    assert "\nheadline: Harbour board delays Varnholm vote\nheadline_by: source\n" in text
    assert '  - "12 July 2024"\n  - "Share this article"\n  - By Ada Lindqvist\nnotes:' in text  # listed ones once


def test_renaming_a_stub_updates_every_reference(server: Server, project: Path) -> None:
    act(server, action="set", target="entity", id="olaf-brenner", fields={"id": "olaf-brenner-chair"})
    act(server, action="quotation", dossier=SLUG, speaker="olaf-brenner-chair", line=5, text="until next week")
    act(server, action="set", target="entity", id="olaf-brenner-chair", fields={"id": "olaf-brenner"})
    act(server, action="set", target="event", id=f"{SLUG}-event-2", fields={"id": "board-delays-vote"})
    events = (project / f"content/events/{SLUG}.yaml").read_text(encoding="utf-8")
    text = (project / SIDECAR).read_text(encoding="utf-8")
    assert "- id: board-delays-vote\n" in events and "entities: [olaf-brenner, baltic-survey-group]" in events
    assert "  - event: board-delays-vote\n" in text and "  - speaker: olaf-brenner\n" in text
    assert "olaf-brenner-chair" not in events + text and f"{SLUG}-event-2" not in events + text
    status, reply = post(server, "action", {"action": "set", "target": "entity", "id": "olaf-brenner",
                                            "fields": {"id": "anselm-brandt"}})
    assert (status, reply) == (422, {"ok": False, "error": "there is already an entity 'anselm-brandt'"})


def test_confirming_another_publication_day_dates_the_stub_events_again(server: Server, project: Path) -> None:
    act(server, action="set", target="dossier", id=SLUG, fields={"published": "2024-07-19", "published_basis": "By hand."})
    events = (project / f"content/events/{SLUG}.yaml").read_text(encoding="utf-8")
    assert ("  date: \"2024-07-19\"  # TODO confirm\n  date_basis: \"TODO confirm: 'on Friday' on line 4, in a report "
            "published on Friday 19 July 2024.\"\n") in events
    assert '  date: "2024-07-22/2024-07-28"  # TODO confirm\n' in events


def test_an_action_that_brings_a_warning_is_written_and_says_so(server: Server) -> None:
    """A new warning does not refuse the action (a draft passes through many), but `check --strict` fails on it."""
    reply = act(server, action="new-event", dossier=SLUG, line=6, quote="questions raised in March",
                title="Critics raise questions", date="2025-01", date_basis="Mistyped.", status="reported", entities=[])
    assert reply["warnings"] == [
        f"content/dossiers/{SLUG}.yaml:26:5: warning: event 'critics-raise-questions' (2025-01) starts after this seed "
        "was published (2024-07-12) (check the event's date and the publication date)"]
    wait_until(lambda: any("'critics-raise-questions'" in item["message"] for item in state(server)["left"]))  # rebuilt
    again = act(server, action="note", dossier=SLUG, line=5, passage="until next week", text="No date was set.")
    assert again["warnings"] == []  # known now: only what an action brings is told


def test_a_new_events_date_is_guessed_from_the_passage(server: Server) -> None:
    def guess(text: str, line: int) -> dict:
        query = urllib.parse.urlencode({"dossier": SLUG, "line": line, "text": text})
        return json.loads(server.get(f"__threadline__/workbench/guess?{query}")[1])
    assert guess("questions raised in March.", 6) == {
        "ok": True, "title": "questions raised in March", "date": "2024-03",
        "date_basis": "'in March' on line 6, in a report published on Friday 12 July 2024."}
    assert guess("postponed on Friday its vote", 4)["date"] == "2024-07-12"
    # No date expression: on or before the report's day.
    assert guess("Critics said the\ncompany  lied.", 6) == {
        "ok": True, "title": "Critics said the company lied", "date": "../2024-07-12",
        "date_basis": "Undated in the text: before the report of 12 July 2024."}
