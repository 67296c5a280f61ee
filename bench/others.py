"""The same articles as plain Markdown pages, built by Hugo, Pelican and MkDocs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .common import WORK, Sample, fresh, rel, run_measured, say, set_aside

VENV = WORK / "venv"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
SITE_TITLE = "Synthetic investigation"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    date: str  # YYYY-MM-DD
    body: str  # Markdown: the seed's paragraphs, less headline and boilerplate


@dataclass(frozen=True)
class Tool:
    name: str
    write: Callable[[list[Article], Path], None]
    command: Callable[[Path], list[str]]
    output: str  # the output folder, inside the tool's project


# ---- the articles ------------------------------------------------------------------------------

def read_articles(project: Path) -> list[Article]:
    """Every dossier of a synthesised project as a titled, dated Markdown article."""
    return [_article(path, project) for path in sorted((project / "content" / "dossiers").glob("*.yaml"))]


def _article(sidecar: Path, project: Path) -> Article:
    data = yaml.load(sidecar.read_text(encoding="utf-8"), Loader=_Loader)
    seed = (project / "seeds" / data["seed"]).read_text(encoding="utf-8")
    drop = {data["headline"], *(b for b in data.get("boilerplate", []) if isinstance(b, str))}
    body = "\n".join(line for line in seed.splitlines() if line.strip() not in drop).strip()
    date = str(data.get("published", ""))
    return Article(sidecar.stem, data["headline"], date if len(date) == 10 else "2000-01-01", body + "\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---- Hugo ----------------------------------------------------------------------------------------

HUGO_CONFIG = f"""baseURL = "https://example.org/synth/"
title = "{SITE_TITLE}"
languageCode = "en"
disableKinds = ["taxonomy", "term"]
"""
HUGO_SINGLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><p><time>{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></main></body></html>
"""


def write_hugo(articles: list[Article], root: Path) -> None:
    _write(root / "hugo.toml", HUGO_CONFIG)
    _write(root / "layouts" / "_default" / "single.html", HUGO_SINGLE)
    _write(root / "layouts" / "_default" / "list.html", HUGO_LIST)
    for a in articles:
        front = f"---\ntitle: {json.dumps(a.title)}\ndate: {a.date}\n---\n\n"
        _write(root / "content" / "articles" / f"{a.slug}.md", front + a.body)


def hugo_command(root: Path) -> list[str]:
    return ["hugo", "--source", str(root), "--destination", str(root / "public"), "--quiet"]


# ---- Pelican -------------------------------------------------------------------------------------

PELICAN_CONFIG = f"""AUTHOR = "Benchmark"
SITENAME = "{SITE_TITLE}"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
# No cache, so every run is a full build; the built-in theme, so nothing is downloaded.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DEFAULT_PAGINATION = False
"""


def write_pelican(articles: list[Article], root: Path) -> None:
    _write(root / "pelicanconf.py", PELICAN_CONFIG)
    for a in articles:
        _write(root / "content" / f"{a.slug}.md", f"Title: {a.title}\nDate: {a.date}\nSlug: {a.slug}\n\n{a.body}")


def pelican_command(root: Path) -> list[str]:
    return [str(VENV / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]


# ---- MkDocs --------------------------------------------------------------------------------------

MKDOCS_CONFIG = f"""site_name: {SITE_TITLE}
site_url: https://example.org/synth/
docs_dir: docs
site_dir: site
theme:
  name: mkdocs
# The built-in search plugin is off: none of the others index for search either.
plugins: []
# Only the home page is in the navigation: a nav of every page, rendered into every page,
# would make MkDocs quadratic and measure the theme rather than the generator.
nav:
  - Home: index.md
"""


def write_mkdocs(articles: list[Article], root: Path) -> None:
    _write(root / "mkdocs.yml", MKDOCS_CONFIG)
    _write(root / "docs" / "index.md", f"# {SITE_TITLE}\n\nThe articles, as plain pages.\n")
    for a in articles:
        _write(root / "docs" / "articles" / f"{a.slug}.md", f"# {a.title}\n\n{a.body}")


def mkdocs_command(root: Path) -> list[str]:
    return [str(VENV / "bin" / "mkdocs"), "build", "--quiet", "--clean", "-f", "mkdocs.yml"]


# ---- the Python floor: Python-Markdown and a tiny Jinja2 template per article (bench/floor.py) -----

FLOOR = "python-floor"


def write_floor(articles: list[Article], root: Path) -> None:
    for a in articles:
        _write(root / "content" / f"{a.slug}.md", f"# {a.title}\n\n{a.body}")


def floor_command(root: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve().parent / "floor.py"), "content", "public"]


TOOLS = (
    Tool("hugo", write_hugo, hugo_command, "public"),
    Tool("pelican", write_pelican, pelican_command, "output"),
    Tool("mkdocs", write_mkdocs, mkdocs_command, "site"),
    Tool(FLOOR, write_floor, floor_command, "public"),
)


# ---- setting up and running ----------------------------------------------------------------------

def ensure_hugo() -> bool:
    """Debian's hugo: installed with apt-get when missing and we are root; False (with a message) otherwise."""
    if shutil.which("hugo"):
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say("  hugo is not installed and cannot be installed here (needs root and apt-get): skipping Hugo")
        return False
    say("  installing Debian's hugo with apt-get")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.run(["apt-get", "install", "-y", "hugo"], check=False, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "hugo"], check=False, **quiet)
    if not shutil.which("hugo"):
        say("  apt-get could not install hugo: skipping Hugo")
    return bool(shutil.which("hugo"))


def ensure_venv() -> bool:
    """.bench/venv with the pinned Pelican and MkDocs; reinstalled only when bench/requirements.txt changes."""
    stamp = VENV / ".installed"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == wanted:
        return True
    say(f"  creating {rel(VENV)} with {', '.join(_pins())}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    log = WORK / "logs" / "pip.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as sink:
        status = subprocess.run([*pip, "-r", str(REQUIREMENTS)], stdout=sink, stderr=subprocess.STDOUT, check=False)
    if status.returncode != 0:
        say(f"  could not install Pelican and MkDocs (see {rel(log)}): skipping them")
        return False
    stamp.write_text(wanted)
    return True


def _pins() -> list[str]:
    lines = REQUIREMENTS.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def available_tools() -> list[Tool]:
    has = {"hugo": ensure_hugo(), FLOOR: True}  # the floor runs on this environment's packages
    has_venv = ensure_venv()
    return [t for t in TOOLS if has.get(t.name, has_venv)]


def prepare(tool: Tool, articles: list[Article], root: Path) -> None:
    """Write the tool's project: its configuration and one Markdown page per article."""
    tool.write(articles, fresh(root))


def build_once(tool: Tool, root: Path, logs: Path, k: int) -> Sample:
    """Time one build from an empty output folder."""
    set_aside(root / tool.output)
    sample = run_measured(tool.command(root), root, logs / f"{tool.name}-{k}.log", root / tool.output)
    say(f"  {tool.name} run {k + 1}: {sample.wall:.2f} s, {sample.pages} pages, peak {sample.peak_mib:.0f} MiB")
    return sample


def versions(tools: list[Tool]) -> dict[str, str]:
    commands = {"hugo": ["hugo", "version"], "pelican": [str(VENV / "bin" / "pelican"), "--version"],
                "mkdocs": [str(VENV / "bin" / "mkdocs"), "--version"]}
    found = {t.name: _first_line(commands[t.name]) for t in tools if t.name in commands}
    if any(t.name == FLOOR for t in tools):
        found[FLOOR] = "bench/floor.py with this environment's markdown and jinja2"
    return found


def _first_line(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    line = (result.stdout or result.stderr).strip().splitlines()[0] if (result.stdout or result.stderr) else "?"
    return line.split(" from ")[0]  # mkdocs names its install folder; keep the version only
