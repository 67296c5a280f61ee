"""Full-text search: Pagefind indexes the written site before it is swapped in.

Pagefind (PyPI `pagefind[bin]`, which ships the binary in its wheel) reads the HTML pages and
writes its bundle into `pagefind/` beside them. Pages opt in with `data-pagefind-body`, so only
dossiers, entity pages and free pages are indexed; the search page loads the bundle by a
relative URL, so search works under any subpath and with no third-party request.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import BuildError, Problem

BUNDLE = "pagefind"


def pagefind_available() -> bool:
    try:
        from pagefind.service import _must_get_executable  # noqa: F401
    except ImportError:
        return False
    return True


def index_site(folder: Path) -> None:
    """Write the Pagefind bundle into `folder`; a failure stops the build with Pagefind's message."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", BUNDLE, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise BuildError([Problem("pagefind", 0, 0, f"search indexing failed: {message}")])
