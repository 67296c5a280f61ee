"""A rebuild rewrites the site before last in place: only what changed is written, created or removed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import search_records, tree
from threadline.pipeline import build
from threadline.publish.write import previous_of, recover


def edit_about(root: Path, text: str) -> None:
    (root / "content/pages/about.md").write_text(f"# About\n\n{text}\n", encoding="utf-8")


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def twice_built(scratch: Path) -> Path:
    """A site built, then rebuilt after an edit: the first site is now kept as the previous one."""
    build(scratch, scratch / "public")
    edit_about(scratch, "First edit.")
    build(scratch, scratch / "public")
    assert previous_of(scratch / "public").is_dir()
    return scratch


def test_a_rebuild_rewrites_the_previous_site_in_place_and_equals_a_fresh_build(twice_built: Path,
                                                                                 tmp_path: Path) -> None:
    out, previous = twice_built / "public", previous_of(twice_built / "public")
    before = inodes(previous)
    edit_about(twice_built, "Second edit.")
    build(twice_built, out)
    build(twice_built, tmp_path / "fresh")
    assert tree(out) == tree(tmp_path / "fresh")
    after = inodes(out)
    # Every page file outlives the rebuild, the changed ones too: they are overwritten, not replaced.
    # (The search bundle is made again whole; a new file of it may get a freed inode number.)
    pages = [path for path in after if not path.startswith("pagefind/")]
    kept = [path for path in pages if before.get(path) == after[path]]
    assert sorted(kept) == sorted(pages)
    assert b"Second edit." in (out / "about/index.html").read_bytes()
    assert "/about/" in search_records(out)  # the search bundle was made again, not reused


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_the_site_is_readable_as_the_umask_allows(scratch: Path, umask: int) -> None:
    """A web server running as another user may serve public/: it is made as mkdir would make it, not for its owner alone."""
    before = os.umask(umask)
    try:
        build(scratch, scratch / "public", search=False)
    finally:
        os.umask(before)
    assert (scratch / "public").stat().st_mode & 0o777 == 0o777 & ~umask


def test_files_the_site_no_longer_has_are_removed(twice_built: Path, tmp_path: Path) -> None:
    previous = previous_of(twice_built / "public")
    (previous / "stray.html").write_text("old page")
    (previous / "gone/deeper").mkdir(parents=True)
    (previous / "gone/deeper/index.html").write_text("old page")
    (twice_built / "content/pages/about.md").unlink()
    build(twice_built, twice_built / "public")
    build(twice_built, tmp_path / "fresh")
    assert tree(twice_built / "public") == tree(tmp_path / "fresh")
    assert not (twice_built / "public/gone").exists() and not (twice_built / "public/about").exists()


def test_a_rebuild_never_writes_through_a_link_in_the_previous_site(twice_built: Path, tmp_path: Path) -> None:
    previous = previous_of(twice_built / "public")
    victim, outside = tmp_path / "victim.html", tmp_path / "outside"
    victim.write_text("keep me")
    outside.mkdir()
    (previous / "about/index.html").unlink()
    os.link(victim, previous / "about/index.html")  # a second name for a file outside the site
    (previous / "places/moscow/index.html").unlink()
    (previous / "places/moscow").rmdir()
    (previous / "places/moscow").symlink_to(outside, target_is_directory=True)
    (previous / "dossiers").rename(tmp_path / "dossiers-aside")
    (previous / "dossiers").symlink_to(tmp_path / "dossiers-aside", target_is_directory=True)
    edit_about(twice_built, "Second edit.")
    build(twice_built, twice_built / "public")
    assert victim.read_text() == "keep me" and list(outside.iterdir()) == []
    build(twice_built, tmp_path / "fresh")
    assert tree(twice_built / "public") == tree(tmp_path / "fresh")
    assert not (twice_built / "public/dossiers").is_symlink()


def test_a_build_killed_between_the_two_renames_gets_its_site_back(tmp_path: Path) -> None:
    out = tmp_path / "public"
    previous = previous_of(out)
    previous.mkdir()
    (previous / "index.html").write_text("the site")  # moved aside; the new one was not yet in place
    (tmp_path / ".public.new-x1").mkdir()
    (tmp_path / ".public.swapping").touch()
    recover(out)
    assert (out / "index.html").read_text() == "the site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.previous", "public"]  # the new tree, to reuse


def test_a_failed_build_after_the_site_was_removed_does_not_bring_an_old_one_back(twice_built: Path,
                                                                                   monkeypatch) -> None:
    shutil.rmtree(twice_built / "public")  # an editor clears the output; the previous site is still kept

    def failing_render(*args, **kwargs):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr("threadline.pipeline.render_site", failing_render)
    with pytest.raises(RuntimeError):
        build(twice_built, twice_built / "public")
    assert not (twice_built / "public").exists()


def test_a_link_in_place_of_the_previous_site_is_never_written_through(scratch: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    build(scratch, scratch / "public")
    previous_of(scratch / "public").symlink_to(outside, target_is_directory=True)
    edit_about(scratch, "First edit.")
    build(scratch, scratch / "public")
    assert list(outside.iterdir()) == []
    assert not (scratch / "public").is_symlink() and b"First edit." in (scratch / "public/about/index.html").read_bytes()
    assert previous_of(scratch / "public").is_dir() and not previous_of(scratch / "public").is_symlink()
