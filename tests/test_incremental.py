"""Incremental builds are exact: after any edit, what they write equals a fresh full build, byte for byte.

Two incremental modes are held to it: `build` from a fresh process (the dependency record on
disk, record.py) and the dev server's in-memory preview (preview_mode.Preview). A record that is
corrupted, stale or foreign is ignored, never trusted; and every input of an entry's key is
needed: dropping any one of them makes some edit's incremental build differ from the full one.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import SEED, scratch_files, sidecar, tree, write_project
from threadline.errors import BuildError
from threadline.inputs import model
from threadline.inputs.yamlio import YMap
from threadline.pipeline import Session, analyse, build, build_in_memory, site_plan
from threadline.publish import modes, record, stamp
from threadline.publish.modes import Incremental, Mode
from threadline.publish.write import previous_of
from threadline.site import keys as keys_module
from threadline.site import plan
from threadline.site.keys import Keys
from threadline.site.render import Output

SECOND = "Tesla shares rose\n\nElon Musk spoke in Moscow about Mars.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The scratch investigation with a second seed, so that one can be deleted."""
    return write_project(tmp_path / "project", scratch_files(**{
        "seeds/b.txt": SECOND, "content/dossiers/second-report.yaml": sidecar("b.txt", SECOND).replace(
            "Musk meets Putin in Moscow", "Tesla shares rose").replace("boilerplate: [Source link]", "boilerplate: []")
        .split("notes:")[0] + "notes: []\nquotes: []\nevents: []\n"}))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_seed_alone(root: Path) -> str:
    """The seed edited, its sidecar's hash not yet: the new text."""
    new = SEED.replace("on Friday", "on Friday morning")
    (root / "seeds/a.txt").write_text(new, encoding="utf-8")
    return new


def rehash_seed(root: Path, new: str) -> None:
    replace_in(root / "content/dossiers/example-report.yaml", hashlib.sha256(SEED.encode()).hexdigest(),
               hashlib.sha256(new.encode()).hexdigest())


def edit_seed(root: Path) -> None:
    rehash_seed(root, edit_seed_alone(root))


def new_seed(root: Path) -> None:
    text = "Putin speaks\n\nVladimir Putin spoke about Tesla.\n"
    (root / "seeds/c.txt").write_text(text, encoding="utf-8")
    (root / "content/dossiers/third-report.yaml").write_text(
        (root / "content/dossiers/second-report.yaml").read_text(encoding="utf-8").replace("b.txt", "c.txt")
        .replace(hashlib.sha256(SECOND.encode()).hexdigest(), hashlib.sha256(text.encode()).hexdigest())
        .replace("Tesla shares rose", "Putin speaks"), encoding="utf-8")


def delete_seed(root: Path) -> None:
    (root / "seeds/b.txt").unlink()
    (root / "content/dossiers/second-report.yaml").unlink()


SIDECAR, ENTITIES, EVENTS = "content/dossiers/example-report.yaml", "content/entities/all.yaml", "content/events/all.yaml"
EDITS = {
    "sidecar note": lambda r: replace_in(r / SIDECAR, "has not published", "never published"),
    "sidecar quote": lambda r: replace_in(r / SIDECAR, "quote: talks in February", "quote: visit followed talks in February"),
    "sidecar outlet": lambda r: replace_in(r / SIDECAR, "outlet: Example News", "outlet: Example Times"),
    "entity description": lambda r: replace_in(r / ENTITIES, "President of Russia.", "Russia's president."),
    "entity kind": lambda r: replace_in(r / ENTITIES, "kind: organisation\n  name: Kremlin", "kind: place\n  name: Kremlin"),
    "entity alias": lambda r: replace_in(r / ENTITIES, "  name: Kremlin\n", "  name: Kremlin\n  aliases: [Friday]\n"),
    "event title": lambda r: replace_in(r / EVENTS, "title: Talks in February", "title: February talks"),
    "event date": lambda r: replace_in(r / EVENTS, "date: 2024-02\n", "date: 2024-01/2024-02\n"),
    "event status": lambda r: replace_in(r / EVENTS, "status: reported", "status: denied"),
    "seed and its hash": edit_seed,
    "template": lambda r: replace_in(r / "templates/base.html", "<main", "<main data-edited"),
    "static file": lambda r: replace_in(r / "templates/static/style.css", "}", "} /* edited */"),
    "site title": lambda r: replace_in(r / "site.yaml", "title: Scratch", "title: Scratch edited"),
    "site base_url": lambda r: replace_in(r / "site.yaml", "example.github.io/scratch/", "example.org/elsewhere/"),
    "free page body": lambda r: replace_in(r / "content/pages/about.md", "A scratch", "A small"),
    "free page title": lambda r: replace_in(r / "content/pages/about.md", "# About", "# About us"),
    "new seed": new_seed,
    "deleted seed": delete_seed,
    "deleted page": lambda r: (r / "content/pages/about.md").unlink(),
}


def inputs_digest(root: Path) -> str | None:
    return stamp.read_inputs(root).digest


def incremental(root: Path, out: Path, search: bool = False, workers: int = 1) -> None:
    """What `build.py build` does, in a mode that keeps nothing in memory: all it knows is on disk."""
    mode = Incremental(workers, None, inputs_digest(root), {"out": str(out)})
    build(root, out, mode=mode, search=search)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the entries rendered, in order."""
    seen: list[str] = []
    real = plan.Entry.render
    monkeypatch.setattr(plan.Entry, "render", lambda self: (seen.append(self.path), real(self))[1])
    return seen


def built_twice(root: Path, out: Path) -> None:
    """Two builds: the record now describes both the site and the previous one, which the next build rewrites."""
    incremental(root, out)
    incremental(root, out)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_incremental_build_after_an_edit_equals_a_full_build(project: Path, tmp_path: Path, edit: str,
                                                               rendered: list[str]) -> None:
    out = tmp_path / "site"
    built_twice(project, out)
    before = tree(out)
    EDITS[edit](project)
    rendered.clear()
    incremental(project, out)
    count = len(rendered)
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")
    assert tree(out) != before  # the edit did change the site
    assert count > 0
    # A second edit: the tree rewritten now is the one from before the first edit.
    replace_in(project / SIDECAR, "published_basis: Dateline.", "published_basis: Dateline, edited.")
    incremental(project, out)
    build(project, tmp_path / "full2", search=False)
    assert tree(out) == tree(tmp_path / "full2")


def test_an_incremental_build_on_worker_processes_equals_a_full_build(project: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    real = modes.parallel_map
    monkeypatch.setattr(modes, "parallel_map", lambda *args, **kw: real(*args, **{**kw, "min_items": 1}))
    out = tmp_path / "site"
    incremental(project, out, workers=2)
    incremental(project, out, workers=2)
    EDITS["entity kind"](project)
    incremental(project, out, workers=2)
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")


def test_on_a_large_site_two_data_files_to_render_are_enough_for_workers(project: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An event's edit renders ten data files at 10,000 dossiers, 0.1 to 3.7 s each: on workers, though far
    fewer than PARALLEL_FROM."""
    out, pids = tmp_path / "site", tmp_path / "pids"
    built_twice(project, out)
    real = plan.Entry.render

    def render(self: plan.Entry) -> Output:
        with pids.open("a") as file:  # workers are processes of their own: what they render is told in a file
            file.write(f"{self.path} {os.getpid()}\n")
        return real(self)

    monkeypatch.setattr(plan.Entry, "render", render)
    monkeypatch.setattr(modes, "PARALLEL_FROM", len(tree(out)) // 2)  # the plan is "large"; the edit renders fewer
    EDITS["event title"](project)  # in the events' data files, the timeline's, the entities' network...
    incremental(project, out, workers=2)
    by_path = dict(line.split() for line in pids.read_text().splitlines())
    assert len(by_path) < modes.PARALLEL_FROM
    assert {pid for path, pid in by_path.items() if path.startswith("data/")} - {str(os.getpid())}
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")


def test_a_small_site_renders_its_few_data_files_in_this_process(project: Path, tmp_path: Path,
                                                                 rendered: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    built_twice(project, out)
    rendered.clear()
    EDITS["event title"](project)
    incremental(project, out, workers=2)
    assert len([path for path in rendered if path.startswith("data/")]) > 2  # the list is filled here, not on workers


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_the_dev_servers_rebuild_after_an_edit_equals_a_full_build(project: Path, tmp_path: Path, edit: str) -> None:
    session = Session()
    _, before = build_in_memory(project, session)
    EDITS[edit](project)
    _, files = build_in_memory(project, session)
    build(project, tmp_path / "full", search=False)
    assert files == tree(tmp_path / "full")
    assert files != before


def test_the_dev_server_keeps_every_file_packed_and_serves_its_bytes(project: Path, tmp_path: Path) -> None:
    """At 10,000 dossiers the site is 720 MB: the dev server holds it packed, each file opened when served."""
    session = Session()
    _, files = build_in_memory(project, session)
    kept = session.outputs.values()
    assert kept and all(output.packed for output in kept)
    assert sum(len(output.content) for output in kept) < sum(output.size for output in kept)
    build(project, tmp_path / "full", search=False)
    assert dict(files) == tree(tmp_path / "full") and "index.html" in files and "nothing.html" not in files


def test_the_dev_server_keeps_no_sidecars_parse(project: Path) -> None:
    """A parsed sidecar holds each value's place (110 MB at 10,000 dossiers): only the dossier made of it is kept."""
    session = Session()
    build_in_memory(project, session)
    kept = [value for _, value, _ in session.files._entries.values()]
    assert any(isinstance(value, model.Dossier) for value in kept)
    assert not any(isinstance(part, YMap) for value in kept for part in (value if isinstance(value, tuple) else (value,)))


def test_the_dev_servers_first_pass_hashes_no_page_its_plan_made(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its plan's memo knows which entries a pass made again: hashing their contexts too (seconds at 10,000) is waste."""
    keyed: list[str] = []
    real = Keys.key
    monkeypatch.setattr(Keys, "key", lambda self, entry: (keyed.append(entry.path), real(self, entry))[1])
    session = Session()
    _, files = build_in_memory(project, session)
    made = set(session.planned.made)
    assert "dossiers/example-report/index.html" in made and "index.html" in files
    assert keyed and not made & set(keyed)


def test_a_seed_changed_alone_is_checked_in_the_dev_server_as_in_a_full_build(project: Path, tmp_path: Path) -> None:
    """The sidecar, unchanged, is read again to make its dossier: the seed's new text fails its hash, then passes."""
    session = Session()
    build_in_memory(project, session)
    text = edit_seed_alone(project)
    with pytest.raises(BuildError) as preview:
        build_in_memory(project, session)
    with pytest.raises(BuildError) as full:
        build(project, tmp_path / "full", search=False)
    assert "seed 'a.txt' has changed since it was annotated" in str(preview.value)
    assert str(preview.value) == str(full.value)
    rehash_seed(project, text)
    _, files = build_in_memory(project, session)
    build(project, tmp_path / "full", search=False)
    assert files == tree(tmp_path / "full") and "morning" in files["dossiers/example-report/index.html"].decode()


# The data files that show a dossier's notes, and the Data page, which gives their sizes. Not the network
# (connections.gexf): it reads only the dossiers' links, for the latest publication date; nor the FollowTheMoney
# file (entities.ftm.json): it reads each dossier as a document (Views.articles), its metadata and text.
DOSSIER_DATA = ["data/dossiers.json", "data/index.html"]


NOTE_FILES = sorted(["dossiers/example-report/index.html", "dossiers/example-report.md", *DOSSIER_DATA])


def a_note_edit_renders_its_files_only(project: Path, out: Path, rendered: list[str]) -> None:
    """Edit a note and build: only the files that show it are rendered, and the site equals a full build."""
    rendered.clear()
    EDITS["sidecar note"](project)
    incremental(project, out)
    assert sorted(rendered) == NOTE_FILES
    build(project, out.parent / "full", search=False)
    assert tree(out) == tree(out.parent / "full")


def test_only_the_files_an_edit_touches_are_rendered(project: Path, tmp_path: Path, rendered: list[str]) -> None:
    built_twice(project, tmp_path / "site")
    rendered.clear()
    incremental(project, tmp_path / "site")
    assert rendered == []  # nothing changed
    EDITS["sidecar note"](project)  # the note shows on its dossier page and in its Markdown only
    incremental(project, tmp_path / "site")
    # Not the feed, the home page, the dossier list or the timeline: they show each dossier's link, not its notes
    # (the pages are given only the views their templates read, site/reads.py).
    assert sorted(rendered) == NOTE_FILES


def test_the_first_rebuild_copies_the_unchanged_files_of_the_last_site(project: Path, tmp_path: Path,
                                                                      rendered: list[str]) -> None:
    """With no site before the last to rewrite, the build writes a new folder: what did not change is copied."""
    out = tmp_path / "site"
    incremental(project, out)  # one build: no .site.previous yet
    assert not previous_of(out).exists()
    a_note_edit_renders_its_files_only(project, out, rendered)


def test_where_files_cannot_be_linked_the_first_rebuild_copies_them(project: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    out = tmp_path / "site"
    incremental(project, out)
    monkeypatch.setattr(os, "link", refused)
    EDITS["sidecar note"](project)
    incremental(project, out)
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")
    assert all(p.stat().st_nlink == 1 for p in out.rglob("*") if p.is_file())


def test_a_failed_build_after_the_first_rebuild_leaves_the_site_as_it_was(project: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The site and the one before it share the files the first rebuild linked: rewriting one never changes the other."""
    out = tmp_path / "site"
    incremental(project, out)
    EDITS["sidecar note"](project)
    incremental(project, out)  # links the unchanged files of the first site
    assert any(p.stat().st_nlink == 2 for p in out.rglob("*") if p.is_file())
    before = tree(out)
    EDITS["entity description"](project)
    real = plan.Entry.render
    monkeypatch.setattr(plan.Entry, "render", lambda self: 1 / 0 if self.path == "data/index.html" else real(self))
    with pytest.raises(ZeroDivisionError):
        incremental(project, out)  # writes the entity's page into the site before the last, then fails (the Data page is last)
    assert tree(out) == before


@pytest.mark.parametrize("change", ["tampered", "removed"])
def test_the_last_site_changed_since_it_was_recorded_is_not_copied(project: Path, tmp_path: Path,
                                                                   rendered: list[str], change: str) -> None:
    out = tmp_path / "site"
    incremental(project, out)
    page = out / "people/elon-musk/index.html"
    page.write_text("tampered") if change == "tampered" else page.unlink()
    rendered.clear()
    EDITS["sidecar note"](project)
    incremental(project, out)
    assert "people/elon-musk/index.html" in rendered  # every file rendered, none copied
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")


def test_the_dev_servers_second_pass_renders_only_the_data_an_edit_touches(project: Path, tmp_path: Path,
                                                                           rendered: list[str]) -> None:
    session = Session()
    build_in_memory(project, session)
    EDITS["sidecar note"](project)
    session.defer_data = True  # as serve's first pass: the open data keeps its last bytes, and keys
    build_in_memory(project, session)
    rendered.clear()
    session.defer_data = False
    _, files = build_in_memory(project, session)
    assert sorted(rendered) == sorted(DOSSIER_DATA)  # not the data files that do not show the note
    build(project, tmp_path / "full", search=False)
    assert files == tree(tmp_path / "full")


def test_the_dev_server_renders_only_what_an_edit_touches(project: Path, rendered: list[str]) -> None:
    session = Session()
    build_in_memory(project, session)
    rendered.clear()
    EDITS["entity description"](project)  # shown on the entity's page only
    build_in_memory(project, session)
    entity_data = ["data/entities.json", "data/entities.csv", "data/mentions.csv", "data/entities.ftm.json",
                   "data/connections.gexf", "data/index.html"]  # not the events' files: they do not show it
    # Not the home page, the timeline or the list of people: they list people by name and counts (Views.roster).
    assert sorted(rendered) == sorted(["people/vladimir-putin/index.html", *entity_data])


def test_an_event_edit_renders_its_own_page_of_a_long_timeline_only(project: Path, tmp_path: Path,
                                                                    rendered: list[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("threadline.site.timeline.TIMELINE_PAGE_EVENTS", 1)  # a page for each of the two events of 2024
    out = tmp_path / "site"
    built_twice(project, out)
    assert {"timeline/2024/index.html", "timeline/2024-2/index.html"} <= set(tree(out))
    rendered.clear()
    EDITS["event title"](project)  # February's talks, on the first page of 2024
    incremental(project, out)
    # Not the other page of 2024, nor the timeline's index of its pages: they list the pages, not their events.
    assert [path for path in rendered if path.startswith("timeline/")] == ["timeline/2024/index.html"]
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")


def test_the_data_page_is_rendered_with_the_files_it_lists(project: Path, tmp_path: Path, rendered: list[str]) -> None:
    """Were the record to keep the data files but not the Data page, it is made again with the sizes of those kept."""
    out = tmp_path / "site"
    built_twice(project, out)
    body = json.loads(record_file(project).read_text())["body"]
    for recorded in body["trees"]:
        del recorded["keys"]["data/index.html"]
    record_file(project).write_text(json.dumps({"check": record._checksum(body), "body": body}))
    rendered.clear()
    incremental(project, out)
    assert rendered == ["data/index.html"]
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")


def bundle_stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (folder / "pagefind").rglob("*") if p.is_file()}


def test_the_search_index_is_kept_while_its_documents_are_unchanged(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    incremental(project, out, search=True)
    incremental(project, out, search=True)
    kept = bundle_stats(previous_of(out))
    replace_in(project / SIDECAR, "published_basis: Dateline.", "published_basis: Dateline, edited.")  # not searched
    incremental(project, out, search=True)
    assert bundle_stats(out) == kept  # the same files: Pagefind did not run
    build(project, tmp_path / "full", search=True)
    assert tree(out) == tree(tmp_path / "full")
    EDITS["sidecar note"](project)  # notes are searched
    incremental(project, out, search=True)
    assert not set(bundle_stats(out).values()) & set(kept.values())  # every file written again
    build(project, tmp_path / "full2", search=True)
    assert tree(out) == tree(tmp_path / "full2")
    assert tree(out) != tree(tmp_path / "full")


def test_the_first_rebuild_links_the_search_index_while_its_documents_are_unchanged(project: Path,
                                                                                    tmp_path: Path) -> None:
    out = tmp_path / "site"
    incremental(project, out, search=True)  # no site before it: the next build writes a new folder
    kept = bundle_stats(out)
    replace_in(project / SIDECAR, "published_basis: Dateline.", "published_basis: Dateline, edited.")  # not searched
    incremental(project, out, search=True)
    assert bundle_stats(out) == kept  # the same files, linked: Pagefind did not run
    build(project, tmp_path / "full", search=True)
    assert tree(out) == tree(tmp_path / "full")


def record_file(root: Path) -> Path:
    return root / ".threadline-cache" / record.NAME


def edited_and_rendered_in_full(project: Path, tmp_path: Path, rendered: list[str]) -> None:
    """After an edit, an incremental build that could not trust its record renders everything, as a full build."""
    EDITS["sidecar note"](project)
    rendered.clear()
    incremental(project, tmp_path / "site")
    count = len(rendered)
    build(project, tmp_path / "full", search=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")
    assert count == len(tree(tmp_path / "full"))  # everything rendered again


def model_hashes(root: Path, out: Path) -> dict[str, bytes | None]:
    """Each dossier's and event's hash as an incremental build keys it, by slug or id."""
    mode = Incremental(1, None, inputs_digest(root), {"out": str(out)})
    project = build(root, out, mode=mode, search=False).project
    return {**{d.slug: mode.models.get(d) for d in project.dossiers.values()},
            **{e.id: mode.models.get(e) for e in project.events.values()}}


def test_dossiers_and_events_are_hashed_by_the_load_of_their_files(project: Path, tmp_path: Path) -> None:
    """Not by their values, seed text and all: by the key of the file's load (code, path, bytes; the seed's too)."""
    first = model_hashes(project, tmp_path / "site")
    assert all(first.values()) and len(set(first.values())) == len(first)  # every one, each its own
    assert model_hashes(project, tmp_path / "site") == first  # as a fresh process finds them in the disk cache
    EDITS["event title"](project)
    edited = model_hashes(project, tmp_path / "site")
    changed = {name for name in first if edited[name] != first[name]}
    assert changed == {"musk-meets-putin", "february-talks"}  # the events of the edited file, not the dossiers
    edit_seed(project)
    assert model_hashes(project, tmp_path / "site")["example-report"] != edited["example-report"]


def test_a_corrupted_record_is_ignored(project: Path, tmp_path: Path, rendered: list[str]) -> None:
    """A record whose checksum fails is not trusted, even when what it says would skip the edited page."""
    built_twice(project, tmp_path / "site")
    edited = write_project(tmp_path / "edited", {})  # the same project, edited, built elsewhere: its keys
    for path in project.rglob("*"):
        if path.is_file() and ".threadline-cache" not in path.parts:
            (edited / path.relative_to(project)).parent.mkdir(parents=True, exist_ok=True)
            (edited / path.relative_to(project)).write_bytes(path.read_bytes())
    EDITS["sidecar note"](edited)
    built_twice(edited, tmp_path / "edited-site")
    future = json.loads(record_file(edited).read_text())["body"]["trees"][0]["keys"]
    kept = json.loads(record_file(project).read_text())
    for recorded in kept["body"]["trees"]:
        recorded["keys"] = future  # as if the tree already held the edited pages; the checksum no longer matches
    record_file(project).write_text(json.dumps(kept))
    edited_and_rendered_in_full(project, tmp_path, rendered)


@pytest.mark.parametrize("damage", ["truncated", "not json", "empty", "wrong format", "no trees"])
def test_an_unreadable_record_is_ignored(project: Path, tmp_path: Path, rendered: list[str], damage: str) -> None:
    built_twice(project, tmp_path / "site")
    text = record_file(project).read_text()
    body = json.loads(text)["body"]
    broken = {"truncated": text[: len(text) // 2], "not json": "\x00\xff", "empty": "",
              "wrong format": json.dumps({"check": record._checksum(body | {"format": 0}), "body": body | {"format": 0}}),
              "no trees": json.dumps({"check": record._checksum(body | {"trees": 3}), "body": body | {"trees": 3}})}
    record_file(project).write_text(broken[damage], encoding="utf-8", errors="surrogateescape")
    edited_and_rendered_in_full(project, tmp_path, rendered)


def test_a_stale_record_is_ignored_when_the_tree_changed_since(project: Path, tmp_path: Path,
                                                              rendered: list[str]) -> None:
    """The previous site was changed by hand after it was recorded: its files no longer vouch for their keys.

    Written in place, the page changed the last site too (the two share the files the second build linked).
    """
    out = tmp_path / "site"
    built_twice(project, out)
    page = previous_of(out) / "people/elon-musk/index.html"
    page.write_text("tampered")
    EDITS["sidecar note"](project)
    rendered.clear()
    incremental(project, out)
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")
    assert "people/elon-musk/index.html" in rendered


def test_a_changed_site_before_the_last_is_set_aside_for_the_last_one(project: Path, tmp_path: Path,
                                                                     rendered: list[str]) -> None:
    """Only the site before the last changed (a file replaced): the build links the last site's files instead."""
    out = tmp_path / "site"
    built_twice(project, out)
    page = previous_of(out) / "people/elon-musk/index.html"
    page.unlink()
    page.write_text("tampered")
    a_note_edit_renders_its_files_only(project, out, rendered)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == [".site.previous"]
    rendered.clear()
    replace_in(project / SIDECAR, "never published", "not yet published")  # a note again
    incremental(project, out)  # rewrites the site before the last in place again
    assert "people/elon-musk/index.html" not in rendered
    build(project, tmp_path / "full2", search=False)
    assert tree(out) == tree(tmp_path / "full2")


def test_a_failed_build_after_setting_the_site_before_the_last_aside_leaves_the_site_as_it_was(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    built_twice(project, out)
    page = previous_of(out) / "people/elon-musk/index.html"
    page.unlink()
    page.write_text("tampered")
    before = tree(out)
    EDITS["entity description"](project)
    real = plan.Entry.render
    monkeypatch.setattr(plan.Entry, "render", lambda self: 1 / 0 if self.path == "data/index.html" else real(self))
    with pytest.raises(ZeroDivisionError):
        incremental(project, out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == [".site.previous"]
    monkeypatch.setattr(plan.Entry, "render", real)
    incremental(project, out)
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")


def test_a_foreign_record_is_ignored(project: Path, tmp_path: Path, rendered: list[str]) -> None:
    """A record made for another output folder (or project) says nothing about this one's trees."""
    built_twice(project, tmp_path / "site")
    incremental(project, tmp_path / "other")  # the record is now the other folder's
    EDITS["sidecar note"](project)
    rendered.clear()
    incremental(project, tmp_path / "site")
    assert len(rendered) == len(tree(tmp_path / "site"))


def test_a_new_version_of_the_generator_renders_everything(project: Path, tmp_path: Path, rendered: list[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    built_twice(project, tmp_path / "site")
    monkeypatch.setattr("threadline.pipeline.code_digest", lambda: "another version")
    monkeypatch.setattr("threadline.site.keys.code_digest", lambda: "another version")
    rendered.clear()
    incremental(project, tmp_path / "site")
    assert len(rendered) == len(tree(tmp_path / "site"))


def test_after_a_new_version_the_second_build_renders_only_what_changed(project: Path, tmp_path: Path,
                                                                        rendered: list[str],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The site before the last was made by the old version: the build links the last site's files instead."""
    out = tmp_path / "site"
    built_twice(project, out)
    monkeypatch.setattr("threadline.pipeline.code_digest", lambda: "another version")
    monkeypatch.setattr("threadline.site.keys.code_digest", lambda: "another version")
    incremental(project, out)  # everything rendered, into the site before the last
    a_note_edit_renders_its_files_only(project, out, rendered)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == [".site.previous"]


# --- every input of a key is needed ----------------------------------------------------------

# For each input of an entry's key, an edit whose incremental build goes wrong without it.
CONTEXT_INPUTS = {
    "site": "site title", "free_pages": "free page title", "dossier": "sidecar outlet", "entity": "entity description",
    "entities": "entity kind", "body": "free page body", "annotated": "sidecar note", "named": "entity kind",
    "content": "static file", "paths": "new seed", "base_url": "site base_url", "card": "sidecar outlet",
    # A data file is given only the parts of the project and of the views it reads (exports.Export.given).
    "project": "sidecar outlet", "views": "event title",
    "links": "sidecar outlet",  # the feed's: each dossier's link
    "events": "event title",  # the timeline's, when it is one page
}
# Inputs that follow from the path and the site, both in every key, or from the code, in every key:
# nothing can change them alone (each path has one writer, and so one template or one export: the
# writer's name is in the key all the same).
# A page of a long timeline is given its part: a test of its own holds it (test_an_event_edit_renders_its_own...).
DERIVED = {"root", "page", "entity_kind", "export", "columns", "part"}
# The Data page's `sizes` are added as it renders.
# The Data page's key hashes the keys of the files whose sizes it gives (`needs`): a new dossier
# makes dossiers.json larger, and changes nothing else the Data page shows.
OTHER_INPUTS = {"templates": "template", "everything": "sidecar outlet", "needs": "new seed"}


def test_every_context_variable_of_the_plan_is_held_by_a_test(project: Path) -> None:
    names = {name for entry in site_plan(analyse(project), project / "templates", Mode()) for name in entry.context}
    assert names == set(CONTEXT_INPUTS) | DERIVED


def drop(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Keys made without one of their inputs."""
    if name == "templates":
        monkeypatch.setattr(keys_module, "templates_digest", lambda templates: "")
    elif name == "needs":
        monkeypatch.setattr(modes, "with_needed_keys",
                            lambda entries, found: dict(zip((e.path for e in entries), found, strict=True)))
    elif name == "everything":
        monkeypatch.setattr(sys.modules[__name__], "inputs_digest", lambda root: "the same whatever the inputs")
    else:
        real = Keys.key
        monkeypatch.setattr(Keys, "key", lambda self, entry: real(self, replace(
            entry, context={k: v for k, v in entry.context.items() if k != name})))


def views_used_whole(project: Path) -> None:
    """The timeline's template uses the views whole, so its page is made from everything."""
    replace_in(project / "templates/timeline.html", "{% set parts = views.timeline_index %}",
               "{% set parts = views.timeline_index %}{% set everything = views %}")


@pytest.mark.parametrize("name", sorted({**CONTEXT_INPUTS, **OTHER_INPUTS}))
def test_dropping_an_input_from_the_keys_makes_an_incremental_build_wrong(project: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    if name == "everything":  # no shipped template uses the views whole
        views_used_whole(project)
    drop(monkeypatch, name)
    out = tmp_path / "site"
    built_twice(project, out)
    EDITS[{**CONTEXT_INPUTS, **OTHER_INPUTS}[name]](project)
    incremental(project, out)
    monkeypatch.undo()
    build(project, tmp_path / "full", search=False)
    assert tree(out) != tree(tmp_path / "full")


def test_the_values_keyed_by_their_fields_hold_nothing_but_their_fields(project: Path) -> None:
    """keys.by_fields hashes a value's fields alone: were one of these types to hold more, a key would miss it."""
    found: dict[type, int] = {}
    seen: set[int] = set()

    def walk(value: object) -> None:
        if id(value) in seen or isinstance(value, (str, bytes, int, float, type(None))):
            return
        seen.add(id(value))
        if dataclasses.is_dataclass(value):
            if type(value) in keys_module.VALUES:
                assert set(vars(value)) == {f.name for f in dataclasses.fields(value)}, type(value)
                found[type(value)] = found.get(type(value), 0) + 1
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple, set)):
            for item in value:
                walk(item)

    for entry in site_plan(analyse(project), project / "templates", Mode()):
        walk(dict(entry.context))
    assert len(found) > 20  # most of them are in the plan's contexts


def test_a_template_that_uses_the_views_whole_gets_them_all_and_is_made_from_everything(project: Path,
                                                                                       tmp_path: Path) -> None:
    views_used_whole(project)
    timeline = [e for e in site_plan(analyse(project), project / "templates", Mode()) if e.path == "timeline/index.html"]
    assert timeline[0].everything and timeline[0].context["views"].dossiers
    out = tmp_path / "site"
    built_twice(project, out)
    EDITS["sidecar note"](project)  # the timeline, made from everything, is rendered again
    incremental(project, out)
    build(project, tmp_path / "full", search=False)
    assert tree(out) == tree(tmp_path / "full")


def test_a_mention_group_is_keyed_by_every_field_of_it_and_of_its_mentions(project: Path) -> None:
    """Keys writes a group's mentions as one flat tuple: a change to any field must change the key."""
    group = next(g for v in build_views_of(project).entities.values() for g in v.groups)
    keys = Keys(project / "templates", None)
    before = keys.digest({"group": group})
    changed = [replace(group, dossier=replace(group.dossier, headline="Another"))]
    changed += [replace(group, mentions=[replace(group.mentions[0], **{f.name: "x"}), *group.mentions[1:]])
                for f in dataclasses.fields(group.mentions[0])]
    changed.append(replace(group, mentions=[*group.mentions, group.mentions[0]]))
    assert {f.name for f in dataclasses.fields(group)} == {"dossier", "mentions"}  # a new field: mention_group must write it
    digests = [keys.digest({"group": g}) for g in changed]
    assert before not in digests and len(set(digests)) == len(digests)


def test_a_list_of_shared_objects_is_keyed_by_their_hashes_and_changes_with_any_of_them(project: Path) -> None:
    """A view's list of events stands as their hashes (plain.py), each event's made once a build."""
    views = build_views_of(project)
    entity = next(v for v in views.entities.values() if v.events)
    keys = Keys(project / "templates", None)
    before = keys.digest({"entity": entity})
    assert keys.shared.get(entity.events[0]) is not None  # hashed once, kept for the other pages that list it
    event = entity.events[0]
    edited = replace(entity, events=[replace(event, title=event.title + " (edited)"), *entity.events[1:]])
    assert Keys(project / "templates", None).digest({"entity": edited}) != before
    assert Keys(project / "templates", None).digest({"entity": replace(entity)}) == before  # equal values, equal keys


def build_views_of(project: Path):
    """The views of the scratch investigation, as the plan's entries are given them."""
    inv = analyse(project)
    return Mode().views(inv.project, inv.docs, inv.xref)


def test_a_context_made_plain_is_its_value_in_builtins_whatever_objects_it_shares() -> None:
    """plain.py: a dataclass is (its name, its fields); equal values are equal, whichever objects they share."""
    from threadline.site.plain import Plain
    from threadline.site.views import Counted, EntityRef

    ref = EntityRef("e1", "person", "A. Name", "people/e1/")
    plain = Plain((EntityRef, Counted), (), lambda obj: b"", {}).plain
    shared = [Counted(ref, n) for n in range(70)]  # long enough to be kept by id
    separate = [Counted(replace(ref), n) for n in range(70)]
    assert plain({"a": shared}) == plain({"a": separate}) == {"a": [
        ("threadline.site.views.Counted", (("threadline.site.views.EntityRef", ("e1", "person", "A. Name", "people/e1/")), n))
        for n in range(70)]}
    assert plain([Counted(ref, 1)]) != plain([Counted(replace(ref, name="B. Name"), 1)])
    assert plain((ref,)) != plain([ref])  # a tuple stays a tuple
