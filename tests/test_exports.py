"""The open data (threadline/data/exports.py), each format read back by its own ecosystem's tool: CSV by the
csv module, FollowTheMoney by the `followthemoney` model, GEXF by networkx. TimelineJS is loaded by
TimelineJS itself in tests/test_timelinejs.py. All on the fixture investigation."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import networkx as nx
import networkx.readwrite.gexf as gexf_module
import pytest
from followthemoney import model

from tests.conftest import EVENTS, REPO, fixture_project, scratch_files, write_project
from threadline.data.exports import EXPORTS, FORMATS
from threadline.data.ftm import SCHEMATA, ftm_id
from threadline.data.gexf import connections_gexf
from threadline.data.tables import COLUMNS
from threadline.pipeline import analyse, build
from threadline.site.views import build_views
from threadline.text.prose import Prose

BASE = "https://example.github.io/varnholm/"
FREE_TEXT = ("text", "string", "name", "address")


def data(site: Path, name: str) -> list:
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


def table(site: Path, name: str) -> list[dict]:
    """A CSV file read as a spreadsheet would: UTF-8 without a byte-order mark, its header first."""
    raw = (site / "data" / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0] == [column for column, _ in COLUMNS[name]], f"{name}: columns out of order"
    assert all(len(row) == len(rows[0]) for row in rows)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# --- CSV ---------------------------------------------------------------------------------------

def test_every_export_is_written_under_data(fixture_site: Path) -> None:
    written = sorted(p.name for p in (fixture_site / "data").iterdir())
    assert written == sorted([*(e.name for e in EXPORTS), "index.html"])


def test_the_csv_rows_agree_with_the_json(fixture_site: Path) -> None:
    events, entities = data(fixture_site, "events.json"), data(fixture_site, "entities.json")
    assert [r["id"] for r in table(fixture_site, "events.csv")] == [e["id"] for e in events]
    assert [r["id"] for r in table(fixture_site, "entities.csv")] == [e["id"] for e in entities]
    mentions = table(fixture_site, "mentions.csv")
    assert len(mentions) == sum(n for e in entities for n in e["dossiers"].values())
    assert Counter((r["entity"], r["dossier"]) for r in mentions) == Counter(
        {(e["id"], slug): n for e in entities for slug, n in e["dossiers"].items()})
    sources = table(fixture_site, "sources.csv")
    assert [(r["event"], r["dossier"], r["quote"], r["url"]) for r in sources] == [
        (e["id"], s["dossier"], s["quote"], BASE + s["url"]) for e in events for s in e["sources"]]


def test_the_events_csv_keeps_dates_statuses_and_several_values(fixture_site: Path) -> None:
    rows = {r["id"]: r for r in table(fixture_site, "events.csv")}
    assert {k: rows["wen-buys-stake"][k] for k in ("date", "display_date", "precision", "earliest", "latest", "status",
                                                   "entities")} == {
        "date": "2023-21", "display_date": "spring 2023", "precision": "part", "earliest": "2023-03-01",
        "latest": "2023-05-31", "status": "alleged", "entities": "wen-lihua; northwind-freight; daily-ledger"}
    assert (rows["orlov-denies-private-meetings"]["earliest"], rows["orlov-denies-private-meetings"]["latest"]) == (
        "", "2024-12-31")
    assert rows["terminal-cost-doubles"]["display_date"] == "May 2024 (approx., uncertain)"
    assert rows["northwind-announces-terminal"]["url"] == BASE + "timeline/#northwind-announces-terminal"


def test_the_mentions_csv_links_each_mention_with_its_context(fixture_site: Path) -> None:
    rows = [r for r in table(fixture_site, "mentions.csv") if r["entity"] == "pavel-orlov"]
    assert "Павел Орлов" in {r["as_written"] for r in rows}
    for row in rows:
        assert row["as_written"] in row["context"]
        page, anchor = row["url"].removeprefix(BASE).split("#")
        html = (fixture_site / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}" href="../../people/pavel-orlov/"' in html


def test_the_readme_documents_every_export_and_every_csv_column() -> None:
    """README's "Published data" has a bullet per file; a CSV's bullet names each of its columns."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    published = readme.split("\n## Published data\n", 1)[1].split("\n## ", 1)[0]
    bullets = {b.split("`", 2)[1]: b for b in re.split(r"\n- ", published) if b.startswith("`data/")}
    assert [e.name for e in EXPORTS if f"data/{e.name}" not in bullets] == []
    missing = [f"{name}: {column}" for name, columns in COLUMNS.items() for column, meaning in columns
               if f"`{column}`" not in bullets[f"data/{name}"] or not meaning]
    assert missing == []


# --- FollowTheMoney ----------------------------------------------------------------------------

def ftm_entities(site: Path) -> list[dict]:
    lines = (site / "data" / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def invalid(entity: dict) -> list[str]:
    """What the followthemoney model finds wrong with an entity, [] when nothing."""
    schema = model.get(entity["schema"])
    if schema is None or schema.abstract:
        return [f"no concrete schema {entity['schema']!r}"]
    problems = [f"{name}: no such property" for name in entity["properties"] if schema.get(name) is None]
    problems += [f"{name}: required" for name in schema.required if not entity["properties"].get(name)]
    if problems:
        return problems
    schema.validate(entity)  # raises InvalidData on a value its type refuses
    proxy = model.get_proxy(entity, cleaned=False)  # cleans every value as Aleph does; refuses a self-reference
    for name, values in entity["properties"].items():
        kept = proxy.get(name)
        # Free text may have its spacing tidied (a thin space becomes a space); anything else must stay as it is.
        if len(kept) != len(values) or (sorted(kept) != sorted(values) and schema.get(name).type.name not in FREE_TEXT):
            problems.append(f"{name}: {values!r} is cleaned to {kept!r}")
    return problems


def test_every_ftm_entity_is_valid_against_the_model(fixture_site: Path) -> None:
    entities = ftm_entities(fixture_site)
    assert {e["id"]: invalid(e) for e in entities if invalid(e)} == {}
    assert len({e["id"] for e in entities}) == len(entities)


def test_every_ftm_reference_resolves_to_an_entity_of_its_range(fixture_site: Path) -> None:
    entities = {e["id"]: e for e in ftm_entities(fixture_site)}
    dangling = []
    for entity in entities.values():
        schema = model.get(entity["schema"])
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            if prop.type.name != "entity":
                continue
            for value in values:
                target = entities.get(value)
                if target is None or not model.get(target["schema"]).is_a(prop.range):
                    dangling.append(f"{entity['id']}.{name} -> {value}")
    assert dangling == []


def test_ftm_schemata_and_ids_come_from_the_site(fixture_site: Path) -> None:
    entities = {e["id"]: e for e in ftm_entities(fixture_site)}
    for record in data(fixture_site, "entities.json"):
        assert entities[f"entity-{record['id']}"]["schema"] == SCHEMATA[record["kind"]]
    for record in data(fixture_site, "dossiers.json"):
        assert entities[f"dossier-{record['slug']}"]["schema"] == "Article"
        assert model.get("Article").is_a(model.get("Document"))
    event = entities["event-wen-buys-stake"]
    assert event["schema"] == "Event"
    assert event["properties"]["involved"] == ["entity-wen-lihua", "entity-northwind-freight", "entity-daily-ledger"]
    assert (event["properties"]["startDate"], event["properties"]["endDate"]) == (["2023-03"], ["2023-05"])
    assert entities["event-orlov-meets-brandt"]["properties"]["summary"] == ["Date: 2021 (uncertain). Status: alleged."]
    assert entities["event-tidewatch-installed"]["properties"]["addressEntity"] == ["entity-varnholm"]
    assert entities["part-tidewatch--tidewatch-installed"]["properties"] == {
        "subject": ["entity-tidewatch"], "object": ["event-tidewatch-installed"], "role": ["involved in"]}
    quotes = [e for e in entities.values() if e["schema"] == "Documentation" and e["properties"]["role"] == ["source"]]
    assert len(quotes) == sum(len(e["sources"]) for e in data(fixture_site, "events.json"))


@pytest.mark.parametrize("ids", [("a",), ("a-b", "c"), ("a", "b-c"), ("x" * 100, "y" * 150)])
def test_ftm_ids_are_valid_distinct_and_short_enough(ids: tuple[str, ...]) -> None:
    ident = ftm_id("named", *ids)
    assert len(ident) <= 200
    assert re.fullmatch(r"[0-9a-zA-Z]([0-9a-zA-Z\-]*[0-9a-zA-Z])?", ident)
    assert ftm_id("named", "a-b", "c") != ftm_id("named", "a", "b-c")


# --- GEXF --------------------------------------------------------------------------------------

def test_networkx_reads_the_network_back(fixture_site: Path) -> None:
    graph = nx.read_gexf(fixture_site / "data" / "connections.gexf")
    entities, events = data(fixture_site, "entities.json"), data(fixture_site, "events.json")
    assert sorted(graph.nodes) == sorted(e["id"] for e in entities)
    assert {n: graph.nodes[n]["kind"] for n in graph.nodes} == {e["id"]: e["kind"] for e in entities}
    assert {n: graph.nodes[n]["label"] for n in graph.nodes} == {e["id"]: e["name"] for e in entities}
    shared: dict[frozenset, list[dict]] = {}
    for event in events:
        for a, b in combinations(sorted(set(event["entities"])), 2):
            shared.setdefault(frozenset((a, b)), []).append(event)
    assert {frozenset(edge) for edge in graph.edges} == set(shared)
    for (a, b), attributes in graph.edges.items():
        together = shared[frozenset((a, b))]
        assert attributes["weight"] == len(together)
        assert attributes["statuses"].split("; ") == sorted({e["status"] for e in together})
        assert attributes["events"].split("; ") == [e["id"] for e in together]


def test_the_network_carries_no_clock(fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """networkx stamps the day it writes a file: the build stamps the data's latest publication date instead."""
    monkeypatch.setattr(gexf_module.time, "strftime", lambda *args: "1999-12-31")
    inv = analyse(fixture_project(tmp_path / "project"))
    written = connections_gexf(inv.project, build_views(inv.project, inv.docs, inv.xref, Prose()))
    assert written == (fixture_site / "data" / "connections.gexf").read_bytes()
    assert b'<meta lastmodifieddate="2024-06-01">' in written


# --- The Data page -----------------------------------------------------------------------------

def test_the_data_page_lists_every_download_with_its_format_size_licence_and_howto(fixture_site: Path) -> None:
    page = (fixture_site / "data" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    for export in EXPORTS:
        size = (fixture_site / "data" / export.name).stat().st_size
        item = page.split(f'<a href="../data/{export.name}" download>{export.name}</a>', 1)[1].split("</li>", 1)[0]
        assert f"{FORMATS[export.format].name} · <data value=\"{size}\">" in item
        assert "· CC BY 4.0" in item
        assert all(line in text for line in FORMATS[export.format].howto)
    for name, columns in COLUMNS.items():
        assert f"<caption>{name}</caption>" in page
        assert all(f"<code>{column}</code>" in page for column, _ in columns)


def test_the_data_page_is_a_schema_org_dataset(fixture_site: Path) -> None:
    page = (fixture_site / "data" / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert len(found) == 1
    dataset = json.loads(found[0])
    assert (dataset["@type"], dataset["license"], dataset["url"]) == ("Dataset", "CC BY 4.0", BASE + "data/")
    assert dataset["creator"] == {"@type": "Organization", "name": "Fixture Desk"}
    assert [(d["@type"], d["contentUrl"], d["contentSize"]) for d in dataset["distribution"]] == [
        ("DataDownload", BASE + "data/" + e.name, f"{(fixture_site / 'data' / e.name).stat().st_size} B")
        for e in EXPORTS]


def test_every_page_links_to_the_data_page_in_its_footer(fixture_site: Path) -> None:
    for path in sorted(fixture_site.rglob("*.html")):
        rel = path.relative_to(fixture_site).as_posix()
        root = "/varnholm/" if rel == "404.html" else "../" * rel.count("/")
        footer = path.read_text(encoding="utf-8").split('<footer class="site-footer">', 1)[1]
        assert f'<a href="{root}data/"' in footer, rel


# --- TimelineJS (its rendering: tests/test_timelinejs.py) --------------------------------------

class Tags(HTMLParser):
    """The tags and link targets of a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def test_timelinejs_text_is_escaped_and_links_only_to_the_site(tmp_path: Path) -> None:
    hostile = EVENTS.replace("title: Musk meets Putin in Moscow", "title: 'Musk <img src=x onerror=alert(1)> & Putin'")
    project = write_project(tmp_path / "project", scratch_files(**{"content/events/all.yaml": hostile}))
    build(project, tmp_path / "site", search=False)
    timeline = json.loads((tmp_path / "site" / "data" / "timelinejs.json").read_text(encoding="utf-8"))
    slide = next(e for e in timeline["events"] if e["unique_id"] == "musk-meets-putin")
    assert slide["text"]["headline"] == "Musk &lt;img src=x onerror=alert(1)&gt; &amp; Putin"
    for event in timeline["events"]:
        tags = Tags()
        tags.feed(event["text"]["headline"] + event["text"]["text"])
        assert tags.tags <= {"p", "strong", "a", "blockquote"}
        assert all(href.startswith("https://example.github.io/scratch/") for href in tags.hrefs)


def test_timelinejs_dates_keep_their_precision(fixture_site: Path) -> None:
    slides = {e["unique_id"]: e for e in data_object(fixture_site, "timelinejs.json")["events"]}
    dates = {i: (s.get("start_date"), s.get("end_date"), s["display_date"]) for i, s in slides.items()}
    assert dates["northwind-announces-terminal"] == ({"year": 2022, "month": 3, "day": 14}, None, "14 March 2022")
    assert dates["fund-first-harbour-investment"] == ({"year": 2021, "month": 2}, None, "February 2021")
    assert dates["northwind-proposes-site"] == ({"year": 2019}, None, "2019")
    assert dates["orlov-meets-brandt"] == ({"year": 2021}, None, "2021 (uncertain)")
    assert dates["wen-buys-stake"] == ({"year": 2023, "month": 3}, {"year": 2023, "month": 5}, "spring 2023")
    assert dates["tidewatch-installed"] == ({"year": 2022, "month": 7}, {"year": 2022, "month": 12},
                                            "second half of 2022")
    assert dates["terminal-construction"] == ({"year": 2022, "month": 7}, {"year": 2024}, "July 2022 – 2024")
    assert dates["inspectors-find-cracks"] == ({"year": 2023, "month": 12}, None, "December 2023 (approx.)")
    assert dates["orlov-denies-private-meetings"] == ({"year": 2024}, None, "until 2024")
    assert slides["orlov-denies-private-meetings"]["group"] == "denied"
    assert "<strong>Denied</strong>: The person concerned denies it." in slides["orlov-denies-private-meetings"]["text"]["text"]


def data_object(site: Path, name: str) -> dict:
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


def test_the_dataset_json_ld_cannot_close_its_script_and_states_no_licence_it_lacks(tmp_path: Path) -> None:
    site = "title: 'Data </script><script>alert(1)</script>'\nbase_url: https://example.github.io/scratch/\n"
    project = write_project(tmp_path / "project", scratch_files(**{"site.yaml": site}))
    build(project, tmp_path / "site", search=False)
    page = (tmp_path / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert "alert(1)</script>" not in page
    (dataset,) = [json.loads(t) for t in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    assert dataset["name"] == "Data </script><script>alert(1)</script>: data"
    assert "license" not in dataset and "creator" not in dataset
    assert "<p>Licence: none stated.</p>" in page
