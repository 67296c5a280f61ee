"""The dependency record: the key of every file of the last site built, kept on disk between runs.

After a build, PROJECT/.threadline-cache/pages.json holds, for the site just built and the one
before it, each output path's key (keys.py) and a listing of the tree as it was written (every
file's name, inode, size and modification time). A build rewrites the site before the last one in
place (write.Staging reuses it as the previous site) and renders only the entries whose key
differs from the one recorded for that tree (or, when the record does not vouch for that tree but
does for the last site, writes a new folder linking the last site's unchanged files: pipeline.record_of).
The record is trusted only
when everything about it checks out: its own checksum (a corrupted record), its format, the
generator's code, the project and output folders it was made for (a foreign record), and the
listing of the tree it describes (a tree changed since, or not the tree recorded: a stale record).
Anything else and the record is ignored: every entry is rendered, as in a first build.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from threadline.publish.stamp import cache_folder, walk

FORMAT = 1
NAME = "pages.json"


def kept_keys(root: Path, out: Path, tree: Path, code: str) -> dict[str, str]:
    """The keys of the files `tree` holds, as recorded when it was built for `out`; {} unless trustworthy."""
    body = _body(root)
    if not _made_for(body, root, out, code):
        return {}
    now = listing(tree)
    for recorded in body["trees"]:  # the last site built, and the one before it (rewritten by the next build)
        if isinstance(recorded, dict) and recorded.get("listing") == now and isinstance(recorded.get("keys"), dict):
            return recorded["keys"]
    return {}


def _body(root: Path) -> dict | None:
    """The record's content, or None when it is missing, unreadable or does not match its checksum."""
    try:
        kept = json.loads((cache_folder(root) / NAME).read_text(encoding="utf-8"))
        body, check = kept["body"], kept["check"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return body if isinstance(body, dict) and check == _checksum(body) else None


def save(root: Path, out: Path, code: str, keys: dict[str, str]) -> None:
    """Record the keys of the site just swapped into `out`, beside those of the site it replaced.

    The replaced site is now the previous one (write.previous_of), which the next build rewrites:
    its recorded listing is still its own, since renaming a tree changes no file's stat.
    """
    last = _body(root)
    # The replaced site's keys are kept only when made by this version of the generator for this folder:
    # the record names one version and one folder for both trees.
    before = last["trees"][:1] if _made_for(last, root, out, code) else []
    body = {**_header(root, out, code), "trees": [{"listing": listing(out), "keys": keys}, *before]}
    folder = cache_folder(root)
    folder.mkdir(exist_ok=True)
    temporary = folder / f"{NAME}.{os.getpid()}"
    temporary.write_text(json.dumps({"check": _checksum(body), "body": body}), encoding="utf-8")
    os.replace(temporary, folder / NAME)  # a reader sees the old record or the new one, whole


def _header(root: Path, out: Path, code: str) -> dict[str, object]:
    return {"format": FORMAT, "code": code, "root": str(root.resolve()), "out": str(out.resolve())}


def _made_for(body: dict | None, root: Path, out: Path, code: str) -> bool:
    """Whether the record was made by this version of the generator, for this project and output folder."""
    return (body is not None and isinstance(body.get("trees"), list)
            and all(body.get(name) == value for name, value in _header(root, out, code).items()))


def listing(tree: Path) -> str:
    """The hash of every file's path, inode, size and modification time under `tree` (builds alone write there)."""
    cut = len(str(tree)) + 1
    lines = sorted(f"{p[cut:]}\0{s.st_ino}\0{s.st_size}\0{s.st_mtime_ns}\n" for p, s in walk(str(tree)))
    return hashlib.blake2b("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _checksum(body: dict) -> str:
    return hashlib.blake2b(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
