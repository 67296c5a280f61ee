"""A link that could run script, in an editor's Markdown, is no link in the HTML nor in the Markdown dossier."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from tests.conftest import ENTITIES, SEED, scratch_files, sidecar, write_project
from threadline.errors import BuildError
from threadline.pipeline import build

TARGETS = {
    "javascript": "javascript:alert(1)",
    "mixed-case": "JaVaScRiPt:alert(1)",
    "leading-space": "  javascript:alert(1)",
    "leading-tab": "\tjavascript:alert(1)",
    "vbscript": "vbscript:msgbox(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "character-reference": "&#106;avascript:alert(1)",
    "named-reference": "javascript&colon;alert(1)",
    "escaped-colon": "javascript\\:alert(1)",
    "angle-brackets": "<javascript:alert(1)>",
}
SAFE = "[the report](https://example.org/report)"


def hostile(target: str) -> str:
    """Markdown with the target as a link, an image and a reference definition, beside a safe link."""
    return f"See [this]({target}), ![that]({target}) and [the other][r]; {SAFE}.\n[r]: {target}"


def runs_script(url: str) -> bool:
    """Whether a browser would run the URL: control characters and spaces go, references are decoded."""
    return re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower().startswith(("javascript:", "vbscript:", "data:"))


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


def urls_of(page: str) -> list[str]:
    parser = Links()
    parser.feed(page)
    return parser.urls


def markdown_targets(text: str) -> list[str]:
    """Every place a Markdown renderer could read as a link's target (after an unescaped `](` or `]:`), unescaped."""
    return [re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", m[1]) for m in re.finditer(r"(?<!\\)\][(:]\s*([^\s)]*)", text)]


def hostile_project(root: Path, target: str) -> Path:
    """The scratch investigation with the hostile Markdown in a note, an entity's description and a free page."""
    text = json.dumps(hostile(target))  # a JSON string is a YAML double-quoted string
    note = sidecar("a.txt", SEED).replace("text: The Kremlin has not published a readout.", f"text: {text}")
    entities = ENTITIES.replace("description: Capital of Russia.", f"description: {text}")
    files = scratch_files(**{"content/dossiers/example-report.yaml": note, "content/entities/all.yaml": entities,
                             "content/pages/about.md": "# About\n\n" + hostile(target) + "\n"})
    return write_project(root, files)


def test_a_control_character_before_a_link_never_reaches_a_page(tmp_path: Path) -> None:
    """"\x01javascript:" would run in a browser, which drops leading control characters: it is refused as input."""
    root = hostile_project(tmp_path / "project", "\x01javascript:alert(1)")
    with pytest.raises(BuildError) as refused:
        build(root, root / "public", search=False)
    assert [(p.path, p.message) for p in refused.value.problems] == [
        ("content/dossiers/example-report.yaml", "the value holds the character U+0001, which no page can show"),
        ("content/entities/all.yaml", "the value holds the character U+0001, which no page can show"),
        ("content/pages/about.md", "the page holds the character U+0001, which no page can show")]


@pytest.fixture(scope="module", params=list(TARGETS.values()), ids=list(TARGETS))
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scratch investigation with the hostile Markdown in a note, an entity's description and a free page, built."""
    root = hostile_project(tmp_path_factory.mktemp("links") / "project", request.param)
    build(root, root / "public", search=False)
    return root / "public"


def test_the_markdown_dossier_has_no_link_that_runs_script(site: Path) -> None:
    text = (site / "dossiers/example-report.md").read_text(encoding="utf-8")
    assert "The Kremlin" not in text and "[the report](https://example.org/report)" in text  # the note is there
    assert not [t for t in markdown_targets(text) if runs_script(t)]
    rendered = markdown.markdown(text.split("\n---\n", 1)[1], extensions=["footnotes"])
    urls = urls_of(rendered)
    assert "https://example.org/report" in urls
    assert not [u for u in urls if runs_script(u)]


@pytest.mark.parametrize("page", ["dossiers/example-report/index.html", "places/moscow/index.html", "about/index.html"])
def test_the_html_has_no_link_that_runs_script(site: Path, page: str) -> None:
    urls = urls_of((site / page).read_text(encoding="utf-8"))
    assert "https://example.org/report" in urls
    assert not [u for u in urls if runs_script(u)]
