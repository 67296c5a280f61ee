"""Annotate each seed: split it into blocks, find every mention and every cited passage."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from threadline.errors import Problems, Where, short
from threadline.inputs.hints import closest_hint, whole_line_hint
from threadline.inputs.model import Citation, Dossier, Entity

_WORD = re.compile(r"\w+")
# Outer to inner when two spans cover the same text: links must be innermost.
NESTING = {"note": 0, "sic": 0, "evidence": 1, "speech": 2, "mention": 3}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # mention | evidence | speech | note | sic
    target: str  # entity id, event id, speaker id or note number
    anchor: str  # the element id readers can link to

    @property
    def order(self) -> tuple:
        return (self.start, -self.end, NESTING[self.kind])


@dataclass
class Block:
    kind: str  # title | heading | para
    text: str
    line: int
    spans: list[Span] = field(default_factory=list)


@dataclass
class Annotated:
    """A dossier with its text as blocks and every span located."""

    dossier: Dossier
    blocks: list[Block]
    index: str = ""  # the key of the alias index the spans were found with (AliasIndex.key)

    def spans(self, kind: str):
        """(block, span) for every span of `kind`, in reading order."""
        for block in self.blocks:
            for span in block.spans:
                if span.kind == kind:
                    yield block, span


class AliasIndex:
    """Every alias of every entity, keyed by its first word, longest first.

    Scanning a text once word by word and looking each word up here costs the same
    whatever the number of aliases, where one regex or one scan per alias would not.
    """

    def __init__(self, entities: list[Entity]):
        self.by_first_word: dict[str, list[tuple[str, str]]] = {}
        for entity in entities:
            for alias in entity.spellings:
                first = _WORD.match(alias)
                if first:
                    self.by_first_word.setdefault(first.group(), []).append((alias, entity.id))
        for candidates in self.by_first_word.values():
            candidates.sort(key=lambda pair: (-len(pair[0]), pair[0]))
        # What annotations made with this index depend on, to know when a kept one is still good:
        # a digest, since a session looks it up once per dossier and a tuple is hashed anew each time.
        pairs = sorted((alias, ident) for candidates in self.by_first_word.values() for alias, ident in candidates)
        self.key = hashlib.blake2b(repr(pairs).encode("utf-8")).hexdigest()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of every whole-word mention; the longest alias wins."""
        found, resume = [], 0
        for word in _WORD.finditer(text):
            start = word.start()
            if start < resume or word.group() not in self.by_first_word:
                continue
            match = self._longest_at(text, start, word.group())
            if match:
                found.append(match)
                resume = match[1]
        return found

    def _longest_at(self, text: str, start: int, first: str) -> tuple[int, int, str] | None:
        for alias, entity_id in self.by_first_word[first]:
            end = start + len(alias)
            # Whole words only: "Ma" must not match inside "Mars"; "Musk's" still links "Musk".
            if text.startswith(alias, start) and not (end < len(text) and _is_word(text[end]) and _is_word(alias[-1])):
                return start, end, entity_id
        return None


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def annotate(dossier: Dossier, index: AliasIndex, problems: Problems) -> Annotated:
    """Blocks of the dossier with mentions, evidence, speech and note spans located."""
    blocks = split_blocks(dossier, problems)
    for block in blocks:
        block.spans = [Span(s, e, "mention", entity, "") for s, e, entity in index.find(block.text)]
    _locate_all(dossier, blocks, problems)
    _number_anchors(blocks)
    return Annotated(dossier, blocks, index.key)


def split_blocks(dossier: Dossier, problems: Problems) -> list[Block]:
    """The seed's lines less boilerplate: the headline line, subheadings and paragraphs."""
    lines = [line.strip() for line in seed_lines(dossier.text)]
    dropped = _drop_boilerplate(dossier, lines, problems)
    headings = _whole_lines(dossier, lines, dossier.subheadings, "subheading", problems, dropped)
    title_line = -1
    if dossier.headline_by == "source":
        found = _whole_lines(dossier, lines, [(dossier.headline, dossier.headline_where)], "headline", problems)
        title_line = min(found, default=-1)
    blocks = []
    for number, line in enumerate(lines):
        if line and number not in dropped:
            kind = "title" if number == title_line else "heading" if number in headings else "para"
            blocks.append(Block(kind, line, number + 1))
    return blocks


def seed_lines(text: str) -> list[str]:
    """The seed's lines, split at line feeds only (a CRLF's CR is left for strip() to remove).

    str.splitlines() also splits at U+2028, U+0085, form feeds and more: a seed's line numbers,
    its `#line-N` anchors, must be those of an editor's text editor, which does not.
    """
    return text.split("\n")


def _drop_boilerplate(dossier: Dossier, lines: list[str], problems: Problems) -> set[int]:
    """Blank the listed boilerplate in `lines`; return the numbers of lines dropped whole."""
    dropped = set()
    for item in dossier.boilerplate:
        hits = [i for i, line in enumerate(lines) if (line.startswith(item.text) if item.prefix else line == item.text)]
        if not hits:
            what = "no line of the seed starts with" if item.prefix else "no line of the seed is"
            hint = closest_hint(item.text, lines) if item.prefix else whole_line_hint(item.text, lines)
            problems.add(item.where, f"boilerplate: {what} {item.text!r}", hint)
        for i in hits:
            if item.prefix:
                lines[i] = lines[i][len(item.text):].strip()
            else:
                dropped.add(i)
    return dropped


def _whole_lines(dossier: Dossier, lines: list[str], wanted, what: str, problems: Problems,
                 not_in: frozenset[int] | set[int] = frozenset()) -> set[int]:
    """The numbers of the lines that are the `wanted` texts; a problem for one that is no line, or only lines `not_in`."""
    found = set()
    for text, where in wanted:
        hits = [i for i, line in enumerate(lines) if line == text]
        if not hits:
            problems.add(where, f"{what} {text!r} is not a whole line of seed {dossier.seed!r}", whole_line_hint(text, lines))
        elif all(i in not_in for i in hits):
            problems.add(where, f"{what} {text!r} is also listed as boilerplate, so the page leaves it out",
                         "keep it in one of the two lists")
        found.update(hits)
    return found


def _locate_all(dossier: Dossier, blocks: list[Block], problems: Problems) -> None:
    wanted = [("evidence", c.event, anchor, c.quote, c.where) for c, anchor in evidence_anchors(dossier)]
    wanted += [("speech", q.speaker, f"q-{n}", q.text, q.where) for n, q in enumerate(dossier.quotes, 1)]
    wanted += [("note", str(n), f"note-ref-{n}", note.passage, note.where) for n, note in enumerate(dossier.notes, 1)]
    wanted += [("sic", str(n), f"sic-{n}", sic.passage, sic.where) for n, sic in enumerate(dossier.sics, 1)]
    for kind, target, anchor, text, where in wanted:
        if not _locate(blocks, Span(0, 0, kind, target, anchor), text.strip()):
            what = "passage" if kind in ("note", "sic") else "quote"
            problems.add(where, f"{what} not found in seed {dossier.seed!r}: {short(text)!r}",
                         _left_out(text, dossier, {b.line for b in blocks})
                         or closest_hint(text, [b.text for b in blocks], [b.line for b in blocks]))
        elif kind == "evidence":
            _warn_if_ambiguous(dossier, blocks, text.strip(), where, problems)


def _warn_if_ambiguous(dossier: Dossier, blocks: list[Block], text: str, where: Where, problems: Problems) -> None:
    """A warning when the evidence quote is in the text more than once: the page marks the first, maybe not the one meant."""
    lines = [b.line for b in blocks if b.kind != "title" for _ in range(b.text.count(text))]
    if len(lines) > 1:
        at = ", ".join(str(n) for n in dict.fromkeys(lines))
        problems.warn(where, f"quote {short(text)!r} is in seed {dossier.seed!r} {len(lines)} times (lines {at}); "
                             "the page marks the first as the evidence", "quote enough words to name one passage")


def _left_out(text: str, dossier: Dossier, shown: set[int]) -> str:
    """Where `text` is in a line of the seed the page leaves out (listed as boilerplate), if it is."""
    wanted = text.strip()
    for number, line in enumerate(seed_lines(dossier.text), 1):
        if wanted and number not in shown and wanted in line:
            return f"it is on line {number}, which the sidecar lists as boilerplate: the page does not show it"
    return ""


def evidence_anchors(dossier: Dossier) -> list[tuple[Citation, str]]:
    """Each citation with its anchor: ev-<event>, then ev-<event>-2 … when cited again."""
    seen: dict[str, int] = {}
    out = []
    for citation in dossier.citations:
        seen[citation.event] = seen.get(citation.event, 0) + 1
        n = seen[citation.event]
        out.append((citation, f"ev-{citation.event}" if n == 1 else f"ev-{citation.event}-{n}"))
    return out


def _locate(blocks: list[Block], template: Span, text: str) -> bool:
    # The body is where evidence lives: a phrase the headline repeats is anchored in the text.
    for block in sorted(blocks, key=lambda b: b.kind == "title"):
        start = block.text.find(text) if text else -1
        if start >= 0:
            block.spans.append(Span(start, start + len(text), template.kind, template.target, template.anchor))
            return True
    return False


def _number_anchors(blocks: list[Block]) -> None:
    """Sort spans in reading order and number the mentions m-1, m-2 … through the dossier."""
    count = 0
    for block in blocks:
        block.spans.sort(key=lambda s: s.order)
        for i, span in enumerate(block.spans):
            if span.kind == "mention":
                count += 1
                block.spans[i] = Span(span.start, span.end, span.kind, span.target, f"m-{count}")
