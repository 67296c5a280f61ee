"""A synthetic investigation of any size, for benchmarks: deterministic, English-like, fully annotated."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import yaml

from threadline.tools.scaffold import shipped_templates

FIRST = ("Anna Boris Chen Dmitri Elena Farid Grace Hiro Ivan Julia Karim Lena Marco Nadia Omar Petra Quentin Rosa "
         "Sergei Tara Umar Vera Wen Xenia Yusuf Zara").split()
LAST = ("Abbott Baranov Castillo Dunn Ehrlich Fischer Gorev Haddad Ivanova Jansen Kovacs Lindqvist Morozov Novak "
        "Okafor Petrov Quinn Rahimi Sokolov Tanaka Ulyanov Volkov Weber Xu Yilmaz Zhukov").split()
WORDS = ("the report said that officials had met several times to discuss contracts while analysts noted "
         "a growing pattern of contacts between companies and ministries during the year and later").split()
STATUSES = ("reported", "alleged", "denied", "confirmed", "disputed")


def synthesise(n: int, out: Path, entities: int = 500, seed: int = 7) -> Path:
    """Write a complete project with `n` seeds into `out` (replacing it) and return it."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("seeds", "content/dossiers", "content/entities", "content/events", "content/pages"):
        (out / folder).mkdir(parents=True)
    people = _entities(entities)
    _dump(out / "content/entities/all.yaml", people)
    shutil.copytree(shipped_templates(), out / "templates")
    # No preview images: the benchmarks compare page generation with generators that draw none.
    site = "title: Synthetic investigation\nbase_url: https://example.org/synth/\npreview_images: false\n"
    (out / "site.yaml").write_text(site)
    (out / "content/pages/about.md").write_text("# About\n\nA synthetic investigation for benchmarks.\n")
    events: list[dict] = []
    for i in range(n):
        events += _dossier(i, rng, people, out)
        if (i + 1) % 100 == 0 or i == n - 1:  # one events file per hundred seeds, as a desk would split them
            _dump(out / f"content/events/batch-{i // 100:04d}.yaml", events)
            events = []
    return out


def _entities(count: int) -> list[dict]:
    out = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        suffix = "" if i < len(FIRST) * len(LAST) else f" {i}"
        name = f"{first} {last}{suffix}"
        aliases = [f"{first[0]}. {last}{suffix}", f"{last} {first}{suffix}"][: 1 + i % 2]
        out.append({"id": f"e-{i}", "kind": ("person", "organisation", "place")[i % 3], "name": name,
                    "aliases": aliases, "description": f"Synthetic entity number {i}."})
    return out


def _dossier(i: int, rng: random.Random, people: list[dict], out: Path) -> list[dict]:
    paragraphs, citations, events = [], [], []
    for p in range(10):
        sentence = " ".join(rng.choice(WORDS) for _ in range(30)).capitalize()
        names = [rng.choice([e["name"], *e["aliases"]]) for e in rng.sample(people, 2)]
        paragraphs.append(f"{names[0]} told reporters that {sentence}, according to {names[1]}.")
        if p % 2 == 0:
            event_id = f"ev-{i}-{p}"
            events.append(_event(event_id, i, p, rng, people))
            citations.append({"event": event_id, "quote": paragraphs[-1][:60].rstrip()})
    text = f"Synthetic report {i}\n\n" + "\n\n".join(paragraphs) + "\n\nSource link\n"
    (out / f"seeds/s{i:05d}.txt").write_text(text, encoding="utf-8")
    _dump(out / f"content/dossiers/d{i:05d}.yaml", {
        "seed": f"s{i:05d}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "headline": f"Synthetic report {i}", "headline_by": "source", "outlet": "Example Wire",
        "published": f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}", "published_basis": "synthetic",
        "boilerplate": ["Source link"], "events": citations,
    })
    return events


def _event(event_id: str, i: int, p: int, rng: random.Random, people: list[dict]) -> dict:
    year = 2014 + i % 10 - p // 2  # one to five years before the report (published in 2015 + i % 10)
    date = rng.choice([f"{year}", f"{year}-{1 + p:02d}", f"{year}-{1 + p:02d}-{1 + i % 28:02d}",
                       f"{year}-{1 + p:02d}~", f"{year}?", f"{year}/{year + 1}"])
    return {"id": event_id, "date": date, "date_basis": "synthetic", "title": f"Synthetic event {event_id}",
            "status": STATUSES[(i + p) % 5], "entities": [e["id"] for e in rng.sample(people, 2)]}


def _dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
