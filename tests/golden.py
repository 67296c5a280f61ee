"""The golden build: `make golden` (python -m tests.golden) rewrites tests/golden/ from tests/fixture/.

tests/golden/ is the expected build of the fixture investigation (tests/fixture/, with the repository's
templates), never of the live one, so editors publish without touching it. Run it after an intended
change to the templates, the generator or the fixture, and review the diff
(`git diff tests/golden`) before committing: it shows exactly what readers will see change.
The search bundle is left out (an external indexer's binary output), and so are the preview images
(rasterised with the machine's fonts; tests/test_pages.py holds them).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.conftest import REPO, fixture_project
from threadline.pipeline import build

GOLDEN = REPO / "tests" / "golden"
SKIPPED = ("pagefind/", "og/")  # the preview images are held by tests/test_pages.py, not byte for byte here


def site_files(out: Path) -> dict[str, bytes]:
    """Every file of a built site but the search bundle, by path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith(SKIPPED)}


def regenerate() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        build(fixture_project(Path(tmp) / "project"), out, search=False)
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, content in site_files(out).items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(content)
    print(f"wrote {len(site_files(GOLDEN))} files to {GOLDEN.relative_to(REPO)}; review with git diff")
    return 0


if __name__ == "__main__":
    sys.exit(regenerate())
