"""The YAML text of a draft (`build.py new`): the sidecar, its stub events and stub entities, each guess marked TODO."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from threadline.inputs.schema import SCHEMA_DIR
from threadline.inputs.todo import CONFIRM_KEY
from threadline.tools.suggest import NO_BYLINE, day_words, title

if TYPE_CHECKING:  # draft imports this module
    from threadline.tools.draft import Findings, Mention


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def schema_ref(root: Path, target: Path, name: str = "dossier") -> str:
    """The schema comment for a YAML file: the project's own copy of the schema if it has one."""
    local, shipped = root / "schemas" / f"{name}.schema.json", SCHEMA_DIR / f"{name}.schema.json"
    schema = local if local.is_file() else shipped if shipped.resolve().is_relative_to(root.resolve()) else None
    if schema is None:  # a path out of the project would name this machine's folders
        return ""
    return f"# yaml-language-server: $schema={Path(os.path.relpath(schema, target.parent)).as_posix()}\n"


def event_id(found: Findings, n: int) -> str:
    return f"{found.slug}-event-{n}"


DRAFTED_EVENT_ID = re.compile(r"[a-z0-9-]+-event-[0-9]+")  # what event_id makes: a stub no editor has named


# The draft's notes to its editor, in comments: the first line, and the openings of the closing block.
DRAFTED = "# Drafted by `build.py new`. Check every line against the seed, then delete the next line.\n"
CLOSING_NOTES = ("# Names no entity claimed have stubs in ", "# No known entity occurs in this seed.",
                 "# Known entities found (linked automatically")


def without_draft_notes(text: str) -> str:
    """A sidecar without the notes `new` wrote to its editor, once the draft is confirmed: they would mislead."""
    lines = [line for line in text.splitlines(keepends=True) if line != DRAFTED]
    for n, line in enumerate(lines):
        if line.startswith(CLOSING_NOTES) and all(rest.startswith("#") or not rest.strip() for rest in lines[n:]):
            return "".join(lines[:n])
    return "".join(lines)


def sidecar_text(seed: str, digest: str, found: Findings, schema_line: str) -> str:
    """The sidecar, citing each stub event with the sentence its date expression stands in."""
    out = [schema_line, DRAFTED,
           f"{CONFIRM_KEY}: true\n", f"seed: {q(seed)}\n", f"sha256: {digest}\n"]
    out += _headline(found) + _published(found)
    out += [*_outlet(found), *_author(found)]
    out += [*_boilerplate(found), "notes: []\nquotes: []\n", *_citations(found)]
    return "".join(out + _unlinked(found) + _entities(found))


def _outlet(found: Findings) -> list[str]:
    if found.outlet:
        name, line = found.outlet
        return [f"outlet: {q(name)}  # TODO confirm: named in the dateline\n",
                f"outlet_basis: {q(f'TODO confirm: The dateline, on line {line}.')}\n"]
    return ["outlet: null  # TODO confirm: which outlet published it?\n",
            "outlet_basis: \"TODO: how we know (masthead, URL, dateline), or why it cannot be known\"\n"]


def _author(found: Findings) -> list[str]:
    if found.byline:
        name, line = found.byline
        return [f"author: {q(name)}  # TODO confirm\n", f"author_basis: {q(f'TODO confirm: The byline, on line {line}.')}\n"]
    return ["author: null  # TODO confirm: no byline was found\n", f"author_basis: {q(f'TODO confirm: {NO_BYLINE}')}\n"]


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
            f"published_basis: {q(f'TODO confirm: {words.strip()!r} on line {line} of the seed.')}\n"]


def _boilerplate(found: Findings) -> list[str]:
    if not found.boilerplate and not found.prefixes:
        return ["boilerplate: []\n"]
    return (["boilerplate:  # TODO confirm: lines that are not the article, and date tokens before its text\n"]
            + [f"  - {q(line)}\n" for line in found.boilerplate] + [f"  - prefix: {q(p)}\n" for p in found.prefixes])


def _citations(found: Findings) -> list[str]:
    if not found.dates:
        return ["events: []  # cite each event this seed reports, with a verbatim quote\n"]
    lines = [f"events:  # TODO confirm: the stub events of content/events/{found.slug}.yaml, each cited with the sentence "
             "its date comes from\n"]
    for n, mention in enumerate(found.dates, 1):
        lines += [f"  - event: {event_id(found, n)}\n", f"    quote: {q(mention.sentence)}\n"]
    return lines


def _unlinked(found: Findings) -> list[str]:
    if not found.stubs:
        return []
    return [f"{CLOSING_NOTES[0]}content/entities/{found.slug}.yaml. If one is not a person,\n",
            "# organisation, place or product, delete its stub and list the name here instead:\n", "# unlinked:\n",
            *(f"#   - {q(name)}\n" for name, _ in found.stubs.values())]


def _entities(found: Findings) -> list[str]:
    if not found.entities:
        return [f"{CLOSING_NOTES[1]}\n"]
    return [f"{CLOSING_NOTES[2]}; times mentioned):\n"] + [
        f"#   {entity}: {count}\n" for entity, count in sorted(found.entities.items())]


def entities_text(found: Findings, schema_line: str) -> str:
    """A stub entity for every name no entity claims; '' when there is none."""
    if not found.stubs:
        return ""
    out = [schema_line, "# Stub entities drafted by `build.py new` for names no entity claims. For each, confirm its\n",
           "# kind (guessed) and name, describe it from the sources, add its other spellings as aliases.\n"]
    for ident, (name, aliases) in found.stubs.items():
        kind = found.names[name].kind
        out += [f"- id: {ident}  # TODO confirm\n", f"  kind: {kind}  # TODO confirm: person, organisation, place or product\n",
                f"  name: {q(name)}  # line {found.names[name].line}\n"]
        out += [f"  aliases: [{', '.join(q(a) for a in aliases)}]\n"] if aliases else []
        said = found.names[name].description
        out += [f"  description: {q(f'TODO confirm: {said}')}\n" if said else
                "  description: \"TODO: who or what this is, from what the sources say\"\n"]
    return "".join(out)


def events_text(found: Findings, schema_line: str) -> str:
    """A stub event for every date expression of the seed; '' when there is none."""
    if not found.dates:
        return ""
    out = [schema_line, "# Stub events drafted by `build.py new`, one per date expression of the seed. For each, confirm\n",
           "# the date and its basis, write the title, set the status and entities; delete one the article does not\n",
           f"# report, with its citation in content/dossiers/{found.slug}.yaml.\n"]
    for n, mention in enumerate(found.dates, 1):
        out += _event(found, n, mention)
    return "".join(out)


def stub_date(words: str, line: int, published: dt.date | None) -> tuple[str | None, str]:
    """A stub event's date guessed from a date expression of the seed, and its basis (both for the editor to confirm)."""
    from threadline.tools.guess import resolve

    date = resolve(words, published) if published or words[-4:].isdigit() else None
    if published is None and date is not None and not date[:1].isdigit():
        date = None
    when = f", in a report published on {day_words(published, weekday=True)}" if published else ""
    return date, f"TODO confirm: {words!r} on line {line}{when}."


def _event(found: Findings, n: int, mention: Mention) -> list[str]:
    published = found.published[0] if found.published else None
    date, basis = stub_date(mention.words, mention.line, published)
    later = published is not None and date is not None and date[:10] > published.isoformat()
    shown = q(date) if date and date.isdigit() else date  # a year alone is quoted, or YAML reads a number
    return [f"- id: {event_id(found, n)}\n",
            f"  date: {shown}  # TODO confirm\n" if date else "  date: TODO  # an EDTF date; the report's date was not found\n",
            f"  date_basis: {q(basis)}"
            f"{'  # TODO after the report: an event cannot start later; date what was announced instead' if later else ''}\n",
            f"  title: {q(f'TODO confirm: {title(mention.sentence)}')}\n",
            "  status: reported  # TODO confirm: reported, alleged, denied, confirmed or disputed\n",
            f"  entities: [{', '.join(mention.entities)}]  # TODO confirm\n"]
