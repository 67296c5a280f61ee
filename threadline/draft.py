"""`build.py new seeds/<file>`: draft a sidecar for a seed, every guess marked for the editor to confirm.

The draft deliberately fails `build.py check` (its first key is an unknown field telling the
editor to confirm and delete it), so an unread draft can never be published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .annotate import AliasIndex, seed_lines
from .check import _NAME
from .errors import Problems
from .load import load_entity, read_yaml
from .schema import SCHEMA_DIR
from .yamlio import where_of

CONFIRM_KEY = "TODO_confirm_every_guess_below_then_delete_this_line"
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH = "|".join(MONTHS)
STATED_DATES = [  # (pattern, groups → (year, month, day))
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTH}),? (\d{{4}})\b"), lambda m: (int(m[3]), MONTHS.index(m[2]) + 1, int(m[1]))),
    (re.compile(rf"\b({_MONTH}) (\d{{1,2}}),? (\d{{4}})\b"), lambda m: (int(m[3]), MONTHS.index(m[1]) + 1, int(m[2]))),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
]
BOILERPLATE = re.compile(
    r"^(source link|related articles?|advertisement|read more.*|share this.*|sign up.*|subscribe.*|click here.*"
    r"|\d+\s*min(ute)?s?\s+read|.*\bcomments?\b.*\?|leave a comment.*|join the conversation.*|become a .* member.*)$",
    re.IGNORECASE)
RELATIVE = re.compile(
    rf"\b(?:(?:the )?(?:end|start|beginning) of last year|last year|this year|earlier this year|last month|yesterday"
    rf"|on (?:{'|'.join(WEEKDAYS)})|in (?:{_MONTH})(?: \d{{4}})?|in \d{{4}})\b", re.IGNORECASE)


class DraftError(Exception):
    """`new` cannot draft: the message says why."""


@dataclass
class Findings:
    """What the seed suggests, each with the line it was found on."""

    headline: str | None = None
    published: tuple[dt.date, str, int] | None = None  # date, the words, line
    boilerplate: list[str] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    names: dict[str, int] = field(default_factory=dict)
    dates: list[tuple[str, int]] = field(default_factory=list)


def slug_for(seed: str) -> str:
    """A valid slug from a seed's file name: lower case, runs of other characters become one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", Path(seed).stem.lower()).strip("-") or "dossier"


def new_sidecar(root: Path, seed_arg: str) -> Path:
    """Write content/dossiers/<slug>.yaml for the seed; DraftError if it cannot or must not."""
    seed = _seed_path(root, seed_arg)
    raw = seed.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise DraftError(f"seeds/{seed.name}: not UTF-8 (byte {exc.start}); convert it to UTF-8 first") from exc
    target = root / "content" / "dossiers" / f"{slug_for(seed.name)}.yaml"
    _refuse_existing(root, seed.name, target)
    findings = find(text, AliasIndex(known_entities(root)))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(seed.name, hashlib.sha256(raw).hexdigest(), findings, schema_ref(root, target)), encoding="utf-8")
    return target


def _seed_path(root: Path, seed_arg: str) -> Path:
    path = root / "seeds" / Path(seed_arg).name
    if Path(seed_arg).parent.name not in ("", "seeds") or not path.is_file():
        raise DraftError(f"{seed_arg}: no such seed; put the file in seeds/ and give its name, e.g. seeds/report.txt")
    return path


def _refuse_existing(root: Path, seed: str, target: Path) -> None:
    if target.exists():
        raise DraftError(f"{target.relative_to(root).as_posix()} already exists; `new` never overwrites a sidecar")
    for sidecar in sorted((root / "content" / "dossiers").glob("*.yaml")):
        if re.search(rf"^seed:\s*[\"']?{re.escape(seed)}[\"']?\s*$", sidecar.read_text(encoding="utf-8"), re.MULTILINE):
            raise DraftError(f"{sidecar.relative_to(root).as_posix()} already annotates seeds/{seed}")


def known_entities(root: Path) -> list:
    """The project's entities, read leniently: a broken entity file only means fewer suggestions."""
    entities = []
    for path in sorted((root / "content" / "entities").glob("*.yaml")):
        items = read_yaml(path, root, "entities", Problems()) or []
        entities += [load_entity(item, where_of(items, i, None), Problems()) for i, item in enumerate(items)]
    return entities


def find(text: str, index: AliasIndex) -> Findings:
    """Headline, stated date, boilerplate, known entities, unclaimed names and date expressions."""
    found = Findings()
    lines = seed_lines(text)
    first = next((line.strip() for line in lines if line.strip()), "")
    if 3 <= len(first.split()) <= 25 and not first.endswith((".", ":", ";")):
        found.headline = first
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        _scan_line(line, number, index, found)
    return found


def _scan_line(line: str, number: int, index: AliasIndex, found: Findings) -> None:
    if BOILERPLATE.match(line) and line not in found.boilerplate:
        found.boilerplate.append(line)
    mentions = index.find(line)
    found.entities.update(entity for _, _, entity in mentions)
    for match in _NAME.finditer(line):
        claimed = any(s < match.end() and e > match.start() for s, e, _ in mentions)
        if not claimed and match.group() not in found.names and match.group().split()[0] not in WEEKDAYS + MONTHS:
            found.names[match.group()] = number
    for match in RELATIVE.finditer(line):
        found.dates.append((match.group(), number))
    if found.published is None:
        for pattern, parts in STATED_DATES:
            match = pattern.search(line)
            if match:
                try:
                    found.published = (dt.date(*parts(match)), match.group(), number)
                except ValueError:
                    continue
                break


def resolve(expression: str, published: dt.date) -> str:
    """An EDTF guess for a relative date expression in a report published on `published`."""
    words, year = expression.lower().removeprefix("the "), published.year
    if words.startswith(("end of last year",)):
        return f"{year - 1}-36"  # October–December
    if words.startswith(("start of last year", "beginning of last year")):
        return f"{year - 1}-33"
    if words == "last year":
        return str(year - 1)
    if words in ("this year", "earlier this year"):
        return str(year)
    if words == "yesterday":
        return (published - dt.timedelta(days=1)).isoformat()
    if words == "last month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return f"{first.year}-{first.month:02d}"
    return _resolve_named(expression, published)


def _resolve_named(expression: str, published: dt.date) -> str:
    name = expression.split()[1].capitalize()
    if name in WEEKDAYS:  # the latest such day on or before publication
        back = (published.weekday() - WEEKDAYS.index(name)) % 7
        return (published - dt.timedelta(days=back)).isoformat()
    if name.isdigit():
        return name
    month = MONTHS.index(name) + 1
    stated = expression.split()[2:]
    year = int(stated[0]) if stated else published.year if month <= published.month else published.year - 1
    return f"{year}-{month:02d}"


def schema_ref(root: Path, target: Path, name: str = "dossier") -> str:
    """The schema comment for a YAML file: the project's own copy of the schema if it has one."""
    local, shipped = root / "schemas" / f"{name}.schema.json", SCHEMA_DIR / f"{name}.schema.json"
    schema = local if local.is_file() else shipped if shipped.resolve().is_relative_to(root.resolve()) else None
    if schema is None:  # a path out of the project would name this machine's folders
        return ""
    return f"# yaml-language-server: $schema={Path(os.path.relpath(schema, target.parent)).as_posix()}\n"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render(seed: str, digest: str, found: Findings, schema_line: str) -> str:
    """The draft's YAML text, with every guess commented for the editor."""
    out = [schema_line, "# Drafted by `build.py new`. Check every line against the seed, then delete the next line.\n",
           f"{CONFIRM_KEY}: true\n", f"seed: {q(seed)}\n", f"sha256: {digest}\n"]
    out += _headline(found) + _published(found)
    out += ["outlet: null  # TODO confirm: which outlet published it?\n",
            "outlet_basis: \"TODO: how we know (masthead, URL, dateline), or why it cannot be known\"\n",
            "author: null  # TODO confirm\n", "author_basis: \"TODO: the byline, or why there is none\"\n"]
    out += ["boilerplate:  # TODO confirm: lines that are not the article\n" if found.boilerplate else "boilerplate: []\n"]
    out += [f"  - {q(line)}\n" for line in found.boilerplate]
    out += ["notes: []\nquotes: []\nevents: []  # cite each event this seed reports, with a verbatim quote\n"]
    out += _unlinked(found) + _entities(found) + _dates(found)
    return "".join(out)


def _headline(found: Findings) -> list[str]:
    if found.headline:
        return [f"headline: {q(found.headline)}  # TODO confirm: the seed's first line\n", "headline_by: source\n"]
    return ["headline: \"TODO: write a headline\"\n", "headline_by: editor\n"]


def _published(found: Findings) -> list[str]:
    if not found.published:
        return ["published: TODO  # an EDTF date, e.g. 2024-10-25 or 2024-10\n",
                "published_basis: \"TODO: how the publication date is known\"\n"]
    day, words, line = found.published
    return [f"published: {day.isoformat()}  # TODO confirm\n",
            f"published_basis: {q(f'TODO confirm: {words!r} on line {line} of the seed.')}\n"]


def _unlinked(found: Findings) -> list[str]:
    if not found.names:
        return []
    lines = ["# Capitalised names no entity claims. Add each to an entity (content/entities/), or, if it is\n",
             "# deliberately not an entity, uncomment it here:\n", "# unlinked:\n"]
    return lines + [f"#   - {q(name)}  # line {line}\n" for name, line in found.names.items()]


def _entities(found: Findings) -> list[str]:
    if not found.entities:
        return ["# No known entity occurs in this seed.\n"]
    return ["# Known entities found (linked automatically; times mentioned):\n"] + [
        f"#   {entity}: {count}\n" for entity, count in sorted(found.entities.items())]


def _dates(found: Findings) -> list[str]:
    if not found.dates:
        return []
    published = found.published[0] if found.published else None
    lines = ["# Date expressions, resolved against the publication date: TODO confirm each before using it\n",
             "# as an event's date (with the expression as its date_basis):\n"]
    for words, line in found.dates:
        guess = resolve(words, published) if published else "(needs the publication date)"
        lines.append(f"#   line {line}: {q(words)} → {guess}\n")
    return lines
