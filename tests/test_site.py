"""The built site: every page kind, cross-links both ways, data files, subpath links, atomic writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import KEPT, scratch_files, search_records, tree, write_project
from tests.htmltext import read, words
from threadline.cli import main
from threadline.errors import BuildError
from threadline.pipeline import build
from threadline.publish.links import crawl
from threadline.publish.write import refuse_bad_paths
from threadline.site.render import Output


@pytest.fixture
def site(scratch: Path) -> Path:
    out = scratch / "public"
    build(scratch, out)
    return out


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_every_page_kind_is_written(site: Path) -> None:
    for path in ["index.html", "dossiers/index.html", "dossiers/example-report/index.html", "dossiers/example-report.md",
                 "people/index.html", "people/elon-musk/index.html", "places/moscow/index.html",
                 "organisations/kremlin/index.html", "timeline/index.html", "about/index.html", "404.html",
                 "data/events.json", "data/entities.json", "data/dossiers.json", ".nojekyll", "assets/style.css"]:
        assert (site / path).is_file(), path


def test_dossier_links_every_mention_to_its_entity(site: Path) -> None:
    html = page(site, "dossiers/example-report/index.html")
    body = read(html, "https://x.test/dossiers/example-report/", root_id="text", root_tags=())
    people = [text for text, href in body.links if href == "https://x.test/people/elon-musk/"]
    assert people == ["Elon Musk", "Mr Musk", "Musk"]
    assert ("Kremlin", "https://x.test/organisations/kremlin/") in body.links


def test_entity_page_links_back_to_each_mention(site: Path) -> None:
    html = page(site, "people/vladimir-putin/index.html")
    kwic = read(html, "https://x.test/people/vladimir-putin/", root_tags={"ul"})
    targets = [href for _, href in kwic.links if "#m-" in href]
    assert targets == ["https://x.test/dossiers/example-report/#m-2", "https://x.test/dossiers/example-report/#m-5",
                       "https://x.test/dossiers/example-report/#m-9"]
    dossier = page(site, "dossiers/example-report/index.html")
    for anchor in ("m-2", "m-5", "m-9"):
        assert f'id="{anchor}" href="../../people/vladimir-putin/"' in dossier
    assert "Also written:" in html and "Putin" in html
    assert "<dt>Named</dt><dd>3 times in 1 dossier</dd>" in html


def test_timeline_groups_by_year_and_links_each_quote(site: Path) -> None:
    html = page(site, "timeline/index.html")
    assert html.index("February 2024") < html.index("1 March 2024")
    assert '<h2 id="y2024">2024</h2>' in html
    assert 'href="../dossiers/example-report/#ev-musk-meets-putin"' in html
    assert "status-alleged" in html
    dossier = page(site, "dossiers/example-report/index.html")
    assert '<mark class="evidence alleged" id="ev-musk-meets-putin"' in dossier
    assert 'href="../../timeline/#musk-meets-putin"' in dossier


def test_editor_notes_are_sidenotes_after_their_paragraph(site: Path) -> None:
    html = page(site, "dossiers/example-report/index.html")
    assert '<a id="note-ref-1" href="#note-1" role="doc-noteref" aria-label="Editor’s note 1">1</a>' in html
    paragraph = html.index('id="note-ref-1"')
    note = html.index('<aside class="sidenote" id="note-1" role="doc-footnote" data-not-seed>')
    assert paragraph < html.index("</p>", paragraph) < note
    assert html.index("The Kremlin has not published a readout.", note) < html.index("</aside>", note)


def test_boilerplate_is_dropped_and_nothing_else(site: Path) -> None:
    html = page(site, "dossiers/example-report/index.html")
    body = words("".join(read(html, root_id="text", root_tags=()).text))
    assert "Source link" not in body
    assert body.startswith("Elon Musk met Vladimir Putin in Moscow on Friday")
    assert body.endswith("when Putin asked Musk about Mars.")


def test_data_files_hold_the_curated_data(site: Path) -> None:
    events = json.loads(page(site, "data/events.json"))
    assert [e["id"] for e in events] == ["february-talks", "musk-meets-putin"]
    meeting = events[1]
    assert meeting["display_date"] == "1 March 2024" and meeting["status"] == "alleged"
    assert meeting["sources"] == [{"dossier": "example-report", "quote": "Elon Musk met Vladimir Putin in Moscow on Friday",
                                   "url": "dossiers/example-report/#ev-musk-meets-putin"}]
    entities = {e["id"]: e for e in json.loads(page(site, "data/entities.json"))}
    assert entities["elon-musk"]["dossiers"] == {"example-report": 4}  # the headline names him too
    assert json.loads(page(site, "data/dossiers.json"))[0]["sha256"]


def test_no_broken_links_under_a_subpath_or_at_a_root(scratch: Path, tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    build(scratch, sub, "https://user.github.io/repo/")
    assert crawl(sub, "https://user.github.io/repo/") == []
    root = tmp_path / "root"
    build(scratch, root, "https://example.org/")
    assert crawl(root, "https://example.org/") == []


def test_the_crawler_finds_a_broken_anchor(site: Path) -> None:
    path = site / "timeline/index.html"
    path.write_text(page(site, "timeline/index.html").replace("#ev-musk-meets-putin", "#ev-nowhere"), encoding="utf-8")
    assert crawl(site, "https://example.github.io/scratch/") == [
        "timeline/index.html: ../dossiers/example-report/#ev-nowhere (no element with id 'ev-nowhere')"]


def test_seed_html_is_text(tmp_path: Path) -> None:
    seed = "Musk meets Putin in Moscow\n\n<script>alert('x')</script> said Musk.\n"
    files = scratch_files(**{"seeds/a.txt": seed})
    files["content/dossiers/example-report.yaml"] = (
        "seed: a.txt\nsha256: " + __import__("hashlib").sha256(seed.encode()).hexdigest() + "\n"
        "headline: Musk meets Putin in Moscow\nheadline_by: source\npublished: 2024-03-01\npublished_basis: x\n"
        "events:\n  - event: musk-meets-putin\n    quote: \"<script>alert('x')</script> said Musk\"\n"
        "  - event: february-talks\n    quote: Putin in Moscow\n")
    root = write_project(tmp_path / "p", files)
    build(root, tmp_path / "out")
    # The text is in the dossier, in Musk's mentions in context, and quoted on the timeline and his page.
    for path in ("dossiers/example-report/index.html", "people/elon-musk/index.html", "timeline/index.html"):
        html = page(tmp_path / "out", path)
        assert "&lt;script&gt;alert(" in html and ")&lt;/script&gt;" in html, path
    assert not [p for p in (tmp_path / "out").rglob("*.html") if "<script>alert" in p.read_text()]


def test_a_failed_build_leaves_the_previous_site_untouched(scratch: Path) -> None:
    out = scratch / "public"
    build(scratch, out)
    before = tree(out)
    sidecar = scratch / "content/dossiers/example-report.yaml"
    sidecar.write_text(sidecar.read_text().replace("quote: talks in February", "quote: talks in March"))
    with pytest.raises(BuildError):
        build(scratch, out)
    assert tree(out) == before
    # An input error stops the build before anything is written.
    assert sorted(p.name for p in scratch.iterdir()) == ["content", "public", "seeds", "site.yaml", "templates"]


def test_cli_reports_every_problem_with_its_place(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    sidecar = scratch / "content/dossiers/example-report.yaml"
    text = sidecar.read_text().replace("quote: talks in February", "quote: talks in March")
    sidecar.write_text(text.replace("event: musk-meets-putin", "event: musk-meets-putn"))
    assert main(["build", "--project", str(scratch)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "content/dossiers/example-report.yaml:17:5: unknown event id 'musk-meets-putn' (did you mean 'musk-meets-putin'?)",
        "content/dossiers/example-report.yaml:20:5: quote not found in seed 'a.txt': 'talks in March' "
        "(the closest passage in the seed is 'talks in February'; "
        "they first differ at character 10, where yours has 'M' and the seed has 'F')",
        "content/events/all.yaml:1:3: event 'musk-meets-putin' has no source "
        "(cite it with a verbatim quote under `events:` in the sidecar of a seed that reports it)",
        "build failed: 3 error(s); nothing was written"]
    assert not (scratch / "public").exists()


def test_a_page_named_like_a_section_is_refused_at_its_file(scratch: Path) -> None:
    (scratch / "content/pages/timeline.md").write_text("# Timeline\n\nA page that collides.\n")
    with pytest.raises(BuildError) as error:
        build(scratch, scratch / "public")
    assert [str(p) for p in error.value.problems] == [
        "content/pages/timeline.md:1:1: a page named 'timeline' would replace the site's own timeline/ (rename the file)"]


def test_two_outputs_writing_one_path_are_refused() -> None:
    outputs = [Output("timeline/index.html", b"a", "page page 'Timeline'"),
               Output("Timeline/index.html", b"b", "timeline page 'Timeline'")]
    with pytest.raises(BuildError) as error:
        refuse_bad_paths(outputs)
    assert [str(p) for p in error.value.problems] == [
        "Timeline/index.html: timeline page 'Timeline' and page page 'Timeline' both write this path"]


def test_the_plan_refuses_two_entries_writing_one_path_before_anything_renders(scratch: Path, monkeypatch) -> None:
    from threadline.site import plan, urls

    build(scratch, scratch / "public", search=False)
    before = tree(scratch / "public")
    monkeypatch.setitem(urls.SAVE_AS, "dossier_md", "dossiers/{slug}/index.html")  # a page kind added carelessly
    rendered = []
    monkeypatch.setattr(plan.Entry, "render", lambda self: rendered.append(self.path))
    with pytest.raises(BuildError) as error:
        build(scratch, scratch / "public", search=False)
    assert [str(p) for p in error.value.problems] == [
        "dossiers/example-report/index.html: Markdown dossier 'example-report' and dossier page "
        "'Musk meets Putin in Moscow' both write this path"]
    assert rendered == []
    assert tree(scratch / "public") == before


def test_check_links_reports_a_broken_link(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--links", "--project", str(scratch)]) == 0
    (scratch / "content/pages/about.md").write_text("# About\n\nSee [the archive](../archive/).\n")
    assert main(["check", "--links", "--project", str(scratch)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "about/index.html: ../archive/ (no such file) [served at https://example.github.io/scratch/]",
        "about/index.html: ../archive/ (no such file) [served at https://example.org/]",
        "check failed: 2 broken link(s)"]


def test_timings_name_every_stage_in_order(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", "--project", str(scratch), "--timings"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" s  ", 1)[1] for line in lines] == [
        "load, validate and annotate", "cross-reference and warn", "views, plan, render and write",
        "wait for the search index", "remove what the site no longer has, swap in", "record the keys of the pages"]
    assert all(float(line.split(" s  ")[0]) >= 0 for line in lines)
    assert main(["build", "--project", str(scratch), "--force", "--no-search"]) == 0  # no timings unless asked
    assert capsys.readouterr().err == ""


def test_a_build_with_nothing_changed_is_skipped(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", "--project", str(scratch), "--no-search"]) == 0
    assert main(["build", "--project", str(scratch), "--no-search"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("up to date: nothing changed")
    (scratch / "content/pages/about.md").write_text("# About\n\nChanged.\n")
    assert main(["build", "--project", str(scratch), "--no-search"]) == 0
    assert b"Changed." in (scratch / "public/about/index.html").read_bytes()
    (scratch / "public/about/index.html").write_text("tampered")  # an output changed by hand is rebuilt too
    assert main(["build", "--project", str(scratch), "--no-search"]) == 0
    assert b"Changed." in (scratch / "public/about/index.html").read_bytes()


def test_an_edit_is_seen_without_listing_the_site(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from threadline.publish import stamp

    out = scratch / "public"
    assert main(["build", "--project", str(scratch), "--no-search"]) == 0
    options = {"base_url": None, "search": False, "out": str(out.resolve())}
    assert stamp.up_to_date(scratch, out.resolve(), options, stamp.read_inputs(scratch))
    (scratch / "content/pages/about.md").write_text("# About\n\nChanged.\n")
    listed: list[str] = []
    monkeypatch.setattr(stamp, "walk", lambda folder: listed.append(folder) or iter(()))
    assert not stamp.up_to_date(scratch, out.resolve(), options, stamp.read_inputs(scratch))
    assert not any(folder.startswith(str(out.resolve())) for folder in listed)  # 20,000 files at 10,000 dossiers


def test_editors_yaml_and_markdown_are_never_trusted_as_html(tmp_path: Path) -> None:
    from tests.conftest import ENTITIES, EVENTS

    hostile = ENTITIES.replace("description: Capital of Russia.",
                               "description: '<script>alert(1)</script> <img src=x onerror=alert(1)> [see](javascript:alert(1))'")
    events = EVENTS.replace("title: Talks in February", "title: <script>alert(1)</script>").replace(
        "date_basis: '\"In February\".'", "date_basis: <img src=x onerror=alert(1)>")
    root = write_project(tmp_path / "p", scratch_files(**{
        "content/entities/all.yaml": hostile, "content/events/all.yaml": events,
        "content/pages/about.md": "# About <b>us</b>\n\n<iframe src=x></iframe> [x](JavaScript:alert(1))\n"}))
    build(root, tmp_path / "out", search=False)
    for path in ("places/moscow/index.html", "about/index.html", "timeline/index.html", "people/elon-musk/index.html"):
        html = page(tmp_path / "out", path)
        assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html, path
        assert "javascript:" not in html.lower(), path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page(tmp_path / "out", "places/moscow/index.html")


@pytest.fixture
def memory_temp(tmp_path: Path, monkeypatch) -> Path:
    """The indexer's memory-backed temporary folder, moved into the test's own folder."""
    folder = tmp_path / "memory"
    folder.mkdir()
    monkeypatch.setattr("threadline.publish.search.MEMORY_TEMP", folder)
    return folder


def test_a_failed_search_index_stops_the_build_and_keeps_the_previous_site(scratch: Path, memory_temp: Path,
                                                                           monkeypatch) -> None:
    out = scratch / "public"
    build(scratch, out)
    before = tree(out)
    (scratch / "content/pages/about.md").write_text("# About\n\nChanged.\n")
    monkeypatch.setattr("threadline.publish.search.PAGEFIND", [sys.executable, "-c", "print('index full'); raise SystemExit(3)"])
    with pytest.raises(BuildError) as caught:
        build(scratch, out)
    assert str(caught.value) == "pagefind: search indexing failed: index full"
    assert tree(out) == before
    assert [p.name for p in scratch.iterdir() if p.name.startswith(".public")] == KEPT
    assert list(memory_temp.iterdir()) == []  # the search documents are gone too


def test_search_documents_are_written_to_memory_and_what_killed_builds_left_is_removed(
        scratch: Path, memory_temp: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left_by_killed_build = memory_temp / f"threadline-search-{int(gone.stdout)}-x1"
    in_use = memory_temp / f"threadline-search-{os.getpid()}-x2"  # a build running beside this one
    for folder in (left_by_killed_build, in_use):
        (folder / "dossiers").mkdir(parents=True)
    build(scratch, scratch / "public")
    assert sorted(memory_temp.iterdir()) == [in_use]
    assert "/dossiers/example-report/" in search_records(scratch / "public")


def test_without_a_memory_backed_folder_the_search_documents_go_to_the_staging_folder(
        scratch: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("threadline.publish.search.MEMORY_TEMP", tmp_path / "no-such-folder")
    build(scratch, scratch / "public")
    assert "/dossiers/example-report/" in search_records(scratch / "public")
    assert not [p for p in (scratch / "public").iterdir() if p.name.startswith("threadline-search")]


def running(pid: int) -> bool:
    """Whether the process is alive: not gone, and not a zombie left for the init process to reap."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_an_error_during_the_build_stops_the_search_indexer(scratch: Path, tmp_path: Path, memory_temp: Path,
                                                            monkeypatch) -> None:
    import time

    started = tmp_path / "indexer.pid"
    monkeypatch.setattr("threadline.publish.search.PAGEFIND", [sys.executable, "-c", (
        f"import os, time; open({str(started)!r}, 'w').write(str(os.getpid())); time.sleep(60)")])

    def failing_render(*args, **kwargs):
        while not started.exists() or not started.read_text():  # the indexer is running
            time.sleep(0.01)
        raise RuntimeError("rendering failed")

    monkeypatch.setattr("threadline.pipeline.render_site", failing_render)
    with pytest.raises(RuntimeError):
        build(scratch, scratch / "public")
    assert not running(int(started.read_text()))
    assert [p.name for p in scratch.iterdir() if p.name.startswith(".public")] == KEPT
    assert list(memory_temp.iterdir()) == []


def test_the_crawler_follows_the_search_index_the_search_page_loads(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(scratch, out, "https://user.github.io/repo/")
    assert crawl(out, "https://user.github.io/repo/") == []
    assert (out / "pagefind/pagefind.js").is_file()
    (out / "pagefind/pagefind.js").unlink()
    broken = crawl(out, "https://user.github.io/repo/")  # the search page and every header's search box load it
    assert "search/index.html: ../pagefind/pagefind.js (no such file)" in broken
    assert "index.html: pagefind/pagefind.js (no such file)" in broken
    assert all(line.endswith("pagefind/pagefind.js (no such file)") for line in broken)


def test_an_event_dated_after_its_report_is_a_warning(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    events = scratch / "content/events/all.yaml"
    events.write_text(events.read_text().replace("date: 2024-02\n", "date: 2024-05\n"))
    assert main(["check", "--project", str(scratch)]) == 0
    assert main(["check", "--strict", "--project", str(scratch)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/dossiers/example-report.yaml:19:5: warning: event 'february-talks' (2024-05) starts after this seed "
        "was published (2024-03-01) (check the event's date and the publication date)")


def test_an_evidence_quote_found_more_than_once_is_a_warning(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    sidecar = scratch / "content/dossiers/example-report.yaml"
    sidecar.write_text(sidecar.read_text().replace("quote: talks in February", "quote: Musk"))
    assert main(["check", "--strict", "--project", str(scratch)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/dossiers/example-report.yaml:20:5: warning: quote 'Musk' is in seed 'a.txt' 3 times (lines 3, 7); "
        "the page marks the first as the evidence (quote enough words to name one passage)")


def test_a_yml_file_is_not_read_and_says_so(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    (scratch / "content/entities/more.yml").write_text("- id: kyiv\n  kind: place\n  name: Kyiv\n  description: x\n")
    assert main(["check", "--project", str(scratch)]) == 0
    assert main(["check", "--strict", "--project", str(scratch)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/entities/more.yml: warning: this file is not read: only files ending in .yaml are (rename it to more.yaml)")


@pytest.mark.parametrize(("name", "encode"), [
    ("crlf", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
    ("bom", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),
])
def test_crlf_and_byte_order_mark_seeds_read_as_plain_text(tmp_path: Path, name: str, encode) -> None:
    from tests.conftest import SEED

    raw = encode(SEED)
    files = scratch_files(**{"seeds/a.txt": raw})
    digest = __import__("hashlib").sha256(raw).hexdigest()
    files["content/dossiers/example-report.yaml"] = files["content/dossiers/example-report.yaml"].replace(
        __import__("hashlib").sha256(SEED.encode()).hexdigest(), digest)
    root = write_project(tmp_path / "p", files)
    build(root, tmp_path / "out", search=False)
    html = page(tmp_path / "out", "dossiers/example-report/index.html")
    body = words("".join(read(html, root_id="text", root_tags=()).text))
    assert body.startswith("Elon Musk met Vladimir Putin in Moscow on Friday") and "\r" not in html and "\ufeff" not in html


def test_a_seed_too_large_is_refused_with_a_clear_error(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    with open(scratch / "seeds/a.txt", "ab") as seed:
        seed.truncate(50 * 1024 * 1024)  # a 50 MB seed, written sparse
    assert main(["build", "--project", str(scratch)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/dossiers/example-report.yaml:1:1: seed 'a.txt' is larger than 20 MiB")
