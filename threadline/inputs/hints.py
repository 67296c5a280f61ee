"""Hints for a passage an editor copied from a seed that does not match it: where it differs, and how.

A quote that is not verbatim is nearly always one typed over, not copied: a straight apostrophe for
the seed's curly one, a plain space for a non-breaking one, a word changed. The hint finds the
seed's passage that the quote was meant to be, says where the two first differ, and shows the
characters that differ by name, since many of them look alike or cannot be seen at all.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from threadline.errors import short

# Characters that an editor's keyboard replaces with look-alikes: each folds to the plain one.
LOOKALIKES = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\t": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})
COPY_EXACTLY = "copy it from the seed exactly, curly quotes and apostrophes included"
_SPACES = re.compile(r"\s+")


def closest_hint(text: str, lines: list[str], numbers: list[int] | None = None) -> str:
    """What to tell an editor whose `text` is in none of `lines` (numbered `numbers` in the seed)."""
    text = text.strip()
    numbers = numbers or list(range(1, len(lines) + 1))
    passage = _folded_match(text, lines)
    across = "" if passage else _across_paragraphs(text, lines, numbers)
    passage = passage or (None if across else _similar_passage(text, lines))
    if passage is not None:
        return f"the closest passage in the seed is {short(passage)!r}{first_difference(text, passage)}"
    return across or COPY_EXACTLY


def _folded_match(text: str, lines: list[str]) -> str | None:
    """The seed's passage that equals `text` once look-alike characters are folded, if there is one."""
    wanted = _fold(text)
    for line in lines:
        folded, offsets = _fold_with_offsets(line)
        at = folded.find(wanted) if wanted else -1
        if at >= 0:
            return line[offsets[at]: offsets[at + len(wanted) - 1] + 1]
    return None


def _fold(text: str) -> str:
    return text.translate(LOOKALIKES)


def _fold_with_offsets(line: str) -> tuple[str, list[int]]:
    """`line` folded, and for each folded character the index of the character it came from."""
    folded, offsets = [], []
    for i, char in enumerate(line):
        for out in char.translate(LOOKALIKES):
            folded.append(out)
            offsets.append(i)
    return "".join(folded), offsets


def _similar_passage(text: str, lines: list[str]) -> str | None:
    """The passage of the line that shares the longest run of characters with `text`, widened to whole words."""
    scored = [(difflib.SequenceMatcher(None, text, line, autojunk=False).find_longest_match(), line) for line in lines]
    match, line = max(scored, key=lambda pair: pair[0].size, default=(None, ""))
    if match is None or match.size < min(8, len(text) // 2 + 1):
        return None
    start = max(0, match.b - match.a)
    end = min(len(line), start + len(text))
    while start > 0 and line[start - 1].isalnum():
        start -= 1
    while end < len(line) and line[end].isalnum():
        end += 1
    return line[start:end]


def first_difference(text: str, passage: str) -> str:
    """Where `text` and the seed's `passage` first differ, with the characters named; '' if they agree."""
    at = next((i for i, (a, b) in enumerate(zip(text, passage, strict=False)) if a != b), min(len(text), len(passage)))
    if text[:at] == text and passage[:at] == passage:
        return ""
    ours, theirs = _char(text, at), _char(passage, at)
    return f"; they first differ at character {at + 1}, where yours has {ours} and the seed has {theirs}"


def _char(text: str, at: int) -> str:
    """The character at `at`, shown so that it can be told from its look-alikes."""
    if at >= len(text):
        return "nothing more"
    char = text[at]
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    if char.isascii() and char.isprintable() and char != " ":
        return f"{char!r}"
    if char == " ":
        return "a space"
    shown = repr(char) if char.isprintable() and not char.isspace() else "an invisible character"
    return f"{shown} (U+{ord(char):04X} {name})"


def _across_paragraphs(text: str, lines: list[str], numbers: list[int]) -> str:
    """Say so when `text` runs from one paragraph of the seed into the next: a quote lies within one."""
    wanted = _SPACES.sub(" ", _fold(text))
    for i in range(len(lines) - 1):
        joined = _SPACES.sub(" ", _fold(f"{lines[i]} {lines[i + 1]}"))
        if wanted in joined:
            return (f"it runs across two paragraphs of the seed (lines {numbers[i]} and {numbers[i + 1]}); "
                    f"a quote lies within one paragraph: cite each part on its own")
    return ""


def whole_line_hint(text: str, lines: list[str]) -> str:
    """What to tell an editor whose `text` is not a whole line of the seed: the line it is part of, if any."""
    wanted = text.strip()
    for number, line in enumerate(lines, 1):
        if wanted and wanted in line:
            whole = line.strip()
            return f"it is part of line {number}; give the whole line: {whole if len(whole) <= 160 else short(whole)!r}"
    return closest_hint(text, lines)
