"""Editor-written Markdown (descriptions, notes, pages), rendered without trusting it as HTML."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

_SAFE_URL = re.compile(r"^(https?:|mailto:|#|\.{0,2}/|[a-z0-9._~-]+(/|$|#))", re.IGNORECASE)


def safe_url(url: str) -> bool:
    """Whether a link may point there: the web, mail, or the site itself; never javascript:, data: and the like."""
    return bool(_SAFE_URL.match(url.strip()))


class _DropUnsafeLinks(Treeprocessor):
    """Links and images whose URL could run script (javascript:, data:, …) lose their URL."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is not None and not safe_url(value):
                    del element.attrib[attr]


class NoRawHtml(Extension):
    """Raw HTML in the source is shown as text, never passed through."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the library's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
        md.treeprocessors.register(_DropUnsafeLinks(md), "drop_unsafe_links", 0)


class Prose:
    """One reusable Markdown converter (building one costs more than converting a paragraph).

    Conversions are kept by text: a session's rebuild converts only prose that changed.
    """

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=[NoRawHtml(), "smarty", "tables"], output_format="html")
        self._done: dict[str, Markup] = {}

    def html(self, text: str) -> Markup:
        if text not in self._done:
            self._md.reset()
            self._done[text] = Markup(self._md.convert(text or ""))
        return self._done[text]

    def inline(self, text: str) -> Markup:
        """One paragraph of prose without its <p> wrapper, for use inside a sentence."""
        html = str(self.html(text))
        return Markup(html[3:-4] if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1 else html)
