"""The site's non-page files: Markdown dossiers, JSON data, sitemap, Atom feed, static assets."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from stat import S_ISREG

from threadline.errors import BuildError, Problem, Problems, Where, reason, relpath
from threadline.inputs.model import Project, Site
from threadline.inputs.reading import readable_folder
from threadline.site.urls import absolute, save_as, url, url_of
from threadline.site.views import DossierRef, Views
from threadline.text.emit import front_matter
from threadline.text.escaping import xml_text as xml_escape
from threadline.text.jsontext import json_line


def json_rows(rows: list[dict]) -> bytes:
    """A JSON list, one record a line: readable, diffable, and written by the C encoder (indent= is pure Python)."""
    text = "[\n" + ",\n".join(json_line(row) for row in rows) + "\n]\n"
    return text.encode("utf-8")


def events_json(project: Project, views: Views) -> bytes:
    """data/events.json: every event in date order, with its sources."""
    return json_rows(_events(views))


def entities_json(project: Project, views: Views) -> bytes:
    """data/entities.json: every entity by id, with the dossiers that name it."""
    return json_rows(_entities(project, views))


def dossiers_json(project: Project, views: Views) -> bytes:
    """data/dossiers.json: every dossier by slug, with its metadata."""
    return json_rows(_dossiers(project))


def _events(views: Views) -> list[dict]:
    return [{
        "id": e.id, "date": e.edtf, "display_date": e.date, "title": e.title, "status": e.status,
        "entities": [r.id for r in e.entities], "date_basis": e.date_basis,
        "sources": [{"dossier": s.dossier.slug, "quote": s.quote, "url": s.url} for s in e.sources],
    } for e in views.events]


def _entities(project: Project, views: Views) -> list[dict]:
    return [{
        "id": e.id, "kind": e.kind, "name": e.name, "aliases": list(e.aliases), "description": e.description,
        "wikidata": e.wikidata, "url": views.entities[e.id].ref.url,
        "dossiers": {g.dossier.slug: len(g.mentions) for g in views.entities[e.id].groups},
    } for e in sorted(project.entities.values(), key=lambda e: e.id)]


def _dossiers(project: Project) -> list[dict]:
    return [front_matter(d) | {"slug": d.slug, "url": url("dossier", slug=d.slug),
                                "markdown": url("dossier_md", slug=d.slug)}
            for d in sorted(project.dossiers.values(), key=lambda d: d.slug)]


def sitemap_xml(base_url: str, listed: list[str]) -> bytes:
    """The sitemap of the pages saved at these paths."""
    urls = sorted(absolute(base_url, url_of(path)) for path in listed)
    body = "".join(f"<url><loc>{xml_escape(u)}</loc></url>\n" for u in urls)
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n'
    return text.encode("utf-8")


def feed_xml(site: Site, links: Iterable[DossierRef]) -> bytes:
    """An Atom feed of the dossiers (their links), newest first; dates come from the data, never the clock."""
    base = site.base_url
    dossiers = sorted(links, key=lambda link: (link.published_iso, link.slug), reverse=True)
    updated = max((link.published_iso for link in dossiers), default="1970-01-01")
    entries = "".join(
        f"<entry><title>{xml_escape(v.headline)}</title><id>{xml_escape(absolute(base, v.url))}</id>"
        f'<link href="{xml_escape(absolute(base, v.url))}"/><updated>{v.published_iso}T00:00:00Z</updated>'
        f"<summary>{xml_escape(v.outlet or '')} {xml_escape(v.published)}</summary></entry>\n"
        for v in dossiers)
    text = (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<title>{xml_escape(site.title)}</title><id>{xml_escape(base)}</id>"
            f'<link href="{xml_escape(base)}"/><link rel="self" href="{xml_escape(absolute(base, "feed.xml"))}"/>'
            f"<updated>{updated}T00:00:00Z</updated><author><name>{xml_escape(site.publisher or site.title)}</name></author>\n"
            f"{entries}</feed>\n")
    return text.encode("utf-8")


def refuse_links_out(root: Path, folder: Path) -> None:
    """BuildError naming every symbolic link under `folder` (or `folder` itself) that leads out of the project.

    A template or a static file is read and published: a link to /etc/passwd must not be.
    Links that stay inside the project are followed.
    """
    inside, problems = root.resolve(), []
    entries = [folder] if _leads_out(folder, inside) else [folder, *sorted(folder.rglob("*"))]
    for path in entries:
        if path.is_symlink() and _leads_out(path, inside):
            what = "folder" if path.is_dir() else "file"
            problems.append(Problem(relpath(path, root), 0, 0,
                                    f"a symbolic link to a {what} outside the project is not allowed"))
    if problems:
        raise BuildError(problems)


def _leads_out(path: Path, inside: Path) -> bool:
    try:
        return not path.resolve().is_relative_to(inside)
    except (OSError, RuntimeError):  # a loop of links leads nowhere the build may go
        return True


def static_files(templates: Path) -> list[tuple[str, bytes, str]]:
    """Everything in templates/static/, copied as it is under assets/, as (path, bytes, what it is).

    A file that cannot be read is an error.
    """
    static = templates / "static"
    outputs, unreadable = [], Problems()
    found = sorted(static.rglob("*"))
    for folder in [static, *(p for p in found if p.is_dir())]:  # rglob takes one it cannot list for an empty one
        readable_folder(folder, Where(f"templates/{folder.relative_to(templates).as_posix()}"), unreadable)
    problems = list(unreadable.items)
    for path in (p for p in found if not p.is_dir()):
        name = path.relative_to(static).as_posix()
        try:
            if not S_ISREG(path.stat().st_mode):  # a pipe is never opened: reading it could wait for ever
                raise OSError(0, "not a regular file (a pipe, socket or device?)")
            outputs.append((save_as("asset", name=name), path.read_bytes(), f"static file {name}"))
        except OSError as exc:
            problems.append(Problem(f"templates/static/{name}", 0, 0, f"cannot copy the static file: {reason(exc)}"))
    if problems:
        raise BuildError(problems)
    return [*outputs, (save_as("nojekyll"), b"", "GitHub Pages marker")]
