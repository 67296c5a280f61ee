"""What loading and annotating each file made, kept on disk between builds: used when it checks out, else ignored."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fixture_project, scratch_files, tree, write_project
from tests.test_drafts import ERRORS, TODOS
from tests.test_incremental import EDITS, incremental
from threadline.cli import main
from threadline.errors import Problem, Where
from threadline.inputs import load
from threadline.inputs.diskcache import TYPES, DiskCache, UnusableError, decode, encode, hash_of
from threadline.inputs.model import Dossier, Entity, Event
from threadline.inputs.reading import file_digest
from threadline.pipeline import analyse, build
from threadline.publish import modes, stamp
from threadline.text.annotate import Block


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (stamp.cache_folder(root) / modes.CACHE).rglob("*") if p.is_file())


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What was made again rather than taken from the cache: "load <path>" and "annotation <slug>"."""
    seen: list[str] = []
    load_one, annotate_one = load._load_one, modes._annotate_one
    monkeypatch.setattr(load, "_load_one", lambda root, path: (seen.append(f"load {path.name}"), load_one(root, path))[1])
    monkeypatch.setattr(modes, "_annotate_one", lambda context, slug: (seen.append(f"annotation {slug}"),
                                                                        annotate_one(context, slug))[1])
    return seen


def test_the_next_build_takes_each_files_load_and_annotation_from_the_cache(scratch: Path, tmp_path: Path,
                                                                           made: list[str]) -> None:
    incremental(scratch, tmp_path / "site")
    assert made == ["load example-report.yaml", "annotation example-report"]
    made.clear()
    incremental(scratch, tmp_path / "again")
    assert made == []
    assert tree(tmp_path / "again") == tree(tmp_path / "site")


def test_an_edited_sidecar_is_loaded_and_annotated_again(scratch: Path, tmp_path: Path, made: list[str]) -> None:
    incremental(scratch, tmp_path / "site")
    EDITS["sidecar note"](scratch)
    made.clear()
    incremental(scratch, tmp_path / "site")
    assert made == ["load example-report.yaml", "annotation example-report"]
    build(scratch, tmp_path / "full", search=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")


def test_what_no_build_uses_is_removed_so_the_cache_does_not_grow(scratch: Path, tmp_path: Path) -> None:
    incremental(scratch, tmp_path / "site")
    first = entries(scratch)
    (first[0].parent / f"{first[0].name}.12345").write_text("left by a write that was cut short")
    EDITS["sidecar note"](scratch)
    incremental(scratch, tmp_path / "site")
    after = entries(scratch)
    assert len(after) == len(first) and after != first  # the sidecar's old load and annotation are gone
    shutil.rmtree(stamp.cache_folder(scratch) / modes.CACHE)
    incremental(scratch, tmp_path / "again")
    assert entries(scratch) == after  # exactly what a build of the edited investigation keeps


def test_a_new_alias_annotates_every_dossier_again_from_its_kept_load(scratch: Path, tmp_path: Path,
                                                                      made: list[str]) -> None:
    incremental(scratch, tmp_path / "site")
    EDITS["entity alias"](scratch)
    made.clear()
    incremental(scratch, tmp_path / "site")
    assert made == ["annotation example-report"]
    build(scratch, tmp_path / "full", search=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")


def test_an_edited_seed_is_not_taken_from_the_cache(scratch: Path, tmp_path: Path, made: list[str]) -> None:
    """The sidecar is unchanged, but the seed its dossier was made from is not: the check of `also` finds it."""
    incremental(scratch, tmp_path / "site")
    (scratch / "seeds/a.txt").write_text((scratch / "seeds/a.txt").read_text() + "\nOne more line.\n")
    made.clear()
    assert main(["build", "--project", str(scratch), "--out", str(tmp_path / "site"), "--no-search"]) == 1
    assert made == ["load example-report.yaml"]


def rewrite_each(root: Path, change: Callable[[str, bytes], bytes]) -> None:
    for path in entries(root):
        path.write_bytes(change(path.name, path.read_bytes()))


def signed(key: str, body: dict) -> bytes:
    """An entry written as the cache writes one: a planter can compute the checksum too."""
    text = json.dumps(body)
    return hash_of(key, text).encode() + b"\n" + text.encode()


def planted_types(key: str, raw: bytes) -> bytes:
    body = json.loads(raw.partition(b"\n")[2])
    body["value"] = {"type": "Where", "fields": ["content/x.yaml", 1, 1]}  # not what the file makes
    return signed(key, body)


def planted_class(key: str, raw: bytes) -> bytes:
    body = json.loads(raw.partition(b"\n")[2])
    body["value"] = {"type": "Popen", "fields": [["rm", "-rf", "/"]]}
    return signed(key, body)


def planted_path(key: str, raw: bytes) -> bytes:
    body = json.loads(raw.partition(b"\n")[2])
    body["also"] = {"../outside.txt": "0" * 64}
    return signed(key, body)


SPOILED = {
    "corrupted": lambda key, raw: raw[:-20] + b"x" * 20,
    "truncated": lambda key, raw: raw[: len(raw) // 2],
    "not JSON": lambda key, raw: signed(key, {}).partition(b"\n")[0] + b"\n\x80\x81 not json",
    "empty": lambda key, raw: b"",
    "planted with the wrong types": planted_types,
    "planted with a class of its own": planted_class,
    "planted with a file outside the project": planted_path,
}


@pytest.mark.parametrize("spoil", sorted(SPOILED))
def test_a_spoiled_cache_is_ignored_and_the_site_is_the_same(scratch: Path, tmp_path: Path, made: list[str],
                                                            spoil: str) -> None:
    incremental(scratch, tmp_path / "site")
    rewrite_each(scratch, SPOILED[spoil])
    made.clear()
    incremental(scratch, tmp_path / "again")
    assert made == ["load example-report.yaml", "annotation example-report"]
    build(scratch, tmp_path / "full", search=False)
    assert tree(tmp_path / "again") == tree(tmp_path / "full")


def test_an_entry_under_another_key_is_foreign_and_ignored(scratch: Path, tmp_path: Path, made: list[str]) -> None:
    """Each entry's checksum covers its key: one copied under another's name is not taken for it."""
    incremental(scratch, tmp_path / "site")
    paths = [p for p in entries(scratch) if "." not in p.name]
    contents = [p.read_bytes() for p in paths]
    for path, content in zip(paths, [*contents[1:], contents[0]], strict=True):
        path.write_bytes(content)
    made.clear()
    incremental(scratch, tmp_path / "again")
    assert made == ["load example-report.yaml", "annotation example-report"]
    build(scratch, tmp_path / "full", search=False)
    assert tree(tmp_path / "again") == tree(tmp_path / "full")


def test_a_new_version_of_the_generator_does_not_use_the_cache(scratch: Path, tmp_path: Path, made: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    incremental(scratch, tmp_path / "site")
    monkeypatch.setattr(modes, "code_digest", lambda: "another version")
    made.clear()
    incremental(scratch, tmp_path / "again")
    assert made == ["load example-report.yaml", "annotation example-report"]


def test_drafts_found_loading_come_back_from_the_cache_with_their_places(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture) -> None:
    drafted = write_project(tmp_path / "p", scratch_files(**TODOS))
    for _ in range(2):  # made, then taken from the cache
        assert main(["build", "--project", str(drafted), "--no-search"]) == 1
        assert capsys.readouterr().err.splitlines() == [*ERRORS, "build failed: 3 error(s); nothing was written"]
    assert entries(drafted)


def test_only_the_models_types_decode_each_field_of_its_type() -> None:
    where = Where("content/a.yaml", 3, 4)
    assert decode(json.loads(json.dumps(encode((where, [where])))), tuple[Where, list[Where]]) == (where, [where])
    with pytest.raises(UnusableError, match="a str where a int belongs"):
        decode({"type": "Where", "fields": ["a", "3", 4]}, Where)
    with pytest.raises(UnusableError, match="not a Where"):
        decode({"type": "Path", "fields": ["/etc/passwd", 1, 1]}, Where)
    with pytest.raises(UnusableError, match="a bool where a int belongs"):
        decode({"type": "Where", "fields": ["a", True, 4]}, Where)
    with pytest.raises(UnusableError, match="Path is not kept"):
        encode(Path("a"))
    assert "Dossier" in TYPES and TYPES["Dossier"] is Dossier


def test_every_load_and_annotation_of_the_fixture_comes_back_from_json_equal_and_of_its_types(tmp_path: Path) -> None:
    inv = analyse(fixture_project(tmp_path / "project"))
    for kind, values in ((Entity, inv.project.entities), (Event, inv.project.events), (Dossier, inv.project.dossiers)):
        for value in values.values():
            assert decode(json.loads(json.dumps(encode(value))), kind) == value
    for doc in inv.docs.values():
        blocks = decode(json.loads(json.dumps(encode(doc.blocks))), list[Block])
        assert blocks == doc.blocks and [type(b) for b in blocks] == [Block] * len(blocks)
    problem = Problem("content/a.yaml", 2, 3, "a message", "a hint", "draft")
    assert decode(json.loads(json.dumps(encode([problem]))), list[Problem]) == [problem]


def test_the_cache_takes_a_files_hash_from_the_builds_reading_only_while_its_stat_holds(tmp_path: Path) -> None:
    """DiskCache.file_hash: the hash stamp.read_inputs took, unless the file changed since or is a link; else read."""
    root = write_project(tmp_path / "p", scratch_files())
    sidecar_path = root / "content/dossiers/example-report.yaml"
    inputs = stamp.read_inputs(root)
    cache = DiskCache(root, tmp_path / "cache", "code", inputs.hashes)
    stat_key, digest = inputs.hashes[str(sidecar_path)]
    assert cache.file_hash(sidecar_path) == digest == file_digest(sidecar_path.read_bytes())
    planted = DiskCache(root, tmp_path / "cache", "code", {str(sidecar_path): (stat_key, "planted")})
    assert planted.file_hash(sidecar_path) == "planted"  # its reading is the build's own, not read again
    sidecar_path.write_text(sidecar_path.read_text() + "\n")  # the stat moves on: read again
    assert planted.file_hash(sidecar_path) == file_digest(sidecar_path.read_bytes())
    link = root / "content/dossiers/link.yaml"
    link.symlink_to(sidecar_path)
    held = DiskCache(root, tmp_path / "cache", "code", {str(link): (tuple(stamp.read_inputs(root).hashes[str(link)][0]),
                                                                 "planted")})
    assert held.file_hash(link) == file_digest(sidecar_path.read_bytes())  # a link is always read, as the build reads it
