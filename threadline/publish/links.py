"""Crawl a built site and report every internal link or #anchor that does not resolve."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that point at a file the browser fetches: data-bundle is the search index the search
# page imports from script, so a broken index path is caught like a broken link.
LINKING = ("href", "src", "data-bundle")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in LINKING and value is not None:
                self.links.append(value)


@dataclass
class Crawl:
    """What a crawl of a built site saw: pages, internal links, links to #anchors, and what is broken."""

    base_url: str
    pages: int = 0
    links: int = 0
    anchors: int = 0
    broken: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"crawled {self.pages} pages, {self.links} internal links, {self.anchors} of them to #anchors, "
                f"served at {self.base_url}: {len(self.broken)} broken")


def crawl(out: Path, base_url: str = "https://example.org/") -> list[str]:
    """Every broken internal link in `out` as `page: link (reason)`, for the site served at base_url."""
    return crawl_site(out, base_url).broken


def crawl_site(out: Path, base_url: str = "https://example.org/") -> Crawl:
    """Follow every internal link and #anchor of the site in `out` as if served at base_url."""
    base = urlsplit(base_url).path or "/"
    pages = {path.relative_to(out).as_posix(): _parse(path) for path in sorted(out.rglob("*.html"))}
    seen = Crawl(base_url, pages=len(pages))
    for rel, page in pages.items():
        page_url = urljoin(base_url, _url_of(rel))
        for link in page.links:
            reason = _check(link, page_url, base, base_url, out, pages)
            if reason is not None:
                seen.links += 1
                seen.anchors += bool(urlsplit(link).fragment)
            if reason:
                seen.broken.append(f"{rel}: {link} ({reason})")
    return seen


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _url_of(rel: str) -> str:
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def _check(link: str, page_url: str, base: str, base_url: str, out: Path, pages: dict[str, _Page]) -> str | None:
    """Why an internal link is broken, '' when it is not, None when it is not internal."""
    target = urlsplit(urljoin(page_url, link))
    if target.scheme not in ("http", "https") or target.netloc != urlsplit(base_url).netloc:
        return None  # mailto:, other sites: not ours to check
    path = unquote(target.path)
    if not path.startswith(base):
        return f"outside the site root {base}"
    rel = posixpath.normpath(path[len(base):]) if path != base else "."
    rel = "" if rel == "." else rel
    file = out / rel
    if file.is_dir() or path.endswith("/"):
        rel = posixpath.join(rel, "index.html") if rel else "index.html"
        file = out / rel
    if not file.is_file():
        return "no such file"
    if target.fragment and rel in pages and unquote(target.fragment) not in pages[rel].ids:
        return f"no element with id {target.fragment!r}"
    return ""
