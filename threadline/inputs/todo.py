"""What is left to confirm: the word TODO, as `build.py new` writes it, marks a guess no editor has checked.

`build` and `check` refuse every file that still has one (an unread draft is never published);
the dev server, whose session is in "preview" mode, shows them on the draft's page instead;
`build.py todo` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from threadline.errors import Problems, Where, relpath, short
from threadline.inputs.reading import read_input

CONFIRM_KEY = "TODO_confirm_every_guess_below_then_delete_this_line"
# TODO, TODO:, TODO_confirm_…, but not a longer word such as TODOS; in capitals, as `new` writes it.
MARKER = re.compile(r"(?<![A-Za-z0-9])TODO(?![A-Za-z0-9])")
# Every file whose text is published: where a TODO may hide.
FILES = ("site.yaml", "content/entities/*.yaml", "content/events/*.yaml", "content/dossiers/*.yaml",
         "content/pages/*.md")
SHOWN = 120  # characters of a marked line shown in a message
DRAFT = "unconfirmed draft: "  # how each message starts


def is_marker(value: object) -> bool:
    """A value or key `new` wrote for the editor to replace, such as `published: TODO`."""
    return isinstance(value, str) and MARKER.match(value) is not None


def markers(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, the line's text) of every line of `text` with a TODO in it."""
    if "TODO" not in text:  # the usual case: one search of the whole text
        return
    for number, line in enumerate(text.splitlines(), 1):
        found = MARKER.search(line)
        if found:
            yield number, found.start() + 1, line.strip()


def note_markers(text: str, path: str, problems: Problems) -> None:
    """Record each TODO of a file's text as an unconfirmed draft (an error, unless previewing)."""
    for line, column, words in markers(text):
        hint = ("check every guess in this file, then delete this line" if words.startswith(CONFIRM_KEY)
                else "confirm or correct it, then remove the TODO")
        problems.draft(Where(path, line, column), DRAFT + short(words, SHOWN), hint)


def left_to_confirm(root: Path, unreadable: Problems) -> list[str]:
    """`path:line: text` for every TODO in the investigation, by file and line; files that cannot be read go to `unreadable`.

    Files are read as the build reads them (inputs.read_input): never a pipe, never through a link out of the project.
    """
    found = []
    for path in sorted((path for pattern in FILES for path in root.glob(pattern)), key=str):
        raw = read_input(path, root, unreadable)
        if raw is not None:
            text = raw.decode("utf-8", "replace")  # bytes that are not UTF-8 are for `check` to report
            found += [f"{relpath(path, root)}:{line}: {words}" for line, _, words in markers(text)]
    return found
