"""Live preview: build, serve the site under its production path, rebuild on change, reload the browser.

The server learns from the system which files under seeds/, content/ and templates/ changed, and
looks at site.yaml every 20 ms (watch.py; with `--poll`, or where the system cannot say, it polls every
file). Once a burst of saves is over it builds in memory from the last build (the session makes again
only what the change reached, and looks at no file the system did not name) and only then switches
to the new build: a request is always answered from one complete build, and nothing is written to disk.
The open data follows in a second pass, which the next save stops.
The browser is told to reload over livereload's websocket protocol (its livereload.js client
is served at /livereload.js). Only the editor's own browser gets an answer: a request naming
another host (a page elsewhere whose DNS name was pointed at this machine) is refused, and so is
the websocket of a page from another origin. A draft builds here (its session is in "preview"
mode), with a banner on its page listing what is left to confirm; the built site never has it.

Latency, measured with `python -m tests.test_serve` (save a sidecar, wait for the reload
message, fetch the page) on a copy of the five-seed site: see EDITING.md for the figures.
"""

from __future__ import annotations

import html
import json
import mimetypes
import signal
import sys
from collections import ChainMap, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, netutil, web
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.routing import AnyMatches, Rule

from threadline.errors import BuildError, Problem, one_line
from threadline.inputs.todo import DRAFT
from threadline.pipeline import Investigation, Session, build_in_memory
from threadline.preview.hosts import Hosts, OwnHost, Refused, served_hosts
from threadline.preview.watch import POLL_MS
from threadline.preview.watcher import Watcher
from threadline.preview.workbench.api import Workbench, routes
from threadline.preview.workbench.state import page_of
from threadline.publish.preview_mode import PassInterruptedError
from threadline.site.urls import base_path, save_as

STATUS_PATH = "/__threadline__/status"
LIVE_SCRIPT = (
    '<script>(function(){var s=document.createElement("script");'
    'var p=window.location.port||(window.location.protocol=="https:"?443:80);'
    's.src="//"+window.location.hostname+":"+p+"/livereload.js?port="+p;'
    "document.head.appendChild(s);})();</script>"
)
OVERLAY_STYLE = (
    "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;"
    "margin:0;padding:1em 1.5em;background:#fff5f5;color:#5c0000;border-top:4px solid #c00;"
    "font:14px/1.5 ui-monospace,monospace;box-shadow:0 -2px 12px rgba(0,0,0,.25)"
)
BANNER_STYLE = (
    "margin:0;padding:1em 1.5em;background:#fff3bf;color:#3d2e00;border-bottom:4px solid #b58900;"
    "font:15px/1.5 system-ui,sans-serif"
)


@dataclass
class Preview:
    """What the server shows: the last good build, the problems of the latest one, a build counter."""

    root: Path
    session: Session = field(default_factory=lambda: Session(drafts="preview", freeze=True))
    current: Mapping[str, bytes] | None = None  # the last good build: every file's bytes by path
    problems: list[Problem] = field(default_factory=list)
    builds: int = 0
    prefix: str = "/"
    waiters: set = field(default_factory=set)
    last_ms: float = 0.0
    origin: str = ""
    hosts: Hosts = field(default_factory=Hosts)
    announced: str = ""  # the preview address last printed
    inv: Investigation | None = None  # the last good build's investigation, for the workbench
    left: list[Problem] = field(default_factory=list)  # its drafts and warnings: what is left to do
    dossier_pages: dict[str, str] = field(default_factory=dict)  # page path -> dossier slug
    workbench: Workbench | None = None
    nudge: Callable[[list[Path]], None] = lambda paths: None  # the watcher's: rebuild now (the workbench wrote these)

    def __post_init__(self) -> None:
        self.workbench = self.workbench or Workbench(self.root)

    def build_once(self, defer_data: bool = False) -> tuple[Mapping[str, bytes] | None, list[Problem], Investigation | None]:
        """One build, in memory: (files, [], investigation) or (None, problems, None). Runs in a worker thread.

        The site is served from memory, so a request sees either the last build or the new one
        whole, and the preview never waits on the disk.
        """
        self.session.defer_data = defer_data
        try:
            inv, files = build_in_memory(self.root, self.session)
        except PassInterruptedError:  # a new save came in: the pass that follows it makes everything again
            return None, [], None
        except BuildError as error:
            return None, error.problems, None
        except Exception as exc:  # a bug must not kill the preview (template errors are BuildErrors above)
            return None, [Problem("(build)", 0, 0, f"internal error: {type(exc).__name__}: {one_line(str(exc))}",
                                  "please report it with what you changed")], None
        return with_banners(files, inv.problems.drafts), [], inv

    def apply(self, files: Mapping[str, bytes] | None, problems: list[Problem], inv: Investigation | None,
              reload: bool = True) -> None:
        """Switch to a finished build (or keep the last good one and show the problems); tell browsers.

        Without `reload`, the second pass of a rebuild (the open data): its files replace the first
        pass's quietly, and a failure there is left to the rebuild that the change behind it starts.
        """
        if not reload:
            self.current = files if files is not None else self.current
            return
        self.builds += 1
        self.problems = problems
        if files is not None:
            self.current = files  # one assignment: requests see the old site or the new one, whole
            self.prefix = base_path(inv.project.site.base_url if inv else "/")
            self.inv, self.left = inv, (inv.problems.drafts + inv.problems.warnings) if inv else []
            self.dossier_pages = {save_as("dossier", slug=slug): slug for slug in inv.project.dossiers} if inv else {}
        for waiter in list(self.waiters):
            waiter.write_message({"command": "reload", "path": self.prefix, "liveCSS": False, "liveImg": False})

    def status(self) -> dict:
        return {"build": self.builds, "ok": not self.problems, "serving": self.current is not None,
                "prefix": self.prefix, "errors": [str(p) for p in self.problems], "build_ms": round(self.last_ms, 1)}


class ReloadSocket(LiveReloadHandler):
    """livereload's websocket protocol, with the browsers of this server only (not a class-wide set)."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def check_origin(self, origin: str) -> bool:
        return self.preview.hosts.allows_origin(origin)

    def on_message(self, message: str | bytes) -> None:
        command = json.loads(message).get("command")
        if command == "hello":
            self.send_message({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"],
                               "serverName": "threadline"})
        elif command == "info":
            self.preview.waiters.add(self)

    def on_close(self) -> None:
        self.preview.waiters.discard(self)


class StatusHandler(web.RequestHandler):
    """The build counter and the current problems, as JSON (for tests and tools)."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write(self.preview.status())


# Until the first build is done; the livereload client every page is given (`inject`) shows the site once it is.
NOT_BUILT = (b"<!doctype html><html><head><title>Building the site</title></head><body><p>Building the site: "
             b"this page shows it as soon as the first build is done.</p></body></html>")


class SiteHandler(web.RequestHandler):
    """Files of the current build under the production path; nothing outside it."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")
        preview, url = self.preview, "/" + path
        if preview.current is None:
            return self.page(503, NOT_BUILT)
        if url == "/" and preview.prefix != "/":
            return self.redirect(preview.prefix)
        found = resolve(preview.current, preview.prefix, url)
        if isinstance(found, Redirect):
            return self.redirect(found)
        if found is None:
            return self.page(404, preview.current.get("404.html", b"<p>Not found</p>"))
        self.page(200, preview.current[found], mimetypes.guess_type(found)[0] or "application/octet-stream", found)

    def page(self, status: int, body: bytes, kind: str = "text/html", path: str = "") -> None:
        self.set_status(status)
        if kind == "text/html":
            tools = self.preview.workbench.tags(self.preview.dossier_pages.get(path))
            body = inject(body, self.preview.problems, tools)
        self.set_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        self.finish(body)


class Redirect(str):
    """A URL the browser is sent to instead (a folder asked for without its trailing slash)."""


def resolve(site: Mapping[str, bytes], prefix: str, url: str) -> str | Redirect | None:
    """The site path that answers `url` (already percent-decoded), a Redirect, or None.

    Only paths the build produced can be served: there is no file system to escape from.
    """
    if url + "/" == prefix and "index.html" in site:  # the site's own address without its slash, as Pages redirects it
        return Redirect(prefix)
    if not url.startswith(prefix):
        return None
    rel = url[len(prefix):]
    if any(part in (".", "..") or "\\" in part or ":" in part or "\0" in part for part in rel.split("/")):
        return None
    if rel in site:
        return rel
    index = f"{rel}index.html" if rel.endswith("/") or not rel else f"{rel}/index.html"
    if index in site:
        return index if rel.endswith("/") or not rel else Redirect(url + "/")
    return None


def inject(body: bytes, problems: list[Problem], tools: str = "") -> bytes:
    """The page with the livereload client, the workbench's `tools` and, after a failed build, the error overlay."""
    extra = LIVE_SCRIPT + tools + (overlay(problems) if problems else "")
    marker = body.rfind(b"</body>")
    at = marker if marker >= 0 else len(body)
    return body[:at] + extra.encode("utf-8") + body[at:]


def overlay(problems: list[Problem]) -> str:
    """The problems of the failed build, every character escaped."""
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return (f'<div id="threadline-errors" role="alert" style="{OVERLAY_STYLE}">'
            f"<strong>The last change broke the build ({len(problems)} error(s)). "
            f"This page is the last version that built; fix these and it reloads by itself.</strong>"
            f'<ol style="margin:.5em 0 0;padding-left:1.5em">{items}</ol></div>')


def with_banners(files: Mapping[str, bytes], drafts: list[Problem]) -> Mapping[str, bytes]:
    """The preview's pages, a draft's with a banner listing what is left to confirm in it (the others as they are)."""
    by_page: dict[str, list[Problem]] = defaultdict(list)
    for problem in drafts:
        by_page[page_of(problem.path, files)].append(problem)
    return ChainMap({page: _with_banner(files[page], items) for page, items in by_page.items()}, files)


def _with_banner(body: bytes, drafts: list[Problem]) -> bytes:
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in drafts:
        by_file[problem.path].append(problem)
    total = len(drafts)
    # Folded: the workbench lists the same items, each beside its place in the text.
    parts = [f'<details id="threadline-draft" role="note" style="{BANNER_STYLE}"><summary><strong>Draft: {total} '
             f"item(s) left to confirm.</strong> Open the workbench, or read them here.</summary>"]
    for path, items in by_file.items():
        lines = "".join(f"<li>{p.line}: {html.escape(p.message.removeprefix(DRAFT))}</li>" for p in items)
        parts.append(f"<p style=\"margin:0\"><strong>Draft: {len(items)} item(s) left to confirm in "
                     f"<code>{html.escape(path)}</code>.</strong> It is shown here only: <code>build.py build</code> "
                     f"refuses it until every TODO is gone.</p><ul style=\"margin:.25em 0 .5em\">{lines}</ul>")
    parts.append("<p style=\"margin:0\"><code>build.py todo</code> lists what is left across the investigation.</p>")
    banner = "".join(parts).encode("utf-8") + b"</details>"
    start = body.find(b"<body")
    at = body.find(b">", start) + 1 if start >= 0 else 0
    return body[:at] + banner + body[at:]


def application(preview: Preview) -> web.Application:
    args = {"preview": preview}
    return web.Application([
        Rule(OwnHost(preview.hosts), [
            (r"/livereload", ReloadSocket, args),
            (r"/livereload\.js", LiveReloadJSHandler),
            (STATUS_PATH, StatusHandler, args),
            *routes(preview),
            (r"/(.*)", SiteHandler, args),
        ]),
        Rule(AnyMatches(), Refused),
    ])


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, poll: bool = False) -> int:
    """Build, serve and rebuild until interrupted; returns the exit code. `poll`: never ask the system what changed."""
    preview = Preview(root.resolve())
    try:
        sockets = netutil.bind_sockets(port, host)
    except OSError as exc:
        print(f"cannot listen on {host}:{port}: {exc.strerror} (try another --port)", file=sys.stderr)
        return 1
    preview.hosts = served_hosts(host, sockets)
    loop = IOLoop.current()
    httpserver.HTTPServer(application(preview)).add_sockets(sockets)
    watcher = Watcher(preview)
    watcher.dirty = True  # the first build
    if not poll:
        watcher.notify()
    preview.nudge = watcher.nudge
    PeriodicCallback(watcher.poll, POLL_MS).start()
    preview.origin = f"http://{f'[{host}]' if ':' in host else host}:{preview.hosts.port}"
    # The address to open, under the site's path, is printed once the first build is done (watcher.py).
    print(f"listening on {preview.origin}/ (Ctrl-C to stop); building the site first", flush=True)
    _stop_on_signals(loop)
    try:
        loop.start()
    finally:
        watcher.stop()
    return 0


def _stop_on_signals(loop: IOLoop) -> None:
    """SIGTERM and Ctrl-C stop the loop and end the process cleanly."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.asyncio_loop.add_signal_handler(sig, loop.stop)

