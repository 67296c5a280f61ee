"""The live preview, driven for real: a `build.py serve` subprocess on a free port, edited underneath.

Run as a module (`python -m tests.test_serve`) to measure the time from saving a sidecar to the
reloaded page being served, on a copy of the fixture investigation (tests/fixture).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from tests.conftest import REPO, SEED, fixture_project, scratch_files, sidecar, tree, write_project
from threadline.cli import main
from threadline.pipeline import Session, build, build_in_memory
from threadline.preview.serve import Preview, Redirect, inject, resolve
from threadline.preview.watcher import Watcher

SIDECAR = "content/dossiers/example-report.yaml"
PAGE = "scratch/dossiers/example-report/"
OLD_NOTE = "The Kremlin has not published a readout."


@dataclass
class Server:
    """A running `build.py serve` and what it printed."""

    proc: subprocess.Popen
    origin: str = ""
    lines: queue.Queue = field(default_factory=queue.Queue)

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of GET origin/path, following redirects."""
        try:
            with urllib.request.urlopen(f"{self.origin}/{path}", timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("__threadline__/status")[1])


def wait_until(check: Callable[[], object], timeout: float = 20.0) -> object:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {check}")


def start(project: Path) -> Server:
    """Start the preview of `project` on a free port and wait for its first build."""
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--project", str(project), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=project.parent)
    server = Server(proc)
    threading.Thread(target=lambda: [server.lines.put(line) for line in proc.stdout], daemon=True).start()
    first = server.lines.get(timeout=30)
    match = re.search(r"listening on (http://\S+)/", first)
    assert match, first
    server.origin = match.group(1)
    wait_until(lambda: server.status()["build"] >= 1)
    return server


@contextmanager
def serving(project: Path) -> Iterator[Server]:
    """The preview of `project`, stopped when the block ends."""
    running = start(project)
    try:
        yield running
    finally:
        running.proc.terminate()
        running.proc.wait(timeout=10)


@pytest.fixture
def server(scratch: Path) -> Iterator[Server]:
    with serving(scratch) as running:
        yield running


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


async def reload_after(server: Server, change: Callable[[], None], timeout: float = 20.0) -> dict:
    """Connect as livereload.js does, make the change, return the reload message."""
    socket = await websocket_connect(server.origin.replace("http", "ws") + "/livereload")
    await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
    assert json.loads(await socket.read_message())["command"] == "hello"
    await socket.write_message(json.dumps({"command": "info", "url": server.origin}))
    await asyncio.sleep(0.05)  # let the server register the browser before the change
    change()
    message = json.loads(await asyncio.wait_for(socket.read_message(), timeout))
    socket.close()
    return message


def test_serves_under_the_production_path_and_redirects_the_root(server: Server) -> None:
    status, body = server.get("")
    assert status == 200 and "Musk meets Putin in Moscow" in body
    assert server.get("scratch/dossiers")[0] == 200  # a folder without its slash is redirected, as on GitHub Pages
    status, body = server.get("scratch/no-such-page/")
    assert status == 404 and "/livereload.js" in body
    assert "livereload.js" in server.get(PAGE)[1]


def test_an_edit_is_served_and_a_reload_signalled(server: Server, scratch: Path) -> None:
    before = server.status()["build"]
    message = asyncio.run(reload_after(server, lambda: edit(scratch, SIDECAR, OLD_NOTE, "An edited note.")))
    assert message["command"] == "reload"
    assert server.status()["build"] == before + 1
    body = server.get(PAGE)[1]
    assert "An edited note." in body and OLD_NOTE not in body


def test_an_entity_description_edit_reaches_the_entity_page(server: Server, scratch: Path) -> None:
    edit(scratch, "content/entities/all.yaml", "President of Russia.", "Head of the Russian state.")
    wait_until(lambda: "Head of the Russian state." in server.get("scratch/people/vladimir-putin/")[1])


def test_a_broken_sidecar_shows_the_overlay_over_the_last_good_site(server: Server, scratch: Path) -> None:
    before = server.status()["build"]
    edit(scratch, SIDECAR, "quote: talks in February", "quote: <script>alert(1)</script> in March")
    problems = wait_until(lambda: server.status()["errors"])
    assert problems == [f"{SIDECAR}:20:5: quote not found in seed 'a.txt': '<script>alert(1)</script> in March' "
                        "(copy it from the seed exactly, curly quotes and apostrophes included)"]
    assert server.status()["build"] == before + 1
    status, body = server.get(PAGE)
    assert status == 200 and OLD_NOTE in body  # the last good site, still served
    assert 'id="threadline-errors"' in body
    assert f"{SIDECAR}:20:5: quote not found" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert 'id="threadline-errors"' in server.get("scratch/timeline/")[1]  # every page shows it
    edit(scratch, SIDECAR, "quote: <script>alert(1)</script> in March", "quote: talks in February")
    wait_until(lambda: server.status()["ok"])
    assert 'id="threadline-errors"' not in server.get(PAGE)[1]


def test_malformed_yaml_never_kills_the_server(server: Server, scratch: Path) -> None:
    (scratch / SIDECAR).write_text("seed: [unclosed\n", encoding="utf-8")
    wait_until(lambda: server.status()["errors"])
    assert server.proc.poll() is None
    assert server.get(PAGE)[0] == 200
    (scratch / SIDECAR).write_text(sidecar("a.txt", SEED), encoding="utf-8")
    wait_until(lambda: server.status()["ok"])


def test_a_project_that_never_built_says_so_until_fixed(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", scratch_files(**{SIDECAR: "seed: [unclosed\n"}))
    running = start(project)
    try:
        status, body = running.get("")
        assert status == 503 and 'id="threadline-errors"' in body and "malformed YAML" in body
        (project / SIDECAR).write_text(sidecar("a.txt", SEED), encoding="utf-8")
        wait_until(lambda: running.status()["serving"])
        assert running.get(PAGE)[0] == 200
    finally:
        running.proc.terminate()
        running.proc.wait(timeout=10)


TRAVERSALS = [
    "/scratch/../site.yaml", "/scratch/../../../../etc/passwd", "/scratch/%2e%2e/site.yaml",
    "/scratch/%2e%2e%2fsite.yaml", "/scratch/..%2f..%2fsite.yaml", "/scratch/%2E%2E/%2E%2E/etc/passwd",
    "//etc/passwd", "/scratch//etc/passwd", "/scratch/%2fetc%2fpasswd", "/scratch/..\\site.yaml",
    "/scratch/%5c..%5csite.yaml", "/../site.yaml", "/scratch/assets/../../site.yaml", "/%2e%2e/site.yaml",
]


def test_nothing_outside_the_built_site_is_served(server: Server) -> None:
    host, port = server.origin.removeprefix("http://").split(":")
    for path in TRAVERSALS:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path)  # sent as written: no client-side normalisation
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        assert response.status in (302, 400, 404), (path, response.status)
        assert "title: Scratch" not in body and "root:" not in body, path


def test_resolve_serves_only_what_the_build_produced() -> None:
    site = {"index.html": b"home", "dossiers/index.html": b"list", "assets/style.css": b"css"}
    assert resolve(site, "/p/", "/p/") == "index.html"
    assert resolve(site, "/p/", "/p/dossiers/") == "dossiers/index.html"
    assert resolve(site, "/p/", "/p/assets/style.css") == "assets/style.css"
    redirect = resolve(site, "/p/", "/p/dossiers")
    assert isinstance(redirect, Redirect) and redirect == "/p/dossiers/"
    redirect = resolve(site, "/p/", "/p")  # the site's own address without its slash
    assert isinstance(redirect, Redirect) and redirect == "/p/"
    for url in ["/p/../secret.txt", "/p/dossiers/../index.html", "/p//etc/passwd", "/index.html", "/p/a\\..\\x",
                "/p/missing/", "/p/index.html\0"]:
        assert resolve(site, "/p/", url) is None, url


def test_overlay_is_escaped_and_only_after_a_failure() -> None:
    from threadline.errors import Problem

    page = b"<html><body><p>x</p></body></html>"
    assert b"threadline-errors" not in inject(page, [])
    shown = inject(page, [Problem("a.yaml", 3, 1, "bad <b>&", "hint \"q\"")])
    assert b"a.yaml:3:1: bad &lt;b&gt;&amp; (hint &quot;q&quot;)" in shown
    assert shown.endswith(b"</div></body></html>")


def test_a_burst_of_changes_is_one_rebuild(scratch: Path, tmp_path: Path) -> None:
    watcher = Watcher(Preview(scratch))
    assert not watcher.due()
    for name in ["content/entities/all.yaml", "content/events/all.yaml", SIDECAR, "site.yaml"]:
        (scratch / name).write_text((scratch / name).read_text() + "\n")
    assert not watcher.due()  # changes seen: wait for a quiet poll
    assert watcher.due()  # quiet: rebuild once
    assert not watcher.due()


def test_a_save_during_the_second_pass_stops_it_and_the_preview_ends_equal_to_a_full_build(
        scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview, passes = Preview(scratch), []
    real = Preview.build_once

    def build_once(self: Preview, defer: bool = False) -> tuple:
        result = real(self, defer)
        passes.append((defer, result[0] is not None))  # (first pass, made a site)
        return result

    monkeypatch.setattr(Preview, "build_once", build_once)
    watcher = Watcher(preview)

    async def edit_twice() -> None:
        await watcher.rebuild()  # the first build: no second pass
        (scratch / SIDECAR).write_text((scratch / SIDECAR).read_text().replace("has not published", "never published"))
        await watcher.rebuild()  # serves the page, starts the second pass (the open data)
        assert watcher.completing is not None
        preview.session.interrupted = True  # as interrupt() does: set before the second pass's first entry
        (scratch / SIDECAR).write_text((scratch / SIDECAR).read_text().replace("never published", "did not publish"))
        await watcher.rebuild()  # waits for the second pass to stop, then builds the new save
        await watcher.completing

    asyncio.run(edit_twice())
    # The second pass of the first edit was stopped, and made nothing; the second edit's ran whole.
    assert passes == [(True, True), (True, True), (False, False), (True, True), (False, True)]
    assert not preview.session.interrupted and watcher.completing is None
    build(scratch, tmp_path / "full", search=False)
    assert preview.current == tree(tmp_path / "full")


def test_public_is_never_watched(scratch: Path, tmp_path: Path) -> None:
    watcher = Watcher(Preview(scratch))
    build(scratch, scratch / "public")
    (scratch / "content/.#all.yaml").write_text("editor lock file")
    assert not watcher.due() and not watcher.due()


def raw_get(server: Server, path: str, host: str) -> tuple[int, str, str]:
    """Status, Content-Type and body of GET path sent with this Host header, as a rebinding page would."""
    address, port = server.origin.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(address, int(port), timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response.getheader("Content-Type", ""), body


def test_a_request_for_another_host_is_refused(server: Server) -> None:
    port = server.origin.rsplit(":", 1)[1]
    for path in ["/", f"/{PAGE}", "/__threadline__/status", "/livereload.js", "/livereload", "/scratch/site.yaml"]:
        for host in [f"rebind.example:{port}", "rebind.example", f"127.0.0.1:{int(port) + 1}", f"127.0.0.1.nip.io:{port}"]:
            status, kind, body = raw_get(server, path, host)
            assert (status, kind) == (403, "text/plain; charset=utf-8"), (path, host)
            assert body == "403 Forbidden: this preview answers only at its own address, the one `build.py serve` printed\n"
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"]:
        status, _, body = raw_get(server, f"/{PAGE}", host)
        assert status == 200 and OLD_NOTE in body, host
    assert raw_get(server, "/livereload.js", f"localhost:{port}")[0] == 200


async def hello(server: Server, origin: str | None) -> str:
    """Open the reload websocket as a page of `origin` would; the server's answer to hello."""
    headers = {"Origin": origin} if origin else {}
    socket = await websocket_connect(HTTPRequest(server.origin.replace("http", "ws") + "/livereload", headers=headers))
    await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
    answer = json.loads(await socket.read_message())["command"]
    socket.close()
    return answer


@pytest.mark.parametrize("origin", ["http://rebind.example:{port}", "http://127.0.0.1:{other}", "http://[::1]:{port}",
                                    "null", "http://localhost:{port}.rebind.example"])
def test_the_reload_socket_refuses_pages_of_other_origins(server: Server, origin: str) -> None:
    port = int(server.origin.rsplit(":", 1)[1])
    with pytest.raises(HTTPClientError) as refused:
        asyncio.run(hello(server, origin.format(port=port, other=port + 1)))
    assert refused.value.code == 403


def test_the_reload_socket_accepts_the_served_origins(server: Server) -> None:
    port = server.origin.rsplit(":", 1)[1]
    for origin in [server.origin, f"http://localhost:{port}", None]:
        assert asyncio.run(hello(server, origin)) == "hello", origin


@pytest.mark.parametrize(("bind", "ours", "others"), [
    ("127.0.0.1", ["127.0.0.1:{p}", "localhost:{p}"], ["[::1]:{p}", "10.0.0.1:{p}", "rebind.example:{p}", "127.0.0.1"]),
    ("::1", ["[::1]:{p}", "localhost:{p}"], ["127.0.0.1:{p}", "rebind.example:{p}", "[::1]:{q}"]),
    ("0.0.0.0", ["10.0.0.1:{p}", "192.168.1.5:{p}", "localhost:{p}", "0.0.0.0:{p}"], ["rebind.example:{p}", "10.0.0.1:{q}"]),
])
def test_the_served_hosts_are_the_addresses_listened_on(bind: str, ours: list[str], others: list[str]) -> None:
    from tornado.netutil import bind_sockets

    from threadline.preview.hosts import served_hosts

    try:
        sockets = bind_sockets(0, bind)
    except OSError:
        pytest.skip(f"this machine cannot listen on {bind}")
    try:
        hosts = served_hosts(bind, sockets)
        p, q = hosts.port, hosts.port + 1
        assert [h for h in ours if not hosts.serves(h.format(p=p))] == []
        assert [h for h in others if hosts.serves(h.format(p=p, q=q))] == []
    finally:
        for sock in sockets:
            sock.close()


LINK_OUT = "templates/static/passwd: a symbolic link to a file outside the project is not allowed"


def test_a_link_out_of_the_project_is_never_served(server: Server, scratch: Path) -> None:
    (scratch / "templates/static/passwd").symlink_to("/etc/passwd")
    assert wait_until(lambda: server.status()["errors"]) == [LINK_OUT]
    status, body = server.get("scratch/assets/passwd")
    assert status == 404 and "root:" not in body
    assert 'id="threadline-errors"' in server.get(PAGE)[1]
    (scratch / "templates/static/passwd").unlink()
    (scratch / "templates/static/inside.css").symlink_to(scratch / "templates/static/style.css")
    wait_until(lambda: server.status()["ok"])
    assert server.get("scratch/assets/inside.css") == server.get("scratch/assets/style.css")


def test_the_build_refuses_a_link_out_of_the_project(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", "--project", str(scratch), "--no-search"]) == 0
    before = tree(scratch / "public")
    (scratch / "templates/static/passwd").symlink_to("/etc/passwd")
    (scratch / "templates/page2.html").symlink_to("/etc/hostname")
    (scratch / "templates/static/inside.css").symlink_to("style.css")
    capsys.readouterr()
    assert main(["build", "--project", str(scratch), "--no-search"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "templates/page2.html: a symbolic link to a file outside the project is not allowed", LINK_OUT,
        "build failed: 2 error(s); nothing was written"]
    assert tree(scratch / "public") == before
    (scratch / "templates/static/passwd").unlink()
    (scratch / "templates/page2.html").unlink()
    assert main(["build", "--project", str(scratch), "--no-search"]) == 0
    assert (scratch / "public/assets/inside.css").read_bytes() == (scratch / "templates/static/style.css").read_bytes()


def test_a_template_that_raises_shows_the_overlay(server: Server, scratch: Path) -> None:
    edit(scratch, "templates/page.html", "{% block main %}", "{% block main %}{{ no_such_variable.x }}")
    problems = wait_until(lambda: server.status()["errors"])
    assert len(problems) == 1 and "'no_such_variable' is undefined" in problems[0]
    assert server.proc.poll() is None
    status, body = server.get("scratch/about/")
    assert status == 200 and 'id="threadline-errors"' in body and "A scratch investigation." in body
    edit(scratch, "templates/page.html", "{{ no_such_variable.x }}", "")
    wait_until(lambda: server.status()["ok"])


def test_the_terminal_shows_the_preview_address_with_its_subpath(server: Server) -> None:
    expected = f"preview at {server.origin}/scratch/\n"
    printed = []
    wait_until(lambda: printed.append(server.lines.get(timeout=10)) or expected in printed)


def test_a_fresh_draft_previews_with_its_banner_and_the_rest_works(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", scratch_files(**{"seeds/bare.txt": "it was said, in passing.\n"}))
    assert main(["new", "--project", str(project), "seeds/bare.txt"]) == 0
    running = start(project)
    try:
        assert running.status()["ok"]
        for path in ["scratch/", PAGE, "scratch/timeline/", "scratch/dossiers/"]:
            status, body = running.get(path)
            assert status == 200 and "threadline-draft" not in body and "threadline-errors" not in body, path
        status, body = running.get("scratch/dossiers/bare/")
        assert status == 200 and '<details id="threadline-draft" role="note"' in body and "undated" in body
        assert "<li>5: headline: &quot;TODO: write a headline&quot;</li>" in body
        assert "<li>7: published: TODO  # an EDTF date, e.g. 2024-10-25 or 2024-10</li>" in body
    finally:
        running.proc.terminate()
        running.proc.wait(timeout=10)


def test_the_previews_first_pass_keeps_the_open_data_and_the_second_completes_it(tmp_path: Path) -> None:
    """After an edit the pages come first; the open data (made from everything) follows in a second pass."""
    project = fixture_project(tmp_path / "project")
    session = Session(drafts="preview")
    _, before = build_in_memory(project, session)
    edit(project, "content/events/events.yaml", "first proposes the terminal site", "first proposes the terminal")
    session.defer_data = True
    _, first = build_in_memory(project, session)
    assert session.waiting  # a second pass is due
    session.defer_data = False
    _, second = build_in_memory(project, session)
    assert not session.waiting
    _, full = build_in_memory(project, Session(drafts="preview"))
    data = {path for path in full if path.startswith("data/")}
    assert data and any(before[path] != full[path] for path in data)  # the edit changes the open data
    assert {path: first[path] for path in data} == {path: before[path] for path in data}
    assert {path: first[path] for path in full if path not in data} == {path: full[path] for path in full if path not in data}
    assert second == full


# ---- measurement (not a test): python -m tests.test_serve ----

MEASURED = "content/dossiers/northwind-terminal-announced.yaml"


def measure(rounds: int = 20) -> list[float]:
    """Milliseconds from saving a sidecar to the reloaded page's bytes, `rounds` times."""
    with tempfile.TemporaryDirectory() as work:
        project = fixture_project(Path(work) / "project")
        server = start(project)
        try:
            return [asyncio.run(_one_round(server, project, n)) for n in range(rounds)]
        finally:
            server.proc.terminate()
            server.proc.wait(timeout=10)
            shutil.rmtree(work, ignore_errors=True)


async def _one_round(server: Server, project: Path, n: int) -> float:
    marker = f"Measured {n}."
    timing: dict[str, float] = {}

    def save() -> None:
        path = project / MEASURED
        text = re.sub(r"published_basis: .*", f"published_basis: {marker}", path.read_text())
        timing["saved"] = time.perf_counter()
        path.write_text(text)

    await reload_after(server, save)
    prefix = server.status()["prefix"]
    body = server.get(prefix.lstrip("/") + "dossiers/northwind-terminal-announced/")[1]
    assert marker in body
    return (time.perf_counter() - timing["saved"]) * 1000


if __name__ == "__main__":
    times = measure()
    print(f"save → reloaded page served, {len(times)} rounds: median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f} ms, max {max(times):.0f} ms")
