"""Turn an annotated dossier into HTML and into Markdown, from one walk over its spans."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import yaml

from threadline.inputs.model import Dossier, Entity, Event, Sic
from threadline.site.urls import url
from threadline.text.annotate import Annotated, Block, Span
from threadline.text.escaping import escape, escape_text
from threadline.text.prose import safe_url

if TYPE_CHECKING:
    from threadline.site.views import EntityRef, EventView

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: ten times faster
Step = tuple[str, object, bool]  # ("open" | "close" | "text", span or text, first piece?)


def walk(block: Block) -> Iterator[Step]:
    """Open and close tags so that overlapping spans nest properly, reopening where they cross."""
    text, spans = block.text, block.spans
    if _disjoint(spans):
        return _walk_disjoint(text, spans)
    return _walk_nested(text, spans)


def _disjoint(spans: list[Span]) -> bool:
    """True when no span touches another (most blocks: names only), so nothing nests."""
    return all(a.end <= b.start for a, b in pairwise(spans))


def _walk_disjoint(text: str, spans: list[Span]) -> Iterator[Step]:
    """The walk when spans follow one another (they are sorted by start): text, open, text, close."""
    at = 0
    for span in spans:
        if span.start > at:
            yield "text", text[at:span.start], at == 0
        yield "open", span, True
        yield "text", text[span.start:span.end], span.start == 0
        yield "close", span, True
        at = span.end
    if at < len(text):
        yield "text", text[at:], at == 0


def _walk_nested(text: str, spans: list[Span]) -> Iterator[Step]:
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    stack: list[Span] = []
    opened: set[str] = set()
    for a, b in pairwise(cuts):
        active = [s for s in spans if s.start <= a and s.end >= b]
        keep = _common_prefix(stack, active)
        for span in reversed(stack[keep:]):
            yield "close", span, span.end <= a
        stack = stack[:keep]
        for span in active[keep:]:
            yield "open", span, span.anchor not in opened
            opened.add(span.anchor)
            stack.append(span)
        yield "text", text[a:b], a == 0
    for span in reversed(stack):
        yield "close", span, True


def _common_prefix(stack: list[Span], active: list[Span]) -> int:
    n = 0
    while n < len(stack) and n < len(active) and stack[n] is active[n]:
        n += 1
    return n


class Links:
    """Where mentions and evidence point, relative to the page being written.

    `entities` need a `kind` (an Entity, or the EntityRef of a view); `events` a `status` and a `title`.
    """

    def __init__(self, root: str, entities: dict[str, Entity | EntityRef], events: dict[str, Event | EventView],
                 event_urls: dict[str, str] | None = None, sics: tuple[Sic, ...] = ()):
        self.root, self.entities, self.events, self.sics = root, entities, events, sics
        self.event_urls = event_urls or {}  # where the timeline is split, the page of each event

    def entity(self, entity_id: str) -> str:
        return self.root + url("entity", kind=self.entities[entity_id].kind, id=entity_id)

    def event(self, event_id: str) -> str:
        return self.root + self.event_urls.get(event_id, f"{url('timeline')}#{event_id}")


# --- HTML -----------------------------------------------------------------------------------

class Reading:
    """How the HTML text links names: a visible link at a name's first mention in a section, a quiet
    one after it, and only the first mention in the whole text a tab stop (the rest take a click).

    A keyboard reader then crosses a dossier in one stop per name, not one per mention.
    The headline's names (`quiet`) are all quiet: the body links them.
    """

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.section: set[str] = set()
        self.linked: set[str] = set()
        self.kept: dict[str, str] = {}  # anchor -> attributes, for a mention reopened across a crossing span

    def new_section(self) -> None:
        self.section = set()

    def attributes(self, span: Span) -> str:
        if span.anchor not in self.kept:
            shown = not self.quiet and span.target not in self.section
            stop = not self.quiet and span.target not in self.linked
            self.section.add(span.target)
            if stop:
                self.linked.add(span.target)
            classes = 'class="mention"' if shown else 'class="mention quiet"'
            self.kept[span.anchor] = classes + ("" if stop else ' tabindex="-1"')
        return self.kept[span.anchor]


def _written(block: Block, links: Links, text: Callable, opening: Callable, closing: Callable) -> str:
    """The block in one output language: `text`, `opening` and `closing` write each step of the walk."""
    out = []
    for step, item, flag in walk(block):
        if step == "text":
            out.append(text(item, flag))
        elif step == "open":
            out.append(opening(item, flag, links))
        else:
            out.append(closing(item, flag, links))
    return "".join(out)


def html_block(block: Block, links: Links, reading: Reading | None = None) -> str:
    """One block as HTML; the caller wraps it in its element."""
    reading = reading or Reading()
    return _written(block, links, lambda text, _: escape_text(text),
                    lambda span, first, links: _html_open(span, first, links, reading), _html_close)


def _html_open(span: Span, first: bool, links: Links, reading: Reading) -> str:
    ident = f' id="{span.anchor}"' if first and span.kind != "note" else ""
    if span.kind == "mention":
        return f'<a {reading.attributes(span)}{ident} href="{escape(links.entity(span.target))}">'
    if span.kind == "evidence":
        status = links.events[span.target].status
        return f'<mark class="evidence {status}"{ident} data-event="{span.target}">'
    if span.kind == "speech":
        said = escape(f"Said by {links.entities[span.target].name}")
        return f'<span class="speech"{ident} data-speaker="{span.target}" title="{said}">'
    if span.kind == "sic":
        return f'<span class="sic"{ident}>'
    return '<span class="noted">'


def _html_close(span: Span, last: bool, links: Links) -> str:
    tag = {"mention": "</a>", "evidence": "</mark>"}.get(span.kind, "</span>")
    if last and span.kind == "note":
        n = span.target
        marker = f'<a id="{span.anchor}" href="#note-{n}" role="doc-noteref" aria-label="Editor’s note {n}">{n}</a>'
        return f'{tag}<sup class="fn">{marker}</sup>'
    if last and span.kind == "evidence":
        return tag + claim_label(links.events[span.target], links.event(span.target))
    if last and span.kind == "sic":
        return tag + sic_mark(links.sics[int(span.target) - 1].means if links.sics else "")
    return tag


def sic_mark(means: str) -> str:
    """[sic] after the source's own error, which stays as written; what it means, when the editors say so."""
    said = f", for “{escape_text(means)}”" if means else ""
    return f'<span class="sic-mark" data-not-seed>[sic<span class="visually-hidden">: so in the source{said}</span>]</span>'


def claim_label(event: Event, href: str) -> str:
    """The claim's status as a word after its passage, linked to the event on the timeline."""
    status = escape(event.status)
    return (f'<a class="ev-link claim claim-{status}" href="{escape(href)}" data-not-seed>'
            f'<span class="visually-hidden">Evidence that {escape_text(event.title)}: </span><b>{status}</b>'
            '<span class="visually-hidden"> (on the timeline)</span></a>')


def article_html(doc: Annotated, links: Links, notes: Sequence[str] = ()) -> str:
    """The dossier's body (everything but the headline line) as HTML, each note after its paragraph.

    `notes` are the editors' notes as HTML, in order; the stylesheet sets them in the margin
    beside their paragraph on a wide screen, below it on a narrow one. The headline's notes
    (the headline is written in the page's header) open the body.
    """
    parts, reading = [], Reading()
    for block in doc.blocks:
        if block.kind == "heading":
            reading.new_section()
            parts.append(f'<h2 id="line-{block.line}">{html_block(block, links, reading)}</h2>')
        elif block.kind == "para":
            parts.append(f'<p id="line-{block.line}">{html_block(block, links, reading)}</p>')
        parts += [_sidenote(int(span.target), notes) for span in block.spans
                  if span.kind == "note" and int(span.target) <= len(notes)]
    return "\n".join(parts)


def _sidenote(n: int, notes: Sequence[str]) -> str:
    return (f'<aside class="sidenote" id="note-{n}" role="doc-footnote" data-not-seed>'
            f'<span class="sidenote-n">{n}</span> <span class="label">Editor’s note</span> {notes[n - 1]}</aside>')


def title_html(doc: Annotated, links: Links) -> str | None:
    """The headline line of the seed, annotated (its names quiet); None when the editors wrote the headline."""
    for block in doc.blocks:
        if block.kind == "title":
            return html_block(block, links, Reading(quiet=True))
    return None


# --- Markdown -------------------------------------------------------------------------------

# "!" too: text ending in "!" before a name's link would make "![name](url)", an image.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]#!])")
_MD_LINE_START = re.compile(r"^(\s*)([>+\-=~|]|\d+[.)])")
# Markers that Python-Markdown and CommonMark both unescape with a backslash; the rest
# become numeric character references, which every Markdown renderer decodes.
_BACKSLASHED = ">+-.)"


def md_escape(text: str, line_start: bool) -> str:
    """Text that Markdown renders as exactly itself, never as markup or HTML."""
    text = _MD_ANYWHERE.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    if line_start:
        text = _MD_LINE_START.sub(lambda m: m[1] + _escape_marker(m[2]), text, count=1)
    return text


def _escape_marker(marker: str) -> str:
    """Escape a line-start marker: "1." keeps its digit and escapes its dot; "|" becomes a reference."""
    last = marker[-1]
    escaped = "\\" + last if last in _BACKSLASHED else f"&#{ord(last)};"
    return marker[:-1] + escaped


def md_block(block: Block, links: Links) -> str:
    """One block as Markdown: names as links, evidence and speech as inline HTML spans."""
    return _written(block, links, md_escape, _md_open, _md_close)


def _md_open(span: Span, first: bool, links: Links) -> str:
    if span.kind == "sic":  # the Markdown dossier is the seed's text: no marks of ours in it
        return ""
    if span.kind == "mention":
        return "["
    if span.kind == "evidence":
        ident = f' id="{span.anchor}"' if first else ""
        return f'<mark class="evidence"{ident} data-event="{span.target}">'
    if span.kind == "speech":
        ident = f' id="{span.anchor}"' if first else ""
        return f'<span class="speech"{ident} data-speaker="{span.target}">'
    return ""


def _md_close(span: Span, last: bool, links: Links) -> str:
    if span.kind == "mention":
        return f"]({links.entity(span.target)})"
    if span.kind == "evidence":
        return "</mark>"
    if span.kind == "speech":
        return "</span>"
    if span.kind == "sic":
        return ""
    return f"[^{span.target}]" if last else ""


def front_matter(d: Dossier) -> dict:
    """The dossier's metadata, as the Markdown dossier's front matter and in dossiers.json."""
    return {
        "title": d.headline, "headline_by": d.headline_by, "outlet": d.outlet, "outlet_basis": d.outlet_basis,
        "author": d.author, "author_basis": d.author_basis, "published": d.published.edtf,
        "published_basis": d.published_basis, "seed": d.seed, "sha256": d.sha256,
    }


def dossier_markdown(doc: Annotated, links: Links) -> str:
    """The downloadable Markdown dossier: front matter, headline, verbatim text, notes."""
    d = doc.dossier
    meta = yaml.dump(front_matter(doc.dossier), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).rstrip()
    out = ["---", meta, "---", ""]
    title = next((b for b in doc.blocks if b.kind == "title"), None)
    out += [f"# {md_block(title, links) if title else md_escape(d.headline, False)}", ""]
    for block in doc.blocks:
        if block.kind != "title":  # the title is the `#` line above
            out += [("## " if block.kind == "heading" else "") + md_block(block, links), ""]
    for n, note in enumerate(d.notes, 1):
        out += [f"[^{n}]: " + md_prose(note.text.strip()).replace("\n", "\n    "), ""]
    return "\n".join(out)


# Where a link's target starts in Markdown: after `](` (links, images) or `]:` (reference definitions).
_TARGET = re.compile(r"\]([(:])(\s*)([^\s)]*)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation stands for it


def md_prose(text: str) -> str:
    """An editor's Markdown for a Markdown file: no raw HTML, and links only as the HTML allows them.

    A link to javascript:, data: or anything else the HTML drops (prose.safe_url) loses its
    link: its `](` or `]:` is escaped, so renderers show the text instead. The target is read
    as renderers read it, backslash escapes and character references decoded.
    """
    def neutralise(match: re.Match) -> str:
        target = html.unescape(_ESCAPED.sub(r"\1", match[3]))
        return match[0] if safe_url(target) else f"]\\{match[1]}{match[2]}{match[3]}"

    return _TARGET.sub(neutralise, text).replace("<", "&lt;")
