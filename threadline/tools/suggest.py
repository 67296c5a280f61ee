"""Prose an editor would otherwise type, drafted from the seed's own words: every one is a guess to confirm.

A description from the words around a name ("Dmitry Peskov, the Kremlin's spokesman"), an event's title
from the passage that reports it, the basis of a date from the report's own date. `new` writes them into
a draft marked TODO; the workbench offers them in its forms. Neither ever reaches the site unconfirmed.
"""

from __future__ import annotations

import datetime as dt
import re

from threadline.inputs.dates import MONTHS, WEEKDAYS

# An apposition after a name: ", the Kremlin's spokesman,", ", Ukraine's digital minister," or ", who heads
# the agency,"; a short phrase only.
APPOSITION = re.compile(r",\s+((?:the|a|an|who|which|whose|its|his|her|their|head|chief|founder|[A-Z][\w-]*['’]s)\b"
                        r"[^,;:.!?“”\"]{3,90}?)(?=([,.]))")
# A phrase that ends its sentence and has a verb goes on with the sentence ("According to X, the port is open.").
VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|said|says|did|does)\b")
# An apposition before a name that one after closes: "Indonesia's communications minister, Rina Hartono,".
APPOSITION_BEFORE = re.compile(r"(?:^|[,;:(]\s+|\b(?:met|with|and|by|to|from)\s+)((?:[A-Z][\w-]*['’]s|the)"
                               r"(?:\s+[a-z][\w-]*(?:['’]s)?){1,4}),\s+$")
# A title in lower case right before a name: "deputy minister Anna Kalnina", "defence analyst Tom Dale".
LOWER_TITLE = re.compile(r"(?:^|[,;:(]\s*|\b(?:and|or|by|with|to|from|said|says|[Tt]he|an?)\s+)"
                         r"((?:(?!(?:and|or|the|said|says)\b)[a-z][\w-]*\s+){0,3}"
                         r"(?:minister|president|spokesman|spokeswoman|spokesperson|secretary|director|ambassador|"
                         r"governor|mayor|chairman|chairwoman|commander|general|chief|envoy|commissioner|analyst|"
                         r"official|executive|founder|adviser|advisor|researcher|professor|lawyer|officer|editor))\s+$")
# Words before a title that belong to it ("retired British Army Brigadier Ben Barry").
TITLE_BEFORE = re.compile(r"\b(retired|former|acting|deputy|late)\s+$", re.IGNORECASE)
TITLE_WORDS = 25  # a title longer than this is a sentence, not a title: the editor writes one instead
NO_BYLINE = "The text carries no byline."


def day_words(day: dt.date, weekday: bool = False) -> str:
    """'16 February 2024', or 'Friday 16 February 2024'."""
    words = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {words}" if weekday else words


def description(line: str, title: str, name_start: int, name_end: int) -> str:
    """What the seed says a name is: the title or apposition before it and an apposition after it, or ''."""
    after = APPOSITION.match(line, name_end)
    # A phrase with a verb that ends its sentence, or that opens with an owner ("Musk, Putin's aide said,"),
    # is the sentence going on.
    if after and (after.group(2) == "." or after.group(1)[0].isupper()) and VERB.search(after.group(1)):
        after = None
    before = APPOSITION_BEFORE.search(line[:name_start]) if line.startswith(",", name_end) else None
    lower = None if title or before else LOWER_TITLE.search(line[:name_start])
    said = (title or (before.group(1) if before else "") or (lower.group(1) if lower else ""),
            after.group(1).strip() if after else "")
    return "; ".join(part for part in said if part)


def title_before(line: str, run_start: int, removed: list[str], ranks: set[str], openers: set[str]) -> str:
    """The title or office that stood in front of a name ('Russian President'), without a sentence opener."""
    while removed and removed[0] in openers and removed[0] not in ranks:
        removed = removed[1:]
    if not any(word in ranks for word in removed):
        return ""
    before = TITLE_BEFORE.search(line[:run_start])
    return " ".join(([before.group(1)] if before else []) + removed)


def title(passage: str) -> str:
    """An event's title drafted from the passage that reports it: one line, without its closing stop."""
    words = passage.split()
    text = " ".join(words[:TITLE_WORDS])
    return text.rstrip(" .;:,") if len(words) <= TITLE_WORDS else text.rstrip(" .;:,") + " …"


def undated(published: dt.date) -> tuple[str, str]:
    """The date and basis of an event the report gives no date for: on or before the report's own date."""
    return f"../{published.isoformat()}", f"Undated in the text: before the report of {day_words(published)}."
