"""Problems found in an investigation's input, collected before any output is written."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_CONTROL = re.compile("[\x00-\x1f\x7f]")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at a place in an input file, printed as `path:line:column: message` (or `path:line:`, `path:`)."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning", or "draft": a TODO left to confirm (see todo.py)

    def __str__(self) -> str:
        where = ":".join([self.path, *(str(n) for n in (self.line, self.column) if n)])
        text = f"{where}: {self.severity}: {self.message}" if self.severity == "warning" else f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True)
class Where:
    """A place in an input file: the file's project-relative path, line and column (1-based)."""

    path: str
    line: int = 0
    column: int = 0


@dataclass
class Problems:
    """Collects every problem of a run, so one run reports all of them."""

    items: list[Problem] = field(default_factory=list)

    def add(self, where: Where, message: str, hint: str = "") -> None:
        self.items.append(Problem(where.path, where.line, where.column, message, hint))

    def warn(self, where: Where, message: str, hint: str = "") -> None:
        self.items.append(Problem(where.path, where.line, where.column, message, hint, "warning"))

    def draft(self, where: Where, message: str, hint: str = "") -> None:
        """Something left to confirm: an error when building, a note on the page when previewing."""
        self.items.append(Problem(where.path, where.line, where.column, message, hint, "draft"))

    def extend(self, other: Problems | Iterable[Problem]) -> None:
        """Add the problems found elsewhere: by a worker process, in a cache, in a nested step."""
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")

    @property
    def drafts(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "draft")

    def raise_if_errors(self, drafts: bool = True) -> None:
        """BuildError with every error, and every unconfirmed draft unless `drafts` is False."""
        failed = sorted(self.errors + self.drafts) if drafts else self.errors
        if failed:
            raise BuildError(failed)


class BuildError(Exception):
    """The input has errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple:
        return BuildError, (self.problems,)  # so that it comes back whole from a worker process


class OutputError(Exception):
    """The site could not be written (a full disk, no permission, a name too long); the previous site is unchanged."""


def relpath(path: Path, root: Path) -> str:
    """Path as shown in messages: relative to the project when inside it, with forward slashes.

    Bytes of a file name that are not UTF-8 are shown as `\\xe9`, and control characters as `\\n`,
    so that the message prints, on one line.
    """
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.as_posix()
    shown = os.fsencode(shown).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], shown)


def short(text: str, limit: int = 80) -> str:
    """`text` as a message quotes it: cut to `limit` characters, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str) -> str:
    """A message on one line, as every problem is printed."""
    return " ".join(text.split())


def reason(exc: OSError) -> str:
    """An operating system error in words, lower case: "permission denied", "no space left on device"."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]
