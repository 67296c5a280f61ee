"""The dev server's views after an edit (site/delta.py) equal views made from scratch, whatever the edit.

A synthetic investigation is edited at random, one edit at a time, as an editor would: a sidecar's
fields, a quote, a new citation, a seed (with its new hash), an event's date, a dossier added or
removed, an entity. After each edit the preview's cross-reference and views, made from the last
build's, must equal those made from the whole investigation; and its pages, those of a full build.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import tree
from threadline.pipeline import Session, analyse, build, build_in_memory
from threadline.site.views import build_views
from threadline.text.prose import Prose
from threadline.tools.synth import synthesise


def sidecars(root: Path) -> list[Path]:
    return sorted((root / "content/dossiers").glob("*.yaml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def change(path: Path, edit: Callable[[dict], None]) -> None:
    data = load(path)
    edit(data)
    dump(path, data)


def set_field(name: str, value: Callable[[random.Random], object]) -> Callable[[Path, random.Random], None]:
    def edit(root: Path, rng: random.Random) -> None:
        change(rng.choice(sidecars(root)), lambda data: data.__setitem__(name, value(rng)))
    return edit


def shorter_quote(root: Path, rng: random.Random) -> None:
    """A quote cut to its first words: still verbatim, so the event's source changes and nothing breaks."""
    def cut(data: dict) -> None:
        if data["events"]:
            citation = rng.choice(data["events"])
            citation["quote"] = " ".join(citation["quote"].split()[:rng.randint(3, 6)])
    change(rng.choice(sidecars(root)), cut)


def cite_another(root: Path, rng: random.Random) -> None:
    """A dossier cites an event another dossier reports, with a verbatim quote of its own text."""
    path, other = rng.sample(sidecars(root), 2)
    events = load(other)["events"]
    data = load(path)
    if events:
        text = (root / "seeds" / data["seed"]).read_text(encoding="utf-8")
        data["events"].append({"event": rng.choice(events)["event"], "quote": text.split("\n\n")[1][:40].rstrip()})
        dump(path, data)


def seed_grows(root: Path, rng: random.Random) -> None:
    """A seed gains a paragraph naming two entities (a new version of the article), and its sidecar the new hash."""
    path = rng.choice(sidecars(root))
    data = load(path)
    names = [e["name"] for e in rng.sample(load(root / "content/entities/all.yaml"), 2)]
    seed = root / "seeds" / data["seed"]
    text = seed.read_text(encoding="utf-8").replace("\n\nSource link\n", f"\n\n{names[0]} met {names[1]}.\n\nSource link\n")
    seed.write_text(text, encoding="utf-8")
    data["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    dump(path, data)


def event_changes(root: Path, rng: random.Random) -> None:
    """An event's date, title or status changes: the timeline's order and pages may change with it."""
    path = rng.choice(sorted((root / "content/events").glob("*.yaml")))
    events = load(path)
    event = rng.choice(events)
    key, value = rng.choice([("date", f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}"), ("title", "Renamed event"),
                             ("status", rng.choice(["reported", "alleged", "denied"]))])
    event[key] = value
    dump(path, events)


def dossier_removed(root: Path, rng: random.Random) -> None:
    """A dossier goes, with its seed and the events only it reported."""
    path = rng.choice(sidecars(root))
    data = load(path)
    path.unlink()
    (root / "seeds" / data["seed"]).unlink()
    cited = {c["event"] for p in sidecars(root) for c in load(p)["events"]}
    for events in (root / "content/events").glob("*.yaml"):
        dump(events, [e for e in load(events) if e["id"] in cited])


def dossier_added(root: Path, rng: random.Random) -> None:
    """A new seed and its sidecar, naming two entities and citing nothing."""
    names = [e["name"] for e in rng.sample(load(root / "content/entities/all.yaml"), 2)]
    n = rng.randint(1000, 9999)
    text = f"Added report {n}\n\n{names[0]} spoke to {names[1]} about the contracts.\n"
    (root / f"seeds/added-{n}.txt").write_text(text, encoding="utf-8")
    dump(root / f"content/dossiers/added-{n}.yaml", {
        "seed": f"added-{n}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(), "headline": f"Added report {n}",
        "headline_by": "source", "published": "2020-05-05", "published_basis": "synthetic", "events": []})


def entity_described(root: Path, rng: random.Random) -> None:
    """An entity's description changes: every view is made again, and those equal are kept."""
    path = root / "content/entities/all.yaml"
    entities = load(path)
    rng.choice(entities)["description"] = f"Described again, {rng.randint(0, 99)}."
    dump(path, entities)


def headline(root: Path, rng: random.Random) -> None:
    """An editor's own headline in place of the seed's."""
    change(rng.choice(sidecars(root)), lambda data: data.update(headline=f"A new headline {rng.randint(0, 999)}",
                                                                headline_by="editor"))


EDITS = [set_field("published_basis", lambda rng: f"synthetic, edit {rng.randint(0, 999)}"), headline,
         set_field("outlet", lambda rng: rng.choice(["Example Wire", "Other Wire"])),
         set_field("published", lambda rng: f"{rng.randint(2015, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"),
         shorter_quote, cite_another, seed_grows, event_changes, dossier_removed, dossier_added, entity_described]


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """Ninety dossiers among twelve entities: enough events for a timeline in pages, and names shared widely."""
    return synthesise(90, tmp_path / "project", entities=12, seed=3)


@pytest.mark.parametrize("seed", range(4))
def test_the_previews_views_after_random_edits_equal_views_made_from_scratch(synthetic: Path, seed: int) -> None:
    rng, session = random.Random(seed), Session()
    inv = analyse(synthetic, mode=session)
    session.views(inv.project, inv.docs, inv.xref)
    for _ in range(12):
        rng.choice(EDITS)(synthetic, rng)
        inv = analyse(synthetic, mode=session)
        views = session.views(inv.project, inv.docs, inv.xref)
        whole = analyse(synthetic)
        assert inv.xref == whole.xref
        assert views == build_views(whole.project, whole.docs, whole.xref, Prose())


def test_the_previews_site_after_random_edits_equals_a_full_build(synthetic: Path, tmp_path: Path) -> None:
    (synthetic / "site.yaml").write_text((synthetic / "site.yaml").read_text().replace("false", "true"))  # cards too
    rng, session = random.Random(11), Session()
    build_in_memory(synthetic, session)
    for k, edit in enumerate(EDITS):
        edit(synthetic, rng)
        _, files = build_in_memory(synthetic, session)
        build(synthetic, tmp_path / f"full-{k}", search=False)
        assert files == tree(tmp_path / f"full-{k}"), edit


@pytest.mark.parametrize("seed", range(8))
def test_the_counts_of_entities_named_together_are_the_same_by_sets_as_by_pairs(seed: int) -> None:
    """crossref.named_together counts by bit sets when entities are few for their pairs: it must count alike."""
    from threadline.text.crossref import _together_by_pairs, _together_by_sets, named_together

    rng = random.Random(seed)
    entities = [f"e{n}" for n in range(rng.randint(1, 30))]
    named = [sorted(rng.sample(entities, rng.randint(0, len(entities)))) for _ in range(rng.randint(0, 200))]
    by_pairs = _together_by_pairs(named)
    assert _together_by_sets(named, sorted({i for ids in named for i in ids})) == by_pairs == named_together(named)
    assert all(by_pairs[a][b] == sum(a in ids and b in ids for ids in named) for a in by_pairs for b in by_pairs[a])
