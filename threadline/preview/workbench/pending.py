"""What an action works on: the texts of content/ files as it leaves them, and the request's parameters checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadline.errors import Problems, Where, relpath
from threadline.inputs.load import SLUG, read_seed
from threadline.inputs.reading import decode, read_input
from threadline.preview.workbench import yamledit
from threadline.preview.workbench.yamledit import EditError, data
from threadline.text.annotate import seed_lines
from threadline.tools.guess import slug

SETTABLE = {
    "dossier": ("headline", "headline_by", "outlet", "outlet_basis", "author", "author_basis", "author_entity",
                "published", "published_basis"),
    "entity": ("id", "kind", "name", "description", "wikidata"),
    "event": ("id", "date", "date_basis", "title", "status", "entities", "note"),
}
FOLDER = {"entity": "content/entities", "event": "content/events"}


class ActionError(Exception):
    """A request the workbench refuses, with the reason shown in its panel."""


@dataclass
class Pending:
    """Texts of files under content/ as the action leaves them, over the files on disk."""

    root: Path
    texts: dict[str, str] = field(default_factory=dict)  # relative path -> new text
    read: dict[str, str | None] = field(default_factory=dict)  # relative path -> text on disk (None: no file)

    def text(self, rel: str) -> str | None:
        if rel in self.texts:
            return self.texts[rel]
        if rel not in self.read:
            self.read[rel] = self._read(rel)
        return self.read[rel]

    def _read(self, rel: str) -> str | None:
        path = self.root / rel
        if not path.exists() and not path.is_symlink():
            return None
        problems = Problems()
        raw = read_input(path, self.root, problems)
        text = None if raw is None else decode(raw, Where(rel), problems)
        if text is None:
            raise ActionError(str(problems.items[0]))
        return text

    def edit(self, rel: str, change: Callable[[str], str]) -> None:
        """The file's text through `change` (an EditError is refused with the file's name)."""
        text = self.text(rel)
        if text is None:
            raise ActionError(f"{rel} does not exist")
        try:
            self.texts[rel] = change(text)
        except EditError as exc:
            raise ActionError(f"{rel}: {exc}") from None

    def create(self, rel: str, text: str) -> None:
        self.texts[rel] = text

    def files(self, folder: str) -> list[str]:
        """The YAML files of a folder under content/, by name, with those this action creates."""
        on_disk = {relpath(p, self.root) for p in (self.root / folder).glob("*.yaml")}
        return sorted(on_disk | {rel for rel in self.texts if rel.startswith(folder + "/")})

    def changed(self) -> dict[str, str]:
        """Every file whose text differs from the disk's."""
        return {rel: text for rel, text in self.texts.items() if text != self.read.get(rel)}


def param(params: dict, key: str, optional: bool = False) -> Any:
    value = params.get(key)
    if value is None and not optional:
        raise ActionError(f"missing {key!r}")
    if isinstance(value, str):
        value = value.strip()
        if not value and not optional:
            raise ActionError(f"{key!r} is empty")
    return value


def slug_param(params: dict, key: str) -> str:
    value = param(params, key)
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ActionError(f"{key!r} must be an id such as elon-musk, not {value!r}")
    return value


def sidecar(dossier: str) -> str:
    return f"content/dossiers/{dossier}.yaml"


def sidecar_data(pending: Pending, dossier: str) -> Any:
    text = pending.text(sidecar(dossier))
    if text is None:
        raise ActionError(f"no dossier {dossier!r}")
    return file_data(text, sidecar(dossier))


def file_data(text: str, rel: str) -> Any:
    """A file's data, every scalar a string; a file that is not YAML is refused with its name."""
    try:
        return data(text)
    except EditError as exc:
        raise ActionError(f"{rel}: {exc}") from None


def seed_line(pending: Pending, dossier: str, number: Any) -> str:
    """Line `number` of the dossier's seed, as the build numbers lines."""
    doc = sidecar_data(pending, dossier)
    if not isinstance(doc, dict) or not isinstance(doc.get("seed"), str) or not isinstance(doc.get("sha256"), str):
        raise ActionError(f"{sidecar(dossier)} names no seed and its sha256")
    problems = Problems()
    text = read_seed(pending.root, doc, Where(sidecar(dossier)), problems)  # as the build reads it: limits, sha256
    if text is None:
        raise ActionError(str(problems.items[0]))
    lines = seed_lines(text)
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= len(lines):
        raise ActionError(f"the seed has no line {number!r}")
    return lines[number - 1]


def verbatim(pending: Pending, params: dict, key: str = "quote") -> str:
    """The seed's own text for the selected passage: exact, though the browser may have collapsed its spaces."""
    selected = param(params, key)
    line = seed_line(pending, slug_param(params, "dossier"), param(params, "line"))
    if selected in line:
        return selected
    words = selected.split()
    found = re.search(r"\s+".join(map(re.escape, words)), line) if words else None
    if found is None:
        raise ActionError(f"the selection is not a passage of line {params['line']} of the seed: "
                          "a quote must lie within one paragraph")
    return found.group(0)


def find_item(pending: Pending, target: str, ident: str) -> tuple[str, int]:
    """The file and index of the entity or event `ident`."""
    for rel in pending.files(FOLDER[target]):
        doc = file_data(pending.text(rel) or "", rel)
        for index, item in enumerate(doc if isinstance(doc, list) else []):
            if isinstance(item, dict) and item.get("id") == ident:
                return rel, index
    raise ActionError(f"no {target} {ident!r}")


def all_items(pending: Pending, target: str) -> list[dict]:
    """Every entity's or event's mapping, as the pending files hold them."""
    items = []
    for rel in pending.files(FOLDER[target]):
        doc = file_data(pending.text(rel) or "", rel)
        items += [item for item in (doc if isinstance(doc, list) else []) if isinstance(item, dict)]
    return items


def all_ids(pending: Pending, target: str) -> set[str]:
    return {item.get("id") for item in all_items(pending, target)}


def spelling_owner(pending: Pending, name: str) -> dict | None:
    """The entity that already has `name` as its name or an alias, if any."""
    return next((item for item in all_items(pending, "entity")
                 if name == item.get("name") or name in (item.get("aliases") or [])), None)


# Words an id made from a title's first words does not end with.
TRAILING = set("the a an of on in to for and or with by at its his her their from as that is was very about".split())


def new_id(pending: Pending, target: str, text: str, wanted: str | None) -> str:
    """The id asked for, or one made from the name or title (a few words), not taken yet."""
    if wanted:
        if not SLUG.fullmatch(wanted):
            raise ActionError(f"'id' must be an id such as elon-musk, not {wanted!r}")
        if wanted in all_ids(pending, target):
            raise ActionError(f"there is already an {target} {wanted!r}")
        return wanted
    words = slug(text).split("-")
    words = words[1:] if len(words) > 1 and words[0] in ("the", "a", "an") else words  # ids do not start with an article
    words = words[:6]
    while len(words) > 1 and words[-1] in TRAILING:  # 'postpones-its-vote', not 'postpones-its-vote-on'
        words = words[:-1]
    base = "-".join(words) or target
    taken = all_ids(pending, target)
    return next(f"{base}-{n}" if n > 1 else base for n in range(1, len(taken) + 2)
                if (f"{base}-{n}" if n > 1 else base) not in taken)


def append_item(pending: Pending, rel: str, item: dict, head: str) -> None:
    if pending.text(rel) is None:
        pending.create(rel, head + "".join(yamledit.block(item, 0)))
    else:
        pending.edit(rel, lambda text: yamledit.append(text, (), "", item))


