"""`build.py new seeds/<file>`: draft the annotation of a seed, every guess marked for the editor to confirm.

The draft is a sidecar that cites a stub event for every date expression (quoting the sentence it
stands in), a file of stub events, and a file of stub entities for every name no entity claims.
Each guess carries a TODO marker, and `build` and `check` refuse any TODO left in content (todo.py),
so an unread draft can never be published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from threadline.errors import Problems, Where, relpath
from threadline.inputs.load import MAX_SEED_BYTES, load_entity, read_yaml
from threadline.inputs.reading import decode, read_input
from threadline.inputs.yamlio import where_of
from threadline.text.annotate import AliasIndex, seed_lines
from threadline.tools import guess
from threadline.tools.draft_text import entities_text, events_text, schema_ref, sidecar_text

BOILERPLATE = re.compile(
    r"^(source link|related articles?|advertisement|read more.*|share this.*|sign up.*|subscribe.*|click here.*"
    r"|\d+\s*min(ute)?s?\s+read|.*\bcomments?\b.*\?|leave a comment.*|join the conversation.*|become a .* member.*"
    r"|(?:\S+\s+){0,12}(?:photo|photograph|image|picture)(?: credit)?:\s.{1,120})$",  # a caption's credit
    re.IGNORECASE)
resolve = guess.resolve  # the tests and the draft's comments resolve expressions the same way


class DraftError(Exception):
    """`new` cannot draft: the message says why."""


@dataclass(frozen=True)
class Mention:
    """A date expression, the sentence it stands in (the quote to cite) and the names in that sentence."""

    words: str
    line: int
    sentence: str
    entities: tuple[str, ...]  # ids of known entities and of stubs named in the sentence


@dataclass
class Findings:
    """What the seed suggests, each with the line it was found on."""

    slug: str
    headline: str | None = None
    byline: tuple[str, int] | None = None  # the author's name, line
    outlet: tuple[str, int] | None = None  # the agency or paper a dateline names ('LONDON (Reuters) —'), line
    published: tuple[dt.date, str, int] | None = None  # date, the words, line
    boilerplate: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)  # date tokens that open a line of text
    entities: Counter = field(default_factory=Counter)
    names: dict[str, guess.Name] = field(default_factory=dict)
    stubs: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # id -> (name, aliases)
    dates: list[Mention] = field(default_factory=list)


def slug_for(seed: str) -> str:
    """A valid slug from a seed's file name: lower case, runs of other characters become one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", Path(seed).stem.lower()).strip("-") or "dossier"


def new_sidecar(root: Path, seed_arg: str) -> list[Path]:
    """Write the sidecar (and stub entities and events) for the seed, and say which; DraftError if it cannot or must not."""
    seed = _seed_path(root, seed_arg)
    refused = Problems()
    raw = read_input(seed, root, refused, limit=MAX_SEED_BYTES)  # as the build reads a seed
    text = None if raw is None else decode(raw, Where(relpath(seed, root)), refused)
    if raw is None or text is None:
        raise DraftError("; ".join(str(problem) for problem in refused.items))
    slug = slug_for(seed.name)
    targets = {kind: root / "content" / kind / f"{slug}.yaml" for kind in ("dossiers", "entities", "events")}
    _refuse_existing(root, seed.name, targets)
    found = find(text, slug, known_entities(root))
    files = {"dossiers": sidecar_text(seed.name, hashlib.sha256(raw).hexdigest(), found, schema_ref(root, targets["dossiers"])),
             "entities": entities_text(found, schema_ref(root, targets["entities"], "entities")),
             "events": events_text(found, schema_ref(root, targets["events"], "events"))}
    written = [targets[kind] for kind, content in files.items() if content]
    for kind, content in files.items():
        if content:
            targets[kind].parent.mkdir(parents=True, exist_ok=True)
            targets[kind].write_text(content, encoding="utf-8")
    return written


def _seed_path(root: Path, seed_arg: str) -> Path:
    path = root / "seeds" / Path(seed_arg).name
    if Path(seed_arg).parent.name not in ("", "seeds") or not path.exists():
        if Path(seed_arg).is_file() or (root / seed_arg).is_file():
            raise DraftError(f"{seed_arg}: not in seeds/; copy the file into the project's seeds/ folder and give "
                             f"that name, e.g. seeds/{Path(seed_arg).name}")
        raise DraftError(f"{seed_arg}: no such seed; put the file in seeds/ and give its name, e.g. seeds/report.txt")
    if path.is_dir():
        raise DraftError(f"{seed_arg}: a folder, not a seed; give the name of a text file in seeds/")
    if path.suffix != ".txt":  # as the sidecar's schema asks: the draft would fail `check`
        raise DraftError(f"{seed_arg}: a seed's name ends in .txt; rename it, e.g. seeds/{path.stem}.txt")
    return path


def _refuse_existing(root: Path, seed: str, targets: dict[str, Path]) -> None:
    for kind, target in targets.items():
        if target.exists():
            raise DraftError(f"{target.relative_to(root).as_posix()} already exists; `new` never overwrites "
                             f"{'a sidecar' if kind == 'dossiers' else 'a file'}")
    for sidecar in sorted(p for p in (root / "content" / "dossiers").glob("*.yaml") if p.is_file()):  # never a FIFO
        if re.search(rf"^seed:\s*[\"']?{re.escape(seed)}[\"']?\s*$", sidecar.read_text(encoding="utf-8"), re.MULTILINE):
            raise DraftError(f"{sidecar.relative_to(root).as_posix()} already annotates seeds/{seed}")


def known_entities(root: Path) -> list:
    """The project's entities, read leniently: a broken entity file only means fewer suggestions."""
    entities = []
    for path in sorted((root / "content" / "entities").glob("*.yaml")):
        items = read_yaml(path, root, "entities", Problems()) or []
        entities += [load_entity(item, where_of(items, i, None), Problems()) for i, item in enumerate(items)]
    return entities


def find(text: str, slug: str, entities: list) -> Findings:
    """Headline, stated date, boilerplate, known entities, unclaimed names and date expressions."""
    found = Findings(slug)
    index, known = AliasIndex(entities), {a for e in entities for a in e.spellings}
    lines = [line.strip() for line in seed_lines(text)]
    first = next((line for line in lines if line), "")
    if 3 <= len(first.split()) <= 25 and not first.endswith((".", ":", ";")):
        found.headline = first
    found.byline = next(((m.group(1), n) for n, line in enumerate(lines[:12], 1) if (m := guess.BYLINE.match(line))),
                        None)
    for number, line in enumerate(lines, 1):
        if found.byline and number == found.byline[1]:
            # The author is the sidecar's, not a name of the text; the page shows it above the text,
            # so its line is offered as boilerplate rather than shown twice.
            found.boilerplate.append(line)
            continue
        _scan_line(_without_prefix(line, number, found), number, index, known, found)
    _stub_entities(found, {e.id for e in entities}, text, known)
    for number, line in enumerate(lines, 1):
        _scan_dates(_without_prefix(line, number, found), number, index, found)
    return found


def _without_prefix(line: str, number: int, found: Findings) -> str:
    """The line less a leading date token, which becomes boilerplate by prefix (the site drops it)."""
    match = guess.LEADING_DATE.match(line)
    if not match:
        return line
    if match.group() not in found.prefixes:
        found.prefixes.append(match.group())
        _note_published(match.group(), number, found)
    named = re.search(r"\(([^()]+)\)", match.group())
    if named and found.outlet is None and not guess.stated_date(named[1]):
        found.outlet = (named[1].strip(), number)
    return line[match.end():]


def _scan_line(line: str, number: int, index: AliasIndex, known: set[str], found: Findings) -> None:
    _note_published(line, number, found)
    if BOILERPLATE.match(line) or guess.DATELINE.fullmatch(line):
        found.boilerplate += [line] if line not in found.boilerplate else []
        return
    mentions = index.find(line)
    found.entities.update(entity for _, _, entity in mentions)
    for name in guess.names(line, number, [(s, e) for s, e, _ in mentions], known):
        seen = found.names.setdefault(name.text, name)
        if name.description and not seen.description:  # the first mention that says what it is
            seen = found.names[name.text] = replace(seen, description=name.description)
        if seen.kind == "person" and name.kind == "place":  # 'person' is the guess without a cue; 'in Jakarta' is one
            found.names[name.text] = replace(seen, kind="place")


def _note_published(line: str, number: int, found: Findings) -> None:
    if found.published is None:
        match = guess.STATED.search(line)
        day = guess.stated_date(match.group()) if match else None
        if day:
            found.published = (day, match.group(), number)


def _stub_entities(found: Findings, taken: set[str], text: str, known: set[str]) -> None:
    """An entity stub per unknown name; a lone word that ends a longer stub's name is its alias ('Teixeira')."""
    found.names = _without_article(found.names, text)
    people = [n for n in found.names if " " in n and found.names[n].kind == "person"]  # 'Group' is no one's surname
    owners = {n: next((m for m in people if m.endswith(" " + n)), None) for n in found.names if " " not in n}
    owners |= _surnames(people, text, known | set(found.names))
    owners |= _acronyms(list(found.names), text)
    for name in found.names.values():
        if owners.get(name.text):
            continue
        ident = _unique(guess.slug(name.text) or name.kind, taken)
        found.stubs[ident] = (name.text, [n for n, owner in owners.items() if owner == name.text])


# The last word of a paper's name, whose "The" is part of it ("The Washington Post", "The Economist").
PAPERS = set("""Post Times Journal Telegraph Tribune Herald Gazette Guardian Economist Independent Observer Atlantic
Spectator Globe Mail Chronicle Express Mirror Standard Sun Star Verge Information Wire""".split())


def _without_article(names: dict[str, guess.Name], text: str) -> dict[str, guess.Name]:
    """The names, a sentence's opening "The" taken off ('The European Commission' is the European Commission).

    It stays where it is part of the name: a paper's, a place's ("The Hague"), or one the text writes
    with a capital "The" inside a sentence ("… told The Moscow Times").
    """
    kept: dict[str, guess.Name] = {}
    for name, seen in names.items():
        rest = name.removeprefix("The ")
        part = rest == name or rest.split()[-1] in PAPERS or name in guess.PLACES
        if not part and not re.search(rf"[a-z,]\s+{re.escape(name)}\b", text):
            seen = replace(seen, text=rest)
        kept.setdefault(seen.text, seen)
    return kept


def _acronyms(names: list[str], text: str) -> dict[str, str]:
    """An acronym the text gives in brackets after a name ('the European Commission (EC)') is that name's alias."""
    found = {}
    for acronym in (n for n in names if n.isupper() and " " not in n):
        ends = [m.start() for m in re.finditer(rf" \({re.escape(acronym)}\)", text)]
        long = [n for n in names if n != acronym and any(text.endswith(n, 0, end) for end in ends)]
        if long:
            found[acronym] = max(long, key=len)
    return found


def _surnames(longer: list[str], text: str, taken: set[str]) -> dict[str, str]:
    """A person's last name standing alone in the text ('Hartono said'), even where it opens a sentence.

    Only a last name that one stub alone ends with, and that no entity or other name already is.
    """
    last = Counter(name.rsplit(" ", 1)[1] for name in longer)
    found = {}
    for name in longer:
        word = name.rsplit(" ", 1)[1]
        alone = re.search(rf"(?<![\w’'-])(?<!{re.escape(name[:-len(word)])}){re.escape(word)}(?![\w’'-]| [A-Z])", text)
        if last[word] == 1 and len(word) > 2 and word[0].isupper() and word not in taken and alone:
            found[word] = name
    return found


def _unique(ident: str, taken: set[str]) -> str:
    n, candidate = 1, ident
    while candidate in taken:
        n += 1
        candidate = f"{ident}-{n}"
    taken.add(candidate)
    return candidate


def _scan_dates(line: str, number: int, index: AliasIndex, found: Findings) -> None:
    """A stub event per date expression in the article's own lines (not the headline, dateline or clutter)."""
    if not line or line == found.headline or line in found.boilerplate or (found.published and number == found.published[2]
                                                                          and len(line) < len(found.published[1]) + 12):
        return
    sentences = guess.sentences(line)
    for words in guess.date_expressions(line):
        if found.published and (number, words) == (found.published[2], found.published[1]):
            continue  # the report's own date, in its dateline: not an event
        sentence = guess.sentence_around(line, line.find(words), sentences)
        stubs = [(i, sentence.find(n), len(n)) for i, (n, _) in found.stubs.items() if n in sentence]
        # A stub named here only by one of its aliases ('the EC') is named too, as a whole word.
        stubs += [(i, -1, 0) for i, (n, aliases) in found.stubs.items() if n not in sentence
                  and any(re.search(rf"\b{re.escape(a)}\b", sentence) for a in aliases)]
        # A known name inside a stub's name ('Washington' in 'The Washington Post') is not named here.
        known = [e for s, end, e in index.find(sentence) if not any(at <= s and end <= at + size for _, at, size in stubs)]
        named = known + [i for i, _, _ in stubs]
        found.dates.append(Mention(words, number, sentence, tuple(dict.fromkeys(named))))
