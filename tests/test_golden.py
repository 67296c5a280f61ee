"""One golden build of the fixture investigation: any change to what readers see shows up here as a diff."""

import difflib
from pathlib import Path

from tests.conftest import fixture_project
from tests.golden import GOLDEN, site_files
from threadline.pipeline import build


def test_the_fixture_site_matches_its_golden_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(fixture_project(tmp_path / "project"), out, search=False)
    built, golden = site_files(out), site_files(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or removed: run `make golden` if intended"
    for path in sorted(built):
        if built[path] != golden[path]:
            diff = difflib.unified_diff(golden[path].decode(errors="replace").splitlines(),
                                        built[path].decode(errors="replace").splitlines(), "golden", "built", lineterm="", n=1)
            raise AssertionError(f"{path} differs (run `make golden` if intended):\n" + "\n".join(list(diff)[:40]))
