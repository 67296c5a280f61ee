"""The site's guarantees, each a test that fails if the property breaks (see README, Guarantees)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURE, KEPT, REPO, fixture_project, tree
from tests.htmltext import read, words
from threadline.errors import BuildError, OutputError, Problems, Where
from threadline.inputs.load import load_project
from threadline.inputs.model import Entity
from threadline.pipeline import analyse, build
from threadline.publish.links import crawl
from threadline.publish.modes import Mode
from threadline.text.annotate import AliasIndex, Block, Span, _number_anchors, seed_lines
from threadline.text.emit import Links, html_block, md_block


def seed_less_boilerplate(dossier) -> str:
    """The seed's words less the lines (and prefixes) the editors listed as boilerplate."""
    lines = [line.strip() for line in seed_lines(dossier.text)]
    for item in dossier.boilerplate:
        lines = [line[len(item.text):] if item.prefix and line.startswith(item.text) else line for line in lines]
        lines = [line for line in lines if item.prefix or line != item.text]
    return words(" ".join(lines))


# --- Verbatim -------------------------------------------------------------------------------

def test_every_dossier_shows_its_seed_verbatim_in_html_and_markdown(fixture_site: Path) -> None:
    project = load_project(FIXTURE, Problems())
    assert len(project.dossiers) == 4
    for slug, dossier in project.dossiers.items():
        expected = seed_less_boilerplate(dossier)
        html = (fixture_site / f"dossiers/{slug}/index.html").read_text(encoding="utf-8")
        # The headline is the seed's first line unless the editors wrote it (then it is not the seed's).
        title = words("".join(read(html, root_id="headline", root_tags=()).text)) if dossier.headline_by == "source" else ""
        body = words("".join(read(html, root_id="text", root_tags=()).text))
        assert words(f"{title} {body}") == expected, slug
        md = (fixture_site / f"dossiers/{slug}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
        md_html = markdown.markdown(md, extensions=["footnotes"]).split('<div class="footnote">')[0]
        tags = {"p", "h2"} | ({"h1"} if dossier.headline_by == "source" else set())
        assert words("".join(read(md_html, root_tags=tags).text)) == expected, slug


ALIAS = st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=6)
FILLER = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8)


@st.composite
def documents(draw):
    """Random text that contains random aliases, with punctuation, quotes and markup around them."""
    # Two words joined by a space or a regex metacharacter ("J. Smith", "C++ Corp", "A|B"): the
    # matcher must take them literally. Aliases start and end with a letter or digit (validated).
    joiner = st.sampled_from([" ", ". ", ".", "-", "'", " (", "+", "*", "?", "[", "$", "^", "|", "\\", "{1}"])
    alias = st.tuples(ALIAS, st.one_of(st.just(""), st.tuples(joiner, ALIAS).map("".join))).map("".join)
    aliases = draw(st.lists(alias,
                   min_size=1, max_size=5, unique=True))
    pieces = draw(st.lists(st.one_of(st.sampled_from(aliases), FILLER,
                                     st.sampled_from(["’s", "'s", " ", "<b>", "&amp;", "*", "[", "]", "(", ".", "# ",
                                                      "\\", "`", "“", "-", "|", "1.", "> "])), max_size=25))
    return aliases, "".join(pieces).strip()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents(), st.data())
def test_annotation_never_changes_a_word(doc, data) -> None:
    aliases, text = doc
    entities = [Entity(f"e{i}", "person", alias, (), "", None, Where("x")) for i, alias in enumerate(aliases)]
    index = AliasIndex(entities)
    found = index.find(text)
    for start, end, entity_id in found:
        alias = text[start:end]
        assert alias == entities[int(entity_id[1:])].name  # the exact alias, case and all
        assert start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")  # whole words
    assert all(a[1] <= b[0] for a, b in pairwise(found))  # no overlaps
    for start, end, _ in found:  # the longest alias wins
        longer = [a for a in aliases if len(a) > end - start and text.startswith(a, start)
                  and not (start + len(a) < len(text) and (text[start + len(a)].isalnum() or text[start + len(a)] == "_"))]
        assert longer == [], (text, start, longer)
    block = Block("para", text, 1, [Span(s, e, "mention", i, "") for s, e, i in found])
    if text:  # a random evidence quote, possibly crossing mentions
        a = data.draw(st.integers(0, len(text) - 1))
        b = data.draw(st.integers(a + 1, len(text)))
        block.spans.append(Span(a, b, "evidence", "ev", "ev-ev"))
    _number_anchors([block])
    links = Links("", {e.id: e for e in entities}, {"ev": type("E", (), {"status": "reported", "title": "t"})()})
    assert words("".join(read(f"<p>{html_block(block, links)}</p>", root_tags={"p"}).text)) == words(text)
    md_html = markdown.markdown(md_block(block, links) if text else "")
    assert words("".join(read(md_html, root_tags={"p", "h1", "h2", "hr", "li"}).text)) == words(text)


# --- Evidence -------------------------------------------------------------------------------

def test_every_quote_is_found_and_highlighted_where_the_timeline_links(fixture_site: Path) -> None:
    inv = analyse(FIXTURE)
    timeline = (fixture_site / "timeline/index.html").read_text(encoding="utf-8")
    count = 0
    for event, sources in inv.xref.sources.items():
        assert sources, event
        for source in sources:
            page = (fixture_site / f"dossiers/{source.slug}/index.html").read_text(encoding="utf-8")
            assert f'id="{source.anchor}"' in page
            assert f'href="../dossiers/{source.slug}/#{source.anchor}"' in timeline
            count += 1
    assert count >= len(inv.project.events)
    assert crawl(fixture_site, "https://example.github.io/varnholm/") == []


# --- Deterministic --------------------------------------------------------------------------

def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project")
    build(project, tmp_path / "one")
    time.sleep(1.1)  # a clock that leaks into the output would now differ
    build(project, tmp_path / "two")
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [path for path in one if one[path] != two[path]] == []


# --- Atomic ---------------------------------------------------------------------------------

def test_disk_full_mid_write_leaves_the_previous_site(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = scratch / "public"
    build(scratch, out)
    before = tree(out)
    written = []
    real_write = Path.write_bytes

    def fill_disk(self: Path, data: bytes) -> int:
        if len(written) >= 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(self)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", fill_disk)
    with pytest.raises(OutputError, match=r"^no space left on device while writing "):
        build(scratch, out)
    assert tree(out) == before
    assert sorted(p.name for p in scratch.iterdir()) == [*KEPT, "content", "public", "seeds", "site.yaml", "templates"]


KILLED_BUILD = """
import sys, time
from pathlib import Path
from threadline.publish import write
real = Path.write_bytes
def slow(self, data):
    time.sleep(0.05)
    return real(self, data)
Path.write_bytes = slow
from threadline.pipeline import build
print("writing", flush=True)
build(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_build_killed_mid_write_leaves_the_previous_site(scratch: Path) -> None:
    out = scratch / "public"
    build(scratch, out)
    before = tree(out)
    (scratch / "content/pages/about.md").write_text("# About\n\nChanged.\n")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(scratch), str(out)], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.6)  # some files written, far from all
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert tree(out) == before
    build(scratch, out)  # the next build clears what the killed one left
    assert sorted(p.name for p in scratch.iterdir()) == [*KEPT, "content", "public", "seeds", "site.yaml", "templates"]
    assert b"Changed." in (out / "about/index.html").read_bytes()


# Pagefind's stand-in says who it is and who runs it (written whole, then renamed), and stays.
INDEXING_KILLED = """
import sys
from pathlib import Path
from threadline.publish import search
from threadline.pipeline import build
said = sys.argv[3]
search.PAGEFIND = [sys.executable, "-c", (
    "import os, time; open(%r, 'w').write(f'{os.getpid()} {os.getppid()}'); os.replace(%r, %r); time.sleep(120)"
    % (said + ".part", said + ".part", said))]
build(Path(sys.argv[1]), Path(sys.argv[2]))
"""

# Each worker says who it is, then stays.
RENDERING_KILLED = """
import os, sys, time
from pathlib import Path
from threadline.publish.parallel import parallel_map
def stay(folder, item):
    (Path(folder) / str(os.getpid())).touch()
    time.sleep(120)
parallel_map(stay, sys.argv[1], range(2), 2, min_items=1)
"""

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")


def running(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie has ended: only its exit status is left)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def kill_left(pids: list[int]) -> None:
    """Kill what still runs of `pids`, so that a failed test leaves nothing behind."""
    for pid in filter(running, pids):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_until(condition, what: str, limit: float = 60.0) -> None:
    """Poll `condition` until it holds; fail saying `what` did not happen (the limit is for a stuck test, not a speed)."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"{what} did not happen within {limit:.0f} s")
        time.sleep(0.05)


@linux_only
def test_search_indexing_ends_with_a_build_killed_by_sigkill(scratch: Path, tmp_path: Path) -> None:
    said = tmp_path / "pids"
    proc = subprocess.Popen([sys.executable, "-c", INDEXING_KILLED, str(scratch), str(scratch / "public"), str(said)],
                            cwd=REPO)
    wait_until(said.exists, "Pagefind's start")
    pagefind, indexer = map(int, said.read_text().split())
    try:
        assert running(pagefind) and running(indexer) and indexer != proc.pid
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        wait_until(lambda: not running(indexer) and not running(pagefind), "the end of the indexing processes")
    finally:
        kill_left([proc.pid, indexer, pagefind])


@linux_only
def test_render_workers_end_with_a_build_killed_by_sigkill(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", RENDERING_KILLED, str(tmp_path)], cwd=REPO)
    wait_until(lambda: len(list(tmp_path.iterdir())) == 2, "both workers' start")
    workers = [int(p.name) for p in tmp_path.iterdir()]
    try:
        assert all(map(running, workers))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        wait_until(lambda: not any(map(running, workers)), "the end of the workers")
    finally:
        kill_left([proc.pid, *workers])


def test_pages_rendered_on_worker_processes_equal_serial_ones(tmp_path: Path) -> None:
    from threadline.tools.synth import synthesise

    # 410 sidecars and 710 pages: enough for workers to read, annotate and render.
    project = synthesise(410, tmp_path / "synth", entities=300)
    build(project, tmp_path / "serial", mode=Mode(1), search=False)
    seen = []
    build(project, tmp_path / "parallel", mode=Mode(2, lambda done, total: seen.append((done, total))), search=False)
    files = len([p for p in (tmp_path / "serial").rglob("*") if p.is_file()])
    assert seen[-1] == (files, files) and len(seen) > 1  # the workers did run
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")


def test_the_garbage_collector_is_back_on_after_a_build_and_after_a_failed_one(scratch: Path) -> None:
    import gc

    build(scratch, scratch / "public", search=False)
    assert gc.isenabled()
    (scratch / "content/events/all.yaml").write_text("- id: [not, an, id]\n")
    with pytest.raises(BuildError):
        build(scratch, scratch / "public", search=False)
    assert gc.isenabled()
