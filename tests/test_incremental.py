"""A rebuild that reuses what a session kept writes exactly what a fresh full build writes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.conftest import SEED, tree
from threadline.pipeline import Session, analyse, build


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 1_000_000  # a second edit within the clock's tick still shows
    os.utime(path, ns=(stamp, stamp))


def edit_seed(root: Path) -> None:
    new = SEED.replace("on Friday", "on Friday morning")
    (root / "seeds/a.txt").write_text(new, encoding="utf-8")
    replace_in(root / "content/dossiers/example-report.yaml", hashlib.sha256(SEED.encode()).hexdigest(),
               hashlib.sha256(new.encode()).hexdigest())


EDITS = {
    "sidecar note": lambda r: replace_in(r / "content/dossiers/example-report.yaml", "has not published", "never published"),
    "sidecar quote": lambda r: replace_in(r / "content/dossiers/example-report.yaml", "quote: talks in February",
                                          "quote: visit followed talks in February"),
    "entity description": lambda r: replace_in(r / "content/entities/all.yaml", "President of Russia.", "Russia's president."),
    "entity kind": lambda r: replace_in(r / "content/entities/all.yaml", "kind: organisation\n  name: Kremlin",
                                        "kind: place\n  name: Kremlin"),
    "new alias": lambda r: replace_in(r / "content/entities/all.yaml", "  name: Kremlin\n",
                                      "  name: Kremlin\n  aliases: [Friday]\n"),
    "event title": lambda r: replace_in(r / "content/events/all.yaml", "title: Talks in February", "title: February talks"),
    "event date": lambda r: replace_in(r / "content/events/all.yaml", "date: 2024-02\n", "date: 2024-01/2024-02\n"),
    "seed and its hash": edit_seed,
    "template": lambda r: replace_in(r / "templates/base.html", "<main", "<main data-edited"),
    "page": lambda r: replace_in(r / "content/pages/about.md", "A scratch", "A small"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rebuild_after_an_edit_equals_a_full_build(scratch: Path, tmp_path: Path, edit: str) -> None:
    session = Session()
    build(scratch, tmp_path / "before", session=session, search=False)
    EDITS[edit](scratch)
    build(scratch, tmp_path / "kept", session=session, search=False)
    build(scratch, tmp_path / "fresh", search=False)
    kept, fresh = tree(tmp_path / "kept"), tree(tmp_path / "fresh")
    assert kept == fresh
    assert kept != tree(tmp_path / "before")  # the edit did change the site


def test_a_session_reuses_unchanged_annotations(scratch: Path) -> None:
    session = Session()
    first = analyse(scratch, session=session)
    again = analyse(scratch, session=session)
    assert again.docs["example-report"].blocks is first.docs["example-report"].blocks
    EDITS["new alias"](scratch)
    changed = analyse(scratch, session=session)
    assert changed.docs["example-report"].blocks is not first.docs["example-report"].blocks
    assert len(session.annotations) == 1


def test_only_the_pages_an_edit_touches_are_rendered_again(scratch: Path) -> None:
    from threadline.pipeline import render_site

    session = Session()
    before = {o.path: o for o in render_site(analyse(scratch, session=session), scratch / "templates", session)}
    EDITS["sidecar note"](scratch)  # the note shows on its dossier page only
    after = {o.path: o for o in render_site(analyse(scratch, session=session), scratch / "templates", session)}
    rendered = sorted(p for p in after if p.endswith(".html") and after[p] is not before[p])
    # Its dossier page, and the three pages that list everything (they get all the views).
    assert rendered == ["dossiers/example-report/index.html", "dossiers/index.html", "index.html", "timeline/index.html"]


def test_the_dev_servers_in_memory_build_equals_a_full_build(scratch: Path, tmp_path: Path) -> None:
    from threadline.pipeline import build_in_memory

    session = Session()
    build_in_memory(scratch, session)
    EDITS["sidecar quote"](scratch)
    _, files = build_in_memory(scratch, session)
    build(scratch, tmp_path / "fresh", search=False)
    assert files == tree(tmp_path / "fresh")


def test_a_session_renders_again_only_what_an_edit_touches_on_a_larger_site(tmp_path: Path, monkeypatch) -> None:
    from threadline import render
    from threadline.pipeline import render_site
    from threadline.synth import synthesise

    project = synthesise(12, tmp_path / "synth", entities=30)
    session = Session()
    first = {o.path: o for o in render_site(analyse(project, session=session), project / "templates", session)}
    again = {o.path: o for o in render_site(analyse(project, session=session), project / "templates", session)}
    everything = ["dossiers/index.html", "index.html", "timeline/index.html"]  # they get all the views
    assert sorted(p for p in again if p.endswith(".html") and again[p] is not first[p]) == everything
    replace_in(project / "content/dossiers/d00003.yaml", "published_basis: ", "published_basis: edited, ")
    written = []  # the dossiers whose text is written again, as HTML and as Markdown
    for name in ("article_html", "dossier_markdown"):
        real = getattr(render, name)
        monkeypatch.setattr(render, name, lambda doc, links, *more, real=real, name=name: (
            written.append((name, doc.dossier.slug)), real(doc, links, *more))[1])
    edited = {o.path: o for o in render_site(analyse(project, session=session), project / "templates", session)}
    assert sorted(p for p in edited if p.endswith(".html") and edited[p] is not again[p]) == sorted(
        ["dossiers/d00003/index.html", *everything])
    assert sorted(written) == [("article_html", "d00003"), ("dossier_markdown", "d00003")]
    assert [p for p in edited if edited[p] is not again[p] and p.endswith(".md")] == ["dossiers/d00003.md"]
