"""Every output path and URL of the site, from one table of patterns.

Links inside the site are relative (`../people/elon-musk/`), so the same output works at a
domain root and under a GitHub Pages subpath; only canonical URLs, feeds and the sitemap use
`base_url`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from threadline.inputs.model import KINDS

# What each kind of page is saved as, relative to the output folder.
SAVE_AS = {
    "home": "index.html",
    "dossiers": "dossiers/index.html",
    "dossier": "dossiers/{slug}/index.html",
    "dossier_md": "dossiers/{slug}.md",
    "kind_index": "{plural}/index.html",
    "entity": "{plural}/{id}/index.html",
    "timeline": "timeline/index.html",
    "timeline_part": "timeline/{part}/index.html",
    "search": "search/index.html",
    "page": "{slug}/index.html",
    "not_found": "404.html",
    "data": "data/index.html",
    "download": "data/{name}",
    "asset": "assets/{name}",
    "search_bundle": "pagefind/pagefind.js",
    "card": "og/{page}.png",
    "sitemap": "sitemap.xml",
    "feed": "feed.xml",
    "nojekyll": ".nojekyll",
}


def save_as(pattern: str, /, **parts: str) -> str:
    """The output path of a page, e.g. save_as("entity", kind="person", id="elon-musk")."""
    if "kind" in parts:
        parts["plural"] = KINDS[parts.pop("kind")]
    return SAVE_AS[pattern].format(**parts)


def url_of(path: str) -> str:
    """The URL of an output path, relative to the site root: index.html files by their folder."""
    if path == "index.html":
        return ""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def url(pattern: str, /, **parts: str) -> str:
    """The URL of a page relative to the site root, e.g. "people/elon-musk/"."""
    return url_of(save_as(pattern, **parts))


def root_prefix(path: str) -> str:
    """The relative prefix from the page saved at `path` back to the site root."""
    return "../" * path.count("/")


def base_path(base_url: str) -> str:
    """The path part of base_url, e.g. "/musk-dossier/": the absolute prefix for the 404 page."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def absolute(base_url: str, site_url: str) -> str:
    return base_url.rstrip("/") + "/" + site_url
