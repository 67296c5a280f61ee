"""HTML-level checks of the readers' features: timeline, network, search markup, metadata, weight."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import EVENTS, SEED, scratch_files, search_records, sidecar, write_project
from threadline.inputs.dates import parse_date, precision
from threadline.pipeline import build
from threadline.publish import search
from threadline.site.graph import connections, ego_network, fan_svg, overview, overview_svg, svg, whole_network
from threadline.site.views import EntityRef, EventView
from threadline.text.crossref import CrossRef

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
YEAR_EVENT = """\
- id: talks-begin
  date: "2023"
  date_basis: '"Last year" in a 2024 report.'
  title: Talks begin
  status: denied
  entities: [elon-musk]
"""


def built(tmp_path: Path, **overrides: str) -> Path:
    project = write_project(tmp_path / "project", scratch_files(**overrides))
    out = tmp_path / "public"
    build(project, out)
    return out


@pytest.fixture
def site(tmp_path: Path) -> Path:
    cites = sidecar("a.txt", SEED).replace("events:\n", "events:\n  - event: talks-begin\n    quote: Mr Musk’s visit\n")
    return built(tmp_path, **{"content/events/all.yaml": EVENTS + YEAR_EVENT, "content/dossiers/example-report.yaml": cites})


def html(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


# --- Timeline --------------------------------------------------------------------------------

def test_timeline_has_year_navigation_and_sets_coarse_dates_apart(site: Path) -> None:
    page = html(site, "timeline/index.html")
    assert re.findall(r'<a href="#y(\d{4})">', page) == ["2023", "2024"]
    section_2023 = page.split('id="y2023"')[1].split('id="y2024"')[0]
    assert "Some time in 2023" in section_2023 and 'id="talks-begin"' in section_2023
    assert "Some time in 2024" not in page  # day and month dates are placed in order, not set apart
    assert page.index('id="february-talks"') < page.index('id="musk-meets-putin"')
    assert 'class="event precision-year"' in page and 'class="event precision-month"' in page


def test_an_event_open_at_one_end_is_placed_in_order_not_set_apart_as_some_time_in_its_year(tmp_path: Path) -> None:
    until = YEAR_EVENT.replace("talks-begin", "talks-end").replace('"2023"', '"../2024-03-18"')
    cites = sidecar("a.txt", SEED).replace("events:\n", "events:\n  - event: talks-end\n    quote: Mr Musk’s visit\n")
    out = built(tmp_path, **{"content/events/all.yaml": EVENTS + until, "content/dossiers/example-report.yaml": cites})
    page = html(out, "timeline/index.html")
    assert "Some time in 2024" not in page
    assert '<li class="event precision-open" id="talks-end"' in page and "until 18 March 2024" in page
    # Placed by the end it has: after 1 March, where its open start put it before February.
    assert page.index('id="february-talks"') < page.index('id="musk-meets-putin"') < page.index('id="talks-end"')


def test_a_period_is_placed_in_order_at_its_start_not_set_apart_as_some_time_in_its_year(tmp_path: Path) -> None:
    period = YEAR_EVENT.replace("talks-begin", "talks-run").replace('"2023"', '"2024-01/2025-06"')
    cites = sidecar("a.txt", SEED).replace("events:\n", "events:\n  - event: talks-run\n    quote: Mr Musk’s visit\n")
    out = built(tmp_path, **{"content/events/all.yaml": EVENTS + period, "content/dossiers/example-report.yaml": cites})
    page = html(out, "timeline/index.html")
    assert "Some time in 2024" not in page and '<li class="event precision-span" id="talks-run"' in page
    assert page.index('id="talks-run"') < page.index('id="february-talks"') < page.index('id="musk-meets-putin"')


def test_timeline_filters_are_hidden_until_the_script_runs_and_every_event_is_listed(site: Path) -> None:
    page = html(site, "timeline/index.html")
    assert re.search(r'<form class="filters" id="filters" hidden', page)
    assert page.count('<li class="event') == 3
    assert '<option value="elon-musk">Elon Musk (3)</option>' in page
    assert 'src="../assets/timeline.js" defer' in page and (site / "assets" / "timeline.js").is_file()
    for status in ("reported", "alleged", "denied", "confirmed", "disputed"):
        assert f'<span class="status status-{status}">{status}</span>' in page  # the legend


def test_every_quote_link_points_at_an_anchor_in_its_dossier(site: Path) -> None:
    page = html(site, "timeline/index.html")
    links = re.findall(r'<blockquote><a href="\.\./(dossiers/[^"#]+/)#([^"]+)">', page)
    assert len(links) == 3
    for path, anchor in links:
        assert re.search(rf'<mark class="evidence [a-z]+" id="{re.escape(anchor)}"', html(site, path + "index.html"))


@pytest.mark.parametrize(("edtf", "expected"), [
    ("2024-03-01", "day"), ("2024-02", "month"), ("2023-12~", "month"), ("2023-21", "part"), ("2022-41", "part"),
    ("2023", "year"), ("2021?", "year"), ("2022-07/2024", "span"), ("2022-07/..", "open"),
    ("2022-04/2022-10-27", "part"), ("2022-10/2023-06", "span"), ("2022/2023", "span"),
    ("../2024-03-18", "open"), ("../2024", "open"),
])
def test_precision_says_how_much_a_date_leaves_open(edtf: str, expected: str) -> None:
    assert precision(parse_date(edtf)) == expected


# --- Network ---------------------------------------------------------------------------------

def fake_xref(n: int) -> tuple[CrossRef, dict[str, EntityRef]]:
    """n entities; entity i is named in dossiers 0..(i % 5), so low numbers share many dossiers."""
    refs = {f"e{i:02d}": EntityRef(f"e{i:02d}", "person" if i % 2 else "place", f"Name {i} <b> & “Co”",
                                   f"people/e{i:02d}/") for i in range(n)}
    xref = CrossRef()
    for d in range(5):
        xref.named_in[f"d{d}"] = [i for k, i in enumerate(refs) if k % 5 >= d]
    for slug, ids in xref.named_in.items():
        for a in ids:
            xref.mentions[a][slug] = []
            xref.together[a].update(b for b in ids if b != a)
    return xref, refs


def test_whole_network_is_capped_deterministic_and_escaped() -> None:
    xref, refs = fake_xref(60)
    net = whole_network(xref, refs)
    assert len(net.nodes) == 40 and net.hidden == 20
    drawn = svg(net, "../", "All <names>")
    assert drawn == svg(whole_network(*fake_xref(60)), "../", "All <names>")
    tree = ET.fromstring(drawn)  # well-formed XML: every name escaped
    names = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    assert "Name 4 <b> & “Co”" in names and "<b>" not in drawn
    hrefs = [a.get("href") for a in tree.iter("{http://www.w3.org/2000/svg}a")]
    assert all(h.startswith("../people/") for h in hrefs)
    weights = Counter(e.weight for e in net.edges)
    assert max(weights) == 5 and all(a < b for a, b in ((e.a, e.b) for e in net.edges))


def test_ego_network_puts_the_entity_in_the_middle_with_its_strongest_links() -> None:
    xref, refs = fake_xref(30)
    net = ego_network(xref, refs, "e04")
    assert net.nodes[0].ref.id == "e04" and (net.nodes[0].x, net.nodes[0].y) == (net.width / 2, net.height / 2)
    assert len(net.nodes) == 15 and net.hidden == 29 - 14
    assert [w for _, w in net.neighbours("e04")][:5] == [5, 5, 5, 5, 5]
    assert ego_network(CrossRef(), refs, "e04") is None


def test_home_and_entity_pages_carry_the_connections_and_the_co_mention_table(site: Path) -> None:
    home = html(site, "index.html")
    assert '<svg class="connections-svg"' in home and 'href="people/elon-musk/"' in home
    assert "<summary>Names that appear in the same dossiers (co-mentions)</summary>" in home
    entity = html(site, "people/vladimir-putin/index.html")
    assert '<h2 id="h-connections">Connections</h2>' in entity and 'href="../../people/elon-musk/"' in entity
    assert re.search(r'<tr><th scope="row"><a href="\.\./\.\./people/elon-musk/">Elon Musk</a></th><td>1</td></tr>', entity)


def event_view(ident: str, status: str, refs: list[EntityRef]) -> EventView:
    return EventView(ident, "2024", "2024", 2024, f"Event {ident}", status, refs, "", "", [])


def test_entities_in_one_event_are_connected_by_it_strongest_first_and_escaped() -> None:
    _, refs = fake_xref(5)
    a, b, c, d, _ = refs.values()
    events = [event_view("one", "alleged", [a, b, c]), event_view("two", "denied", [a, b]), event_view("three", "reported", [d])]
    linked = connections(events)
    assert [(x.ref.id, [e.id for e in x.events]) for x in linked["e00"]] == [("e01", ["one", "two"]), ("e02", ["one"])]
    assert "e03" not in linked  # in an event alone: connected to no one
    view = overview(linked, refs)
    assert [r.id for r in view.nodes] == ["e00", "e01", "e02"]
    assert [(x.id, y.ref.id, len(y.events)) for x, y in view.links] == [("e00", "e01", 2), ("e00", "e02", 1), ("e01", "e02", 1)]
    for drawn in (overview_svg(view, "../", "Label <i>"), fan_svg(a, linked["e00"], "../", "Label <i>")):
        tree = ET.fromstring(str(drawn))
        assert "<b>" not in drawn and "Name 1 <b> & “Co”" in "".join(tree.itertext())
        assert tree.get("aria-label") == "Label <i>"


def test_a_long_name_fits_in_the_connections_pictures() -> None:
    """The picture is as wide as its longest name needs (estimated generously), so none is cut off."""
    long = EntityRef("long", "organisation", "Indonesian Internet Providers Association of Jakarta", "organisations/long/")
    short = EntityRef("short", "person", "Ann Roe", "people/short/")
    linked = connections([event_view("one", "reported", [short, long])])
    for drawn in (overview_svg(overview(linked, {"long": long, "short": short}), "../", "L"),
                  fan_svg(short, linked["short"], "../", "L")):
        tree = ET.fromstring(str(drawn))
        width = float(tree.get("viewBox").split()[2])
        for text in tree.iter("{http://www.w3.org/2000/svg}text"):
            x, size = float(text.get("x")), 0.55 * 22 * len(text.text)
            start, end = (x - size, x) if text.get("text-anchor") == "end" else (x, x + size)
            assert start >= 0 and end <= width, (text.text, start, end, width)


# --- Search, metadata, weight ----------------------------------------------------------------

def test_search_indexes_dossiers_entities_and_pages_only(site: Path) -> None:
    records = search_records(site)
    entities = {f"/{kind}/{i}/" for kind, i in [("people", "elon-musk"), ("people", "vladimir-putin"), ("places", "moscow"),
                                                  ("organisations", "kremlin")]}
    assert set(records) == {"/dossiers/example-report/", "/about/"} | entities
    assert not [p for p in site.iterdir() if p.name.startswith("threadline-search")]  # the input is not published
    search = html(site, "search/index.html")
    assert 'data-bundle="../pagefind/pagefind.js"' in search and "<noscript>" in search


def test_a_large_search_index_is_made_in_parts_that_hold_every_document_once(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    whole = search_records(built(tmp_path / "whole"))
    monkeypatch.setattr(search, "PART_DOCUMENTS", 2)  # the indexer forks: its process sees this too
    out = built(tmp_path / "parts")
    bundle = out / "pagefind"
    parts = sorted(bundle.glob("part-*"), key=lambda p: int(p.name.split("-")[1]))
    assert [p.name for p in parts] == [f"part-{n}" for n in range(2, len(parts) + 2)] and len(parts) >= 2
    listed = ", ".join(f'"{p.name}/"' for p in parts)
    assert (bundle / "parts.js").read_text() == f"export default [{listed}];\n"
    counts = [json.loads((part / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
              for part in [bundle, *parts]]
    assert all(0 < n <= 2 for n in counts) and sum(counts) == len(whole)
    assert search_records(out) == whole  # every document once, as one index holds them


def test_search_holds_the_verbatim_text_and_none_of_the_page_furniture(site: Path) -> None:
    dossier = search_records(site)["/dossiers/example-report/"]
    assert dossier["meta"] == {"title": "Musk meets Putin in Moscow", "kind": "Dossier · Example News · 1 March 2024"}
    for line in ["Elon Musk met Vladimir Putin in Moscow on Friday, the Kremlin said.",
                 "Mr Musk’s visit followed talks in February, when Putin asked Musk about Mars."]:
        assert line in dossier["content"]
    for furniture in ["Skip to content", "About this source", "Events this source supports", "Source link"]:
        assert furniture not in dossier["content"]
    person = search_records(site)["/people/elon-musk/"]
    assert person["meta"] == {"title": "Elon Musk", "kind": "People"} and "Mr Musk" in person["content"]


def test_search_documents_escape_what_they_quote(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)> & <b>bold</b>"
    seed = SEED + "\n" + hostile + "\n"
    out = built(tmp_path, **{"seeds/a.txt": seed, "content/dossiers/example-report.yaml": sidecar("a.txt", seed)})
    assert hostile in search_records(out)["/dossiers/example-report/"]["content"]  # as text, not as markup


def test_json_ld_is_valid_and_cannot_close_its_script(tmp_path: Path) -> None:
    hostile = "Says </script><script>alert(1)</script> & more"
    entities = scratch_files()["content/entities/all.yaml"].replace("President of Russia.", json.dumps(hostile))
    out = built(tmp_path, **{"content/entities/all.yaml": entities})
    page = html(out, "people/vladimir-putin/index.html")
    assert "alert(1)</script>" not in page
    (data,) = [json.loads(text) for text in LD.findall(page)]
    assert data["@type"] == "Person" and data["description"] == hostile and data["alternateName"] == ["Putin"]
    (article,) = [json.loads(text) for text in LD.findall(html(out, "dossiers/example-report/index.html"))]
    assert article["@type"] == "NewsArticle" and article["datePublished"] == "2024-03-01"
    assert article["url"] == "https://example.github.io/scratch/dossiers/example-report/"
    assert {"@type": "Place", "name": "Moscow", "url": "https://example.github.io/scratch/places/moscow/"} in article["about"]


def test_every_page_has_canonical_and_social_metadata(site: Path) -> None:
    for path in ["index.html", "timeline/index.html", "people/elon-musk/index.html", "dossiers/example-report/index.html"]:
        page = html(site, path)
        url = "https://example.github.io/scratch/" + path.removesuffix("index.html")
        assert f'<link rel="canonical" href="{url}">' in page
        assert f'<meta property="og:url" content="{url}">' in page
        card = "summary" if path == "index.html" else "summary_large_image"  # home has no preview image
        assert f'<meta name="twitter:card" content="{card}">' in page and 'rel="icon"' in page
    assert "canonical" not in html(site, "404.html")
    feed = ET.fromstring(html(site, "feed.xml"))
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed" and len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 1


def test_no_page_loads_anything_from_elsewhere(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|img|iframe)[^>]+src="([^"]+)"|<link rel="(?:stylesheet|icon)" href="([^"]+)"', text)
        assert all(not re.match(r"(https?:)?//", a or b) for a, b in loaded), page
    assert not re.search(r"@import|url\(", html(site, "assets/style.css"))


def test_a_dossier_page_and_its_css_weigh_under_50_kb(fixture_site: Path) -> None:
    pages = sorted((fixture_site / "dossiers").glob("*/index.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="\.\./\.\./([^"]+)">', text)
        assert sheets == ["assets/style.css"]
        weight = page.stat().st_size + sum((fixture_site / s).stat().st_size for s in sheets)
        assert weight < 50_000, f"{page.parent.name}: {weight} bytes of HTML and CSS"


# --- Timeline at any size ----------------------------------------------------------------------

def test_a_long_timeline_is_a_page_per_year_and_every_link_lands_on_its_event(tmp_path: Path, monkeypatch) -> None:
    from tests.conftest import fixture_project
    from threadline.publish.links import crawl

    monkeypatch.setattr("threadline.site.timeline.TIMELINE_PAGE_EVENTS", 2)
    out = tmp_path / "out"
    build(fixture_project(tmp_path / "p"), out, "https://example.github.io/varnholm/")
    events = json.loads((out / "data/events.json").read_text(encoding="utf-8"))
    pages = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("timeline/*/index.html"))
    years = Counter(str(parse_date(e["date"]).year) for e in events)
    expected = sorted(f"timeline/{y}" if n == 1 else f"timeline/{y}-{n}"
                      for y, k in years.items() for n in range(1, (k + 1) // 2 + 1))
    assert pages == expected
    held = [re.findall(r'<li class="event [^"]*" id="([^"]+)"', (out / p / "index.html").read_text(encoding="utf-8"))
            for p in pages]
    assert all(0 < len(ids) <= 2 for ids in held) and sorted(i for ids in held for i in ids) == sorted(e["id"] for e in events)
    index = (out / "timeline/index.html").read_text(encoding="utf-8")
    assert '<li class="event' not in index and all(f'href="../{p}/"' in index for p in pages)
    dossier = (out / "dossiers/northwind-terminal-announced/index.html").read_text(encoding="utf-8")
    assert 'href="../../timeline/2019/#northwind-proposes-site"' in dossier
    assert crawl(out, "https://example.github.io/varnholm/") == []


def test_a_short_timeline_stays_one_page(site: Path) -> None:
    assert not list(site.glob("timeline/*/index.html"))
    assert '<li class="event' in html(site, "timeline/index.html")


# --- Editors' notes ----------------------------------------------------------------------------

def test_a_note_on_the_headline_opens_the_body_where_its_number_leads(tmp_path: Path) -> None:
    noted = sidecar("a.txt", SEED).replace("notes:\n", "notes:\n  - passage: meets Putin\n    text: As the headline says.\n")
    root = write_project(tmp_path / "p", scratch_files(**{"content/dossiers/example-report.yaml": noted}))
    build(root, tmp_path / "out")
    page = html(tmp_path / "out", "dossiers/example-report/index.html")
    assert '<a id="note-ref-1" href="#note-1" role="doc-noteref"' in page.split('<div class="dossier-text')[0]
    body = page.split('<div class="dossier-text source-text" id="text">\n')[1]
    assert body.startswith('<aside class="sidenote" id="note-1" role="doc-footnote" data-not-seed>'
                           '<span class="sidenote-n">1</span> <span class="label">Editor’s note</span>'
                           ' As the headline says.</aside>\n'
                           '<p id="line-3">')
    assert body.count('<aside class="sidenote"') == 2


# --- [sic] and revision dates ----------------------------------------------------------------

def test_a_sic_passage_is_marked_and_the_seed_text_unchanged(tmp_path: Path) -> None:
    files = scratch_files(**{"content/dossiers/example-report.yaml": sidecar("a.txt", SEED, """\
        updated: 2024-07-02
        sic:
          - passage: Mars
            means: the planet
        """)})
    root = write_project(tmp_path / "p", files)
    build(root, tmp_path / "out")
    page = html(tmp_path / "out", "dossiers/example-report/index.html")
    assert ('<span class="sic" id="sic-1">Mars</span><span class="sic-mark" data-not-seed>[sic'
            '<span class="visually-hidden">: so in the source, for “the planet”</span>]</span>') in page
    assert 'Annotation updated <time datetime="2024-07-02">2 July 2024</time>' in page
    markdown = (tmp_path / "out/dossiers/example-report.md").read_text(encoding="utf-8")
    assert "asked \\\\[Musk\\\\](" not in markdown and "sic" not in markdown.split("\n---\n", 1)[1]


def test_a_sic_passage_not_in_the_seed_is_an_error_at_its_line(tmp_path: Path, capsys) -> None:
    from threadline.cli import main

    files = scratch_files(**{"content/dossiers/example-report.yaml": sidecar("a.txt", SEED, "sic:\n  - passage: Venus\n")})
    root = write_project(tmp_path / "p", files)
    assert main(["check", "--project", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/dossiers/example-report.yaml:22:5: passage not found in seed 'a.txt': 'Venus'"
        " (copy it from the seed exactly, curly quotes and apostrophes included)")


# --- Preview images ----------------------------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_every_dossier_entity_and_timeline_page_has_its_1200_by_630_preview(fixture_site: Path) -> None:
    base = "https://example.github.io/varnholm/"
    pages = [*sorted(fixture_site.glob("*/*/index.html")), fixture_site / "timeline/index.html"]
    carded = [p for p in pages if p.parent.parent.name in ("dossiers", "people", "organisations", "places", "products")
              or p.parent.name == "timeline"]
    assert len(carded) > 10
    for path in carded:
        image = re.search(r'<meta property="og:image" content="([^"]+)">', path.read_text(encoding="utf-8"))[1]
        assert image.startswith(base + "og/"), path
        assert png_size((fixture_site / image.removeprefix(base)).read_bytes()) == (1200, 630)
    assert 'property="og:image"' not in html(fixture_site, "about/index.html")


def test_a_card_escapes_what_it_says_and_wraps_a_long_title() -> None:
    from threadline.site.cards import Card, card_svg

    svg = card_svg(Card("Dossier · <b>", "A <script> & “quote” " * 6, "3 events", "Site & Co"))
    tree = ET.fromstring(svg)
    text = "".join(tree.itertext())
    assert "<script>" in text and "Site & Co" in text and "DOSSIER · <B>" in text
    assert len(tree.findall(".//{http://www.w3.org/2000/svg}tspan")) == 3 and text.count("…") == 1


def test_preview_images_can_be_turned_off(tmp_path: Path) -> None:
    files = scratch_files()
    files["site.yaml"] = files["site.yaml"] + "preview_images: false\n"
    root = write_project(tmp_path / "p", files)
    build(root, tmp_path / "out")
    assert not (tmp_path / "out/og").exists()
    assert 'property="og:image"' not in html(tmp_path / "out", "dossiers/example-report/index.html")


@pytest.mark.parametrize(("edtf", "expected"), [
    ("2021-05-21", "2021-05-21"), ("2021-05-21?", "2021-05-21"), ("2023-12~", "2023-12"), ("2021%", "2021"),
    ("2023-21", "2023"), ("2022-41", "2022"), ("2022-07/2024", None), ("../2024", None), ("2022-07/..", None),
])
def test_datetime_values_are_valid_html_dates_the_uncertainty_said_in_words(edtf: str, expected: str | None) -> None:
    from threadline.inputs.dates import html_datetime

    assert html_datetime(edtf) == expected
