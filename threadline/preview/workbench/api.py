"""The workbench's HTTP endpoints in the dev server (docs/workbench.md describes them).

Reads are answered to the editor's own browser only (the server's Host check); every write also
needs the page's Origin and the per-server token the preview puts in its pages, as JSON. A write
is checked by a build before it touches a file (journal.new_problems) and can be undone.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tornado import web
from tornado.ioloop import IOLoop

from threadline.errors import Problem
from threadline.pipeline import Session
from threadline.preview.workbench.actions import plan
from threadline.preview.workbench.journal import CHECKED, Journal, WriteRefusedError, new_problems
from threadline.preview.workbench.pending import ActionError, Pending, sidecar
from threadline.preview.workbench.state import date_guess, date_preview, workbench_state

if TYPE_CHECKING:
    from threadline.preview.serve import Preview

BASE = "/__threadline__/workbench"
STATIC = Path(__file__).parent / "static"
TOKEN_HEADER = "X-Threadline-Token"


@dataclass
class Workbench:
    """The server's token and journal, and one lock so that actions are written one at a time."""

    root: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    journal: Journal | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.journal = self.journal or Journal(self.root)

    def tags(self, dossier: str | None) -> str:
        """The workbench's stylesheet and script for a preview page (never in the built site)."""
        slug = f' data-dossier="{dossier}"' if dossier else ""  # slugs are [a-z0-9-]: nothing to escape
        return (f'<link rel="stylesheet" href="{BASE}/workbench.css">'
                f'<script src="{BASE}/workbench.js" data-token="{self.token}" data-base="{BASE}"{slug} defer></script>')


class _Handler(web.RequestHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def reply(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body, ensure_ascii=False))


class StaticHandler(_Handler):
    """workbench.js and workbench.css, from the package."""

    def get(self, name: str) -> None:
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish((STATIC / name).read_bytes())


class StateHandler(_Handler):
    """GET state?dossier=SLUG: the panel's data (see docs/workbench.md)."""

    def get(self) -> None:
        preview, slug = self.preview, self.get_query_argument("dossier", "")
        if preview.inv is None:
            return self.reply(503, {"ok": False, "error": "the site has not built yet"})
        try:  # read as the build reads it (a regular file of the project, UTF-8)
            text = Pending(preview.root).text(sidecar(slug)) or "" if slug in preview.inv.project.dossiers else ""
        except ActionError:
            text = ""
        state = workbench_state(preview.inv, slug, text, preview.problems + preview.left, preview.current or {},
                                preview.prefix)
        steps = preview.workbench.journal.steps
        self.reply(200, {"ok": True, **state, "undo": steps[-1].said if steps else None})


class DateHandler(_Handler):
    """GET date?value=EDTF: how the reader will see the date, or why it is not one."""

    def get(self) -> None:
        style = self.preview.inv.project.site.date_style if self.preview.inv else "day-month-year"
        self.reply(200, date_preview(self.get_query_argument("value", ""), style))


class GuessHandler(_Handler):
    """GET guess?dossier=SLUG&line=N&text=PASSAGE: a new event's title, date and basis drafted from the passage."""

    def get(self) -> None:
        if self.preview.inv is None:
            return self.reply(503, {"ok": False, "error": "the site has not built yet"})
        line = self.get_query_argument("line", "0")
        guess = date_guess(self.preview.inv, self.get_query_argument("dossier", ""), self.get_query_argument("text", ""),
                           int(line) if line.isdigit() else 0)
        self.reply(200, {"ok": True, **guess})


class _WriteHandler(_Handler):
    def prepare(self) -> None:
        """Only the preview's own pages may write: their Origin, the server's token, a JSON body."""
        given = self.request.headers.get(TOKEN_HEADER, "")
        if not is_loopback(self.request.remote_ip):  # even with --host, only this computer writes
            self.reply(403, {"ok": False, "error": "the workbench writes only for a browser on this computer"})
        elif not self.preview.hosts.allows_origin(self.request.headers.get("Origin", "")):
            self.reply(403, {"ok": False, "error": "a write must come from a page of this preview (Origin)"})
        elif not hmac.compare_digest(given.encode(), self.preview.workbench.token.encode()):
            self.reply(403, {"ok": False, "error": f"a write needs this server's token in {TOKEN_HEADER}"})
        elif not self.request.headers.get("Content-Type", "").startswith("application/json"):
            self.reply(415, {"ok": False, "error": "a write is a JSON body (Content-Type: application/json)"})

    async def locked(self, work) -> None:
        async with self.preview.workbench.lock:
            status, body = await IOLoop.current().run_in_executor(None, work)
        if body.get("files"):
            self.preview.nudge([self.preview.root / name for name in body["files"]])
        self.reply(status, body)


class ActionHandler(_WriteHandler):
    """POST action: one action, checked and written, or refused with the reason."""

    async def post(self) -> None:
        try:
            params = json.loads(self.request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return self.reply(400, {"ok": False, "error": "the body is not JSON"})
        preview = self.preview
        # The last build's errors and warnings: a failed build's problems, or what is left in a good one.
        known = [p for p in [*preview.problems, *preview.left] if p.severity in CHECKED]
        await self.locked(lambda: perform(preview.root, preview.workbench.journal, params, known, preview.session))


class UndoHandler(_WriteHandler):
    """POST undo: the last action's files put back."""

    async def post(self) -> None:
        await self.locked(lambda: undo(self.preview.workbench.journal))


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and an IPv4 loopback address written as IPv6."""
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    return ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback)


def perform(root: Path, journal: Journal, params: Any, known: list[Problem] | None = None,
            kept: Session | None = None) -> tuple[int, dict[str, Any]]:
    """(HTTP status, reply) of one action: written when the build it leaves has no new error (journal.new_problems).

    The reply names the new warnings the action brings, if any: written, but `check --strict` now fails.
    """
    try:
        said, changes = plan(root, params)
    except ActionError as exc:
        return 422, {"ok": False, "error": str(exc)}
    if not changes:
        return 200, {"ok": True, "said": f"nothing to change: the files already say so ({said})", "files": [],
                     "warnings": []}
    problems = new_problems(root, changes, known, kept)
    if errors := [str(p) for p in problems if p.severity == "error"]:
        return 422, {"ok": False, "error": "the build would fail, so nothing was written", "problems": errors}
    try:
        journal.write(said, changes)
    except (WriteRefusedError, OSError) as exc:
        return 422, {"ok": False, "error": str(exc)}
    return 200, {"ok": True, "said": said, "files": sorted(changes), "warnings": [str(p) for p in problems]}


def undo(journal: Journal) -> tuple[int, dict[str, Any]]:
    try:
        step = journal.undo()
    except (WriteRefusedError, OSError) as exc:
        return 422, {"ok": False, "error": str(exc)}
    return 200, {"ok": True, "said": f"undone: {step.said}", "files": sorted(step.after)}


def routes(preview: Preview) -> list[tuple]:
    args = {"preview": preview}
    return [
        (rf"{BASE}/(workbench\.js|workbench\.css)", StaticHandler, args),
        (rf"{BASE}/state", StateHandler, args),
        (rf"{BASE}/date", DateHandler, args),
        (rf"{BASE}/guess", GuessHandler, args),
        (rf"{BASE}/action", ActionHandler, args),
        (rf"{BASE}/undo", UndoHandler, args),
    ]
