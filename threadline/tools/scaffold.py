"""`build.py init DIR`: a new, empty investigation that builds at once, with one example of each file."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from threadline import PACKAGE
from threadline.errors import Problems, Where
from threadline.inputs.model import Project
from threadline.inputs.schema import SCHEMA_DIR
from threadline.inputs.yamlio import load_yaml, where_of

SEED_NAME = "example.txt"
SEED = """\
Harbour authority approves new ferry terminal

The harbour authority approved a new ferry terminal on Tuesday, its chair, Ana Ruiz, said.

Source link

Work will start in March, Ruiz said.
"""

SITE = """\
{schema}title: A new investigation
description: One sentence on what this investigation is about.
language: en
base_url: https://example.github.io/new-investigation/
publisher: Your newsroom
license: CC BY 4.0
date_style: day-month-year
"""

ENTITIES = """\
{schema}- id: ana-ruiz
  kind: person
  name: Ana Ruiz
  aliases: [Ruiz]
  description: Chair of the harbour authority.
- id: harbour-authority
  kind: organisation
  name: harbour authority
  description: The body that runs the port.
"""

EVENTS = """\
{schema}- id: ferry-terminal-approved
  date: 2025-03-04
  date_basis: '"On Tuesday" in a report published on Tuesday 4 March 2025.'
  title: The harbour authority approves a ferry terminal
  status: reported
  entities: [harbour-authority, ana-ruiz]
"""

SIDECAR = """\
{schema}seed: {seed}
sha256: {digest}
headline: Harbour authority approves new ferry terminal
headline_by: source
outlet: null
outlet_basis: An example written for this template.
author: null
author_basis: An example; no byline.
published: 2025-03-04
published_basis: An example date.
boilerplate: [Source link]
notes: []
quotes: []
events:
  - event: ferry-terminal-approved
    quote: The harbour authority approved a new ferry terminal on Tuesday
"""

ABOUT = """\
# About this investigation

Who we are, what we looked at, and how we annotated it.
"""


# The settings `init` fills with examples; language, licence and date style are real defaults.
PLACEHOLDERS = ("title", "description", "base_url", "publisher")


def warn_placeholders(project: Project, problems: Problems) -> None:
    """The examples `init` wrote, still in site.yaml or the About page: nobody should publish them."""
    examples = load_yaml(SITE.format(schema=""), "", Problems())
    path = project.root / "site.yaml"
    written = load_yaml(path.read_text(encoding="utf-8"), "site.yaml", Problems()) if path.is_file() else None
    for key in PLACEHOLDERS:
        if getattr(project.site, key) == examples[key]:
            problems.warn(where_of(written, key, Where("site.yaml", 1, 1)),
                          f"{key} is still the example that `init` wrote: {examples[key]!r}",
                          "replace it with this investigation's own")
    for page in project.pages.values():
        if f"# {page.title}\n{page.body}" == ABOUT:
            problems.warn(Where(page.source, 1, 1), "this page is still the example that `init` wrote",
                          "say who made the investigation, what it looked at and how")


class ScaffoldError(Exception):
    """`init` cannot start an investigation here: the message says why."""


def shipped_templates() -> Path:
    """The generator's own templates, beside the package."""
    return PACKAGE.parent / "templates"


def init_project(target: Path) -> None:
    """Create the investigation in `target`, which must be missing or empty."""
    templates = shipped_templates()
    if not (templates / "base.html").is_file():
        raise ScaffoldError(f"the generator's templates are missing (looked in {templates.name}/ beside the package)")
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder; give a new or empty folder")
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty; give a new or empty folder")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(templates, target / "templates")
    shutil.copytree(SCHEMA_DIR, target / "schemas", ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in files().items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def schema_line(depth: int, name: str) -> str:
    """The `# yaml-language-server` comment for a YAML file `depth` folders below the project."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{name}.schema.json\n"


def files() -> dict[str, str]:
    """Every text file of the new investigation (templates and schemas are copied separately)."""
    digest = hashlib.sha256(SEED.encode("utf-8")).hexdigest()
    return {
        "site.yaml": SITE.format(schema=schema_line(0, "site")),
        f"seeds/{SEED_NAME}": SEED,
        "content/entities/entities.yaml": ENTITIES.format(schema=schema_line(2, "entities")),
        "content/events/events.yaml": EVENTS.format(schema=schema_line(2, "events")),
        "content/dossiers/example-report.yaml": SIDECAR.format(schema=schema_line(2, "dossier"), seed=SEED_NAME, digest=digest),
        "content/pages/about.md": ABOUT,
        ".gitignore": "public/\n.public.*/\n.threadline-cache/\n",
    }
