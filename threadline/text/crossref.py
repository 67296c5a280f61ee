"""What links to what: mentions per entity, sources per event, entities named together."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from threadline.inputs.model import Project
from threadline.text.annotate import Annotated, Block, Span, evidence_anchors

KWIC_WIDTH = 70


@dataclass(frozen=True)
class Mention:
    """One mention of an entity, with the words around it (keyword in context)."""

    slug: str
    anchor: str
    before: str
    text: str
    after: str


@dataclass(frozen=True)
class Source:
    """One dossier's evidence for an event."""

    slug: str
    anchor: str
    quote: str


@dataclass
class CrossRef:
    mentions: dict[str, dict[str, list[Mention]]] = field(default_factory=lambda: defaultdict(dict))
    sources: dict[str, list[Source]] = field(default_factory=lambda: defaultdict(list))
    named_in: dict[str, list[str]] = field(default_factory=dict)  # dossier slug -> entity ids
    together: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def dossier_count(self, entity_id: str) -> int:
        return len(self.mentions.get(entity_id, {}))

    def mention_count(self, entity_id: str) -> int:
        return sum(len(m) for m in self.mentions.get(entity_id, {}).values())


def cross_reference(project: Project, docs: dict[str, Annotated]) -> CrossRef:
    """Index every mention and citation; linear in the number of mentions."""
    xref = CrossRef()
    for slug, doc in docs.items():
        for block, span in doc.spans("mention"):
            xref.mentions[span.target].setdefault(slug, []).append(_kwic(slug, block, span))
        xref.named_in[slug] = sorted({span.target for _, span in doc.spans("mention")})
        for citation, anchor in evidence_anchors(doc.dossier):
            xref.sources[citation.event].append(Source(slug, anchor, citation.quote))
    pairs = Counter(pair for ids in xref.named_in.values() for pair in combinations(ids, 2))
    for (a, b), n in pairs.items():  # each pair counted once, then given to both
        xref.together[a][b] = n
        xref.together[b][a] = n
    return xref


def _kwic(slug: str, block: Block, span: Span) -> Mention:
    text = block.text
    before = text[max(0, span.start - KWIC_WIDTH): span.start]
    after = text[span.end: span.end + KWIC_WIDTH]
    # Cut at word boundaries so snippets do not start or end mid-word.
    if span.start > KWIC_WIDTH and " " in before:
        before = "…" + before[before.index(" ") + 1:]
    if span.end + KWIC_WIDTH < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return Mention(slug, span.anchor, before, text[span.start: span.end], after)
