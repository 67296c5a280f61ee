"""The dossier's HTML and its Markdown carry the same text and links, and hostile text stays text."""

from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED, scratch_files, sidecar, write_project
from tests.htmltext import read, words
from threadline.pipeline import build
from threadline.text.annotate import Block, Span
from threadline.text.emit import _walk_nested, walk

HOSTILE = """\
Musk meets Putin in Moscow

# Not a heading, Musk said
* not a list; 1. not numbered; > not a quote
<script>alert("Musk")</script> and <img src=x onerror=alert(1)> & &amp; entities
    four-space indent by Putin
[x]: https://evil.example/ reference definition <!-- comment --> `code` *em* _em_ \\ backslash
| a | table | row |
---
1. Putin’s list? ~~~ fence ~~~ [link](javascript:alert(1)) <https://auto.link/>
Bravo!Musk said (an exclamation mark right before a name's link must not make an image)
"""


def built(tmp_path: Path, seed: str) -> tuple[Path, str]:
    files = scratch_files(**{"seeds/a.txt": seed, "content/dossiers/example-report.yaml": sidecar("a.txt", seed, "")})
    # The scratch sidecar cites passages of the standard seed; keep only what this seed holds.
    files["content/dossiers/example-report.yaml"] = _strip_citations(files["content/dossiers/example-report.yaml"])
    files["content/events/all.yaml"] = "[]\n"
    root = write_project(tmp_path / "p", files)
    out = tmp_path / "out"
    build(root, out)
    return out, "example-report"


def _strip_citations(text: str) -> str:
    head = text.split("notes:")[0].replace("boilerplate: [Source link]", "boilerplate: []")
    return head + "notes: []\nquotes: []\nevents: []\n"


def article(out: Path, slug: str):
    url = f"https://x.test/dossiers/{slug}/"
    html = (out / f"dossiers/{slug}/index.html").read_text(encoding="utf-8")
    title = read(html, url, root_id="headline", root_tags=())
    body = read(html, url, root_id="text", root_tags=())
    return words("".join(title.text) + " " + "".join(body.text)), title.links + body.links


def markdown_article(out: Path, slug: str):
    text = (out / f"dossiers/{slug}.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    html = markdown.markdown(body, extensions=["footnotes"])
    reader = read(html, f"https://x.test/dossiers/{slug}.md", root_tags={"h1", "p", "h2"})
    return words("".join(reader.text)), reader.links


def test_markdown_and_html_agree_on_the_real_shape(tmp_path: Path) -> None:
    out, slug = built(tmp_path, SEED.replace("Source link\n", ""))
    assert article(out, slug) == markdown_article(out, slug)


def test_hostile_text_is_shown_literally_in_html_and_markdown(tmp_path: Path) -> None:
    out, slug = built(tmp_path, HOSTILE)
    html_text, html_links = article(out, slug)
    md_text, md_links = markdown_article(out, slug)
    expected = words(" ".join(line for line in HOSTILE.splitlines()))
    assert html_text == expected
    assert md_text == expected
    assert html_links == md_links
    assert {href for _, href in html_links} <= {"https://x.test/people/elon-musk/", "https://x.test/people/vladimir-putin/",
                                                 "https://x.test/places/moscow/"}
    page = (out / f"dossiers/{slug}/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


@st.composite
def blocks(draw) -> Block:
    """A text with spans in reading order: side by side, touching, nested or crossing."""
    text = draw(st.text(alphabet="ab .", max_size=30))
    spans = []
    for n in range(draw(st.integers(0, 6)) if text else 0):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(Span(start, end, draw(st.sampled_from(["mention", "evidence", "speech"])), "t", f"a{n}"))
    return Block("para", text, 1, sorted(spans, key=lambda s: s.order))


@settings(max_examples=500, deadline=None)
@given(blocks())
def test_the_quick_walk_of_side_by_side_spans_equals_the_general_one(block: Block) -> None:
    assert list(walk(block)) == list(_walk_nested(block.text, block.spans))
