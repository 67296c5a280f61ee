"""Read text and links back out of HTML, the way a reader sees them (for the verbatim tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

_SKIP = {"sup", "script", "style"}  # footnote markers are ours, not the source's
# What the site adds inside the source's text (notes, the status after each evidence passage, [sic])
# carries data-not-seed, the mark the workbench goes by to take a selection's text as the seed's.
_NOT_SEED = "data-not-seed"


class _Reader(HTMLParser):
    def __init__(self, page_url: str, root_id: str | None, root_tags: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url, self.root_id, self.root_tags = page_url, root_id, root_tags
        self.depth = 0  # >0 while inside the part of the page we read
        self.skip_at = 0  # the depth of the element being skipped, 0 when none
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
        elif (self.root_id is not None and attrs.get("id") == self.root_id) or tag in self.root_tags:
            self.depth = 1
        if not self.depth:
            return
        ours = _NOT_SEED in attrs or "footnote" in (attrs.get("class") or "")
        if not self.skip_at and (tag in _SKIP or ours):
            self.skip_at = self.depth
        elif tag in ("p", "h1", "h2", "h3", "li", "br"):
            self.text.append("\n")
        if tag == "a" and not self.skip_at and attrs.get("href") and "ev-link" not in (attrs.get("class") or ""):
            self._href, self._link_text = urljoin(self.page_url, attrs["href"]), []

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "a" and self._href:
            self.links.append(("".join(self._link_text), self._href))
            self._href = None
        if self.skip_at == self.depth:
            self.skip_at = 0
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip_at:
            self.text.append(data)
            if self._href:
                self._link_text.append(data)


def read(html: str, page_url: str = "https://x.test/", root_id: str | None = None, root_tags=("body",)) -> _Reader:
    reader = _Reader(page_url, root_id, set(root_tags))
    reader.feed(html)
    return reader


def words(text: str) -> str:
    """Whitespace normalised: what 'the same text' means for the verbatim tests."""
    return re.sub(r"\s+", " ", text).strip()
