"""The dev server told by the system which files changed (watch.Notifications): it looks at no other file.

What it keeps for the files not named must be exactly what a full build reads: after each kind of edit,
told the paths as the system reports them, the preview's site equals a full build's. Where the system
stops telling (a watched folder removed), the server polls.
"""

from __future__ import annotations

import queue
import random
import shutil
from pathlib import Path

import pytest

from tests.conftest import tree
from tests.test_delta import EDITS
from threadline.errors import Problems
from threadline.inputs.cache import FileCache
from threadline.pipeline import Session, build, build_in_memory
from threadline.preview.serve import Preview
from threadline.preview.watch import Notifications
from threadline.preview.watcher import Watcher
from threadline.tools.synth import synthesise

WAIT_S = 10  # for the system's word: it comes in tens of milliseconds; this only bounds a broken watch


def batches(reports: queue.Queue) -> list[tuple[bool, str]]:
    """Every path reported for an edit: the first batch, then any more until the folders are quiet for a while."""
    found = list(reports.get(timeout=WAIT_S))
    try:
        while True:
            found += reports.get(timeout=0.3)
    except queue.Empty:
        return found


def told(session: Session, found: list[tuple[bool, str]]) -> None:
    """As watcher.hand_over tells the build."""
    session.files.changed = {path for _, path in found}
    session.files.listed = {str(Path(path).parent) for made, path in found if made}


def test_a_preview_told_only_the_changed_paths_equals_a_full_build(tmp_path: Path) -> None:
    root = synthesise(60, tmp_path / "project", entities=10, seed=5).resolve()
    (root / "site.yaml").write_text((root / "site.yaml").read_text().replace("false", "true"))  # cards too
    rng, session, reports = random.Random(7), Session(), queue.Queue()
    build_in_memory(root, session)
    notifications = Notifications(root, reports.put).start().wait()
    try:
        for k, edit in enumerate([*EDITS, *EDITS]):
            edit(root, rng)
            told(session, batches(reports))
            _, files = build_in_memory(root, session)
            build(root, tmp_path / f"full-{k}", search=False)
            assert files == tree(tmp_path / f"full-{k}"), edit
    finally:
        notifications.stop()


def test_a_file_not_named_keeps_its_last_reading(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    path, other = tmp_path / "a/one.yaml", tmp_path / "a/two.yaml"
    path.write_text("first")
    cache, problems = FileCache(), Problems()

    def read() -> str:
        cache.begin()
        return cache.get((path,), lambda found: path.read_text(), problems)

    def listing() -> list[str]:
        return [p.name for p in cache.listing(tmp_path / "a", "*.yaml", lambda found: sorted((tmp_path / "a").glob("*.yaml")),
                                              problems)]

    assert (read(), listing()) == ("first", ["one.yaml"])
    path.write_text("second, longer")
    other.write_text("made")
    cache.changed = set()  # told of nothing: the last reading and listing stand
    assert (read(), listing()) == ("first", ["one.yaml"])
    cache.changed = {str(path)}  # written: read again; the listing stands, since nothing was made or removed
    assert (read(), listing()) == ("second, longer", ["one.yaml"])
    cache.changed, cache.listed = {str(other)}, {str(tmp_path / "a")}  # made: listed again
    assert (read(), listing()) == ("second, longer", ["one.yaml", "two.yaml"])
    path.write_text("third")
    cache.changed = {str(tmp_path / "a")}  # a folder moved or removed whole: everything inside it is looked at again
    assert (read(), listing()) == ("third", ["one.yaml", "two.yaml"])
    path.write_text("fourth!")
    assert read() == "fourth!"  # told nothing at all (a poll's build): every file is looked at


def test_a_file_read_through_a_link_is_looked_at_again(tmp_path: Path) -> None:
    target, link = tmp_path / "target.txt", tmp_path / "link.txt"
    target.write_text("first")
    link.symlink_to(target)
    cache, problems = FileCache(), Problems()

    def read() -> str:
        cache.begin()
        return cache.get((link,), lambda found: link.read_text(), problems)

    assert read() == "first"
    target.write_text("second, longer")
    cache.changed = {str(target)}  # the system names the file written, not the link to it
    assert read() == "second, longer"


@pytest.fixture
def watched(tmp_path: Path) -> Path:
    root = synthesise(3, tmp_path / "project", entities=3, seed=1).resolve()
    (root / "templates").mkdir(exist_ok=True)
    return root


def test_notifications_of_a_missing_folder_say_so(tmp_path: Path) -> None:
    reports: queue.Queue = queue.Queue()
    notifications = Notifications(tmp_path, reports.put).start()  # no seeds/, content/ or templates/ here
    assert reports.get(timeout=WAIT_S) is None
    notifications.stop()


def test_the_watcher_polls_once_a_watched_folder_is_gone(watched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    watcher, reports = Watcher(Preview(watched)), queue.Queue()
    watcher.notifications = Notifications(watched, reports.put).start().wait()
    try:
        assert not watcher.due()
        shutil.move(watched / "templates", watched / "templates-old")
        (watched / "templates").mkdir()
        assert watcher.due()  # a rebuild that looks at every file
        assert watcher.notifications is None
        assert capsys.readouterr().err == "watching by polling: a watched folder was removed or replaced\n"
        (watched / "site.yaml").write_text((watched / "site.yaml").read_text() + "\n")
        assert not watcher.due() and watcher.due()  # polling: a change, then a quiet poll
    finally:
        watcher.stop()


def test_a_notified_change_is_handed_to_the_next_build_and_only_once(watched: Path) -> None:
    watcher, reports = Watcher(Preview(watched)), queue.Queue()
    watcher.notifications = Notifications(watched, reports.put).start().wait()
    try:
        sidecar = next((watched / "content/dossiers").glob("*.yaml"))
        sidecar.write_text(sidecar.read_text() + "\n")
        watcher.notified(batches(reports))
        (watched / "site.yaml").write_text((watched / "site.yaml").read_text() + "\n")
        assert watcher.due() and not watcher.due()  # one rebuild for both
        watcher.hand_over()
        files = watcher.preview.session.files
        assert files.changed == {str(sidecar), str(watched / "site.yaml")}
        assert files.listed == {str(watched)}  # site.yaml is looked at, not notified: taken as made
        watcher.hand_over()
        assert files.changed == set()
    finally:
        watcher.stop()


def test_a_workbench_write_is_named_to_the_build_and_its_notification_not_built_again(watched: Path) -> None:
    watcher, written = Watcher(Preview(watched)), watched / "content/events/new.yaml"
    watcher.notifications = Notifications(watched, lambda batch: None)  # never started: the test tells
    watcher.building = True  # so the nudge only marks the rebuild due
    written.write_text("[]\n")
    watcher.nudge([written])
    watcher.hand_over()
    assert watcher.preview.session.files.changed == {str(written)}
    assert watcher.preview.session.files.listed == {str(watched / "content/events")}
    assert watcher.dirty
    watcher.dirty = False
    watcher.notified([(True, str(written))])  # the system's word on the same write, after the nudge
    assert not watcher.dirty and not watcher.changed  # already built: the page would reload twice
    written.write_text("[]\n\n")  # the editor saves it again
    watcher.notified([(False, str(written))])
    assert watcher.dirty and watcher.changed == {str(written)}


def test_a_burst_is_one_batch(watched: Path) -> None:
    reports: queue.Queue = queue.Queue()
    notifications = Notifications(watched, reports.put).start().wait()
    try:
        paths = sorted((watched / "content/dossiers").glob("*.yaml"))
        for path in paths:
            path.write_text(path.read_text() + "\n")
        assert {path for _, path in batches(reports)} == {str(p) for p in paths}
    finally:
        notifications.stop()
