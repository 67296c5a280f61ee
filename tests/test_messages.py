"""Messages that teach: what `check --links` crawled."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.cli import main
from threadline.publish.links import crawl_site

PAGES = {
    "index.html": '<a href="b/">b</a> <a href="b/#x">x</a> <a href="https://other.org/">o</a> <a href="mailto:a@b">m</a>',
    "b/index.html": '<p id="x">x</p><a href="../#nope">broken</a><img src="../logo.svg">',
    "logo.svg": "<svg/>",
}


def test_a_crawl_counts_pages_internal_links_and_anchors(tmp_path: Path) -> None:
    for name, text in PAGES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    seen = crawl_site(tmp_path, "https://example.org/site/")
    assert (seen.pages, seen.links, seen.anchors) == (2, 4, 2)
    assert seen.broken == ["b/index.html: ../#nope (no element with id 'nope')"]
    assert seen.summary() == ("crawled 2 pages, 4 internal links, 2 of them to #anchors, "
                              "served at https://example.org/site/: 1 broken")


def test_check_links_says_what_it_crawled_at_each_address(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--links", "--project", str(scratch)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" served at ")[1] for line in out[:2]] == ["https://example.github.io/scratch/: 0 broken",
                                                                   "https://example.org/: 0 broken"]
    assert all(line.startswith("crawled ") and " pages, " in line for line in out[:2])


@pytest.mark.parametrize("args", [["--project", "{p}", "check"], ["check", "--project", "{p}"]])
def test_the_project_may_be_named_before_or_after_the_command(scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)  # an empty folder: checking "." instead would fail
    assert main([a.format(p=scratch) for a in args]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 dossiers")
