"""The cross-checks an editor relies on, over the fixture investigation (tests/fixture), which has every
kind of input the generator handles; the live investigation is held by `build.py check --strict`."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from tests.conftest import FIXTURE
from threadline.pipeline import Investigation, analyse
from threadline.text.annotate import AliasIndex

ANONYMOUS = re.compile(r"\b(sources?|allegedly|reportedly|said to|according to (one|a|an) |officials)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def inv() -> Investigation:
    return analyse(FIXTURE)


def test_the_fixture_has_every_kind_of_input_the_tests_rely_on(inv: Investigation) -> None:
    """A simpler fixture would weaken every test that builds it: keep its variety."""
    events = inv.project.events.values()
    assert {e.status for e in events} == {"reported", "alleged", "denied", "confirmed", "disputed"}
    assert {"2023-12~", "2021?", "2021-02", "2022-41", "2023-21", "2022-07/2024", "../2024", "2024-05%"} <= {
        e.date.edtf for e in events}
    dossiers = inv.project.dossiers.values()
    assert {d.headline_by for d in dossiers} == {"source", "editor"}
    assert {bool(item.prefix) for d in dossiers for item in d.boilerplate} == {True, False}
    assert all(d.notes for d in dossiers) and any(d.subheadings for d in dossiers) and any(d.quotes for d in dossiers)
    spellings = {s for e in inv.project.entities.values() for s in e.spellings}
    assert {"Павел Орлов", "温丽华"} <= spellings
    text = "".join(d.text for d in dossiers)
    for hostile in ("<script>", "<b>", "javascript:", "*Stars*", "[the plans](", "\n# ", "\n| ", "\n> ", "&", "’s"):
        assert hostile in text, hostile


def test_every_seed_has_a_sidecar_and_the_check_is_clean(inv: Investigation) -> None:
    seeds = sorted(p.name for p in (FIXTURE / "seeds").glob("*.txt"))
    assert sorted(d.seed for d in inv.project.dossiers.values()) == seeds
    assert [str(p) for p in inv.problems.items] == []  # no errors and no warnings: nothing unclaimed, nothing unused


def test_every_alias_occurs_in_some_seed(inv: Investigation) -> None:
    index = AliasIndex(list(inv.project.entities.values()))
    found = {text[s:e] for d in inv.project.dossiers.values() for text in [d.text] for s, e, _ in index.find(text)}
    missing = [(e.id, a) for e in inv.project.entities.values() for a in e.aliases if a not in found]
    assert missing == []


def test_every_event_has_a_verified_quote_and_a_date_basis(inv: Investigation) -> None:
    for event in inv.project.events.values():
        sources = inv.xref.sources.get(event.id, [])
        assert sources, event.id
        for source in sources:  # analyse() located each quote verbatim; check it against the raw seed too
            assert source.quote in inv.project.dossiers[source.slug].text
        assert event.date_basis.strip(), event.id
    for dossier in inv.project.dossiers.values():
        assert dossier.published_basis.strip() and dossier.outlet_basis.strip() and dossier.author_basis.strip()


def test_an_event_two_seeds_report_is_one_event_with_two_sources(inv: Investigation) -> None:
    sources = inv.xref.sources["northwind-announces-terminal"]
    assert {s.slug: s.quote for s in sources} == {
        "northwind-terminal-announced": "Northwind Freight will build a container terminal on the north shore of Kessel Bay",
        "varnholm-quay-cracks": "Northwind Freight announced the terminal in March 2022",
    }
    titles = [e.title.lower() for e in inv.project.events.values()]
    assert len(titles) == len(set(titles)), "two events with one title: write a shared event once"


def test_nothing_confirmed_rests_on_one_anonymous_report(inv: Investigation) -> None:
    confirmed = [e for e in inv.project.events.values() if e.status == "confirmed"]
    assert confirmed
    for event in confirmed:
        sources = inv.xref.sources[event.id]
        if len({s.slug for s in sources}) == 1:
            assert not any(ANONYMOUS.search(s.quote) for s in sources), event.id


def test_every_person_page_lists_all_spellings_and_every_dossier(inv: Investigation, fixture_site: Path) -> None:
    people = [e for e in inv.project.entities.values() if e.kind == "person"]
    assert len(people) == 4
    for person in people:
        page = (fixture_site / f"people/{person.id}/index.html").read_text(encoding="utf-8")
        for spelling in person.spellings:
            assert escape(spelling, quote=False) in page, (person.id, spelling)
        for slug in inv.xref.mentions.get(person.id, {}):
            assert f'href="../../dossiers/{slug}/' in page, (person.id, slug)


def test_spellings_that_differ_between_seeds_are_one_person(inv: Investigation) -> None:
    """Orloff in one seed, Орлов in Cyrillic in another: one entity, named in both."""
    minister = [e for e in inv.project.entities.values() if {"Pavel Orloff", "Павел Орлов"} <= set(e.spellings)]
    assert len(minister) == 1
    assert sorted(inv.xref.mentions[minister[0].id]) == ["northwind-terminal-announced", "varnholm-quay-cracks"]
