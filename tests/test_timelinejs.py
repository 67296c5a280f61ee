"""data/timelinejs.json in TimelineJS itself: Knight Lab's TimelineJS 3 from npm, in headless Chromium.

TimelineJS is installed by `.ci/test-deps` (which .ci/run and the Pages workflow run) into
.test-deps/ (git-ignored), at the version pinned there, or found at $THREADLINE_TIMELINEJS (its
dist/ folder). Where it or Chromium is missing the test skips, saying how to install it, unless
THREADLINE_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_browser import browser, unavailable  # noqa: F401 (browser is a fixture)
from threadline.data.timelinejs import TITLE_ID

pytestmark = pytest.mark.browser

INSTALLER = REPO / ".ci" / "test-deps"
VERSION = re.search(r"@knight-lab/timelinejs@([0-9.]+)", INSTALLER.read_text(encoding="utf-8"))[1]
PACKAGE = REPO / ".test-deps" / "node_modules" / "@knight-lab" / "timelinejs"
INSTALL = "bash .ci/test-deps"
HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
<link rel="stylesheet" href="timelinejs/css/timeline.css"><script src="timelinejs/js/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 1200px; height: 700px"></div>
<script>
window.loaded = false;
// Its own script path (TimelineJS loads a font's CSS from its CDN otherwise) and the browser's fonts:
// nothing comes from elsewhere.
const timeline = new TL.Timeline("timeline-embed", "timelinejs.json", {script_path: "timelinejs/js/", font: null});
timeline.on("loaded", () => { window.loaded = true; });
</script></body></html>
"""


def timelinejs_dist() -> Path:
    """TimelineJS's dist/ folder, at the version .ci/run installs; skip (or fail in CI) without it."""
    dist = Path(os.environ["THREADLINE_TIMELINEJS"]) if os.environ.get("THREADLINE_TIMELINEJS") else PACKAGE / "dist"
    if not (dist / "js" / "timeline.js").is_file():
        unavailable(f"TimelineJS not found at {dist}: run `{INSTALL}`")
    if "THREADLINE_TIMELINEJS" not in os.environ:
        installed = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
        assert installed == VERSION, f"TimelineJS {installed} installed, the tests expect {VERSION}: run `{INSTALL}`"
    return dist


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def harness(fixture_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A page that embeds the fixture's timelinejs.json with TimelineJS, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("timelinejs")
    dist = timelinejs_dist()
    shutil.copytree(dist, folder / "timelinejs")
    shutil.copy(fixture_site / "data" / "timelinejs.json", folder / "timelinejs.json")
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


SLIDES = """() => Array.from(document.querySelectorAll('.tl-slide')).filter(s => s.id).map(s => ({
  id: s.id,
  headline: (s.querySelector('.tl-headline') || {}).textContent,
  date: (s.querySelector('.tl-headline-date') || {}).textContent,
  links: Array.from(s.querySelectorAll('.tl-text-content a')).map(a => a.getAttribute('href')),
}))"""


def test_timelinejs_renders_every_event_with_its_date_status_and_quotes(browser, harness: str,  # noqa: F811
                                                                         fixture_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(harness)
    page.wait_for_function("window.loaded === true", timeout=20_000)
    slides = {s["id"]: s for s in page.evaluate(SLIDES)}
    markers = page.eval_on_selector_all(".tl-timemarker", "els => els.length")
    context.close()
    events = json.loads((fixture_site / "data" / "events.json").read_text(encoding="utf-8"))
    assert errors == []
    assert [r for r in requests if not r.startswith(harness)] == [], "TimelineJS fetched something from elsewhere"
    assert markers == len(events)
    assert sorted(slides) == sorted([TITLE_ID, *(e["id"] for e in events)])
    base = "https://example.github.io/varnholm/"
    for event in events:
        slide = slides[event["id"]]
        assert slide["headline"] == event["title"]
        assert slide["date"] == event["display_date"]
        assert {base + s["url"] for s in event["sources"]} <= set(slide["links"])
