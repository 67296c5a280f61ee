"""Shared fixtures: scratch investigations written from dedented text, and the fixture investigation built once."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from threadline.pipeline import build

# Tests write nothing into the working copy: no example database, Hypothesis' own caches in the
# system's temporary folder.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "threadline-hypothesis")
settings.register_profile("threadline", database=None)
settings.load_profile("threadline")

REPO = Path(__file__).resolve().parent.parent
# The investigation the generator's tests build (with the repository's templates: see fixture_project):
# never the live one in seeds/ and content/, so editors add, change and remove articles without touching tests/.
FIXTURE = REPO / "tests" / "fixture"
# What a build keeps beside its output besides the output: the site it replaced (or the tree a failed
# build wrote), for the next build to rewrite in place.
KEPT = [".public.previous"]

SEED = """\
Musk meets Putin in Moscow

Elon Musk met Vladimir Putin in Moscow on Friday, the Kremlin said.

Source link

Mr Musk’s visit followed talks in February, when Putin asked Musk about Mars.
"""

ENTITIES = """\
- id: elon-musk
  kind: person
  name: Elon Musk
  aliases: [Musk, Mr Musk]
  description: Chief executive of Tesla.
- id: vladimir-putin
  kind: person
  name: Vladimir Putin
  aliases: [Putin]
  description: President of Russia.
- id: moscow
  kind: place
  name: Moscow
  description: Capital of Russia.
- id: kremlin
  kind: organisation
  name: Kremlin
  description: The Russian presidency.
"""

EVENTS = """\
- id: musk-meets-putin
  date: 2024-03-01
  date_basis: '"On Friday" in a report of Friday 1 March 2024.'
  title: Musk meets Putin in Moscow
  status: alleged
  entities: [elon-musk, vladimir-putin, moscow]
- id: february-talks
  date: 2024-02
  date_basis: '"In February".'
  title: Talks in February
  status: reported
  entities: [elon-musk, vladimir-putin]
"""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` and its bytes, by relative path: what a build wrote."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sidecar(seed_name: str, seed_text: str, extra: str = "") -> str:
    """A valid sidecar for the scratch seed, with `extra` YAML appended."""
    digest = hashlib.sha256(seed_text.encode("utf-8")).hexdigest()
    return textwrap.dedent(f"""\
        seed: {seed_name}
        sha256: {digest}
        headline: Musk meets Putin in Moscow
        headline_by: source
        outlet: Example News
        outlet_basis: Stated in the masthead.
        author: null
        author_basis: No byline.
        published: 2024-03-01
        published_basis: Dateline.
        boilerplate: [Source link]
        notes:
          - passage: the Kremlin said
            text: The Kremlin has not published a readout.
        quotes: []
        events:
          - event: musk-meets-putin
            quote: Elon Musk met Vladimir Putin in Moscow on Friday
          - event: february-talks
            quote: talks in February
        """) + textwrap.dedent(extra)


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a scratch investigation: templates from this repository, then `files` (dedented)."""
    shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def fixture_project(root: Path) -> Path:
    """A copy of tests/fixture with this repository's templates: a project folder to build."""
    shutil.copytree(FIXTURE, root)
    return write_project(root, {})


def scratch_files(**overrides: str | bytes | None) -> dict[str, str | bytes]:
    """The files of a small valid investigation; an override of None removes a file."""
    files: dict[str, str | bytes | None] = {
        "site.yaml": "title: Scratch\nbase_url: https://example.github.io/scratch/\n",
        "seeds/a.txt": SEED,
        "content/entities/all.yaml": ENTITIES,
        "content/events/all.yaml": EVENTS,
        "content/dossiers/example-report.yaml": sidecar("a.txt", SEED),
        "content/pages/about.md": "# About\n\nA scratch investigation.\n",
    }
    files.update(overrides)
    return {k: v for k, v in files.items() if v is not None}


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A small valid investigation in a temporary folder."""
    return write_project(tmp_path / "project", scratch_files())


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture investigation (tests/fixture), built once into a temporary folder."""
    tmp = tmp_path_factory.mktemp("fixture")
    out = tmp / "public"
    build(fixture_project(tmp / "project"), out)
    return out


def search_records(site: Path) -> dict[str, dict]:
    """What the search bundle holds (all its parts), by URL: each fragment is gzipped JSON after a signature."""
    records = {}
    bundle = site / "pagefind"
    for fragment in (f for part in [bundle, *bundle.glob("part-*")] for f in (part / "fragment").iterdir()):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        records[record["url"].removesuffix(".html") + "/"] = record  # as the search page links it
    return records
