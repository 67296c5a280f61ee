"""The hint for a passage that is not in its seed says where it differs and names what cannot be seen."""

from __future__ import annotations

import pytest

from tests.conftest import SEED, scratch_files, sidecar, write_project
from threadline.cli import main
from threadline.inputs.hints import COPY_EXACTLY, closest_hint

LINES = ["Mr Musk’s visit followed talks in February.", "It ended\u00a0on Friday.", "Nothing was signed."]


@pytest.mark.parametrize(("typed", "expected"), [
    ("Mr Musk's visit", "the closest passage in the seed is 'Mr Musk’s visit'; they first differ at character 8, "
                        "where yours has \"'\" and the seed has '’' (U+2019 RIGHT SINGLE QUOTATION MARK)"),
    ("It ended on Friday", "the closest passage in the seed is 'It ended\\xa0on Friday'; they first differ at character 9, "
                           "where yours has a space and the seed has an invisible character (U+00A0 NO-BREAK SPACE)"),
    ("talks in March", "the closest passage in the seed is 'talks in February'; they first differ at character 10, "
                       "where yours has 'M' and the seed has 'F'"),
    ("on Friday. Nothing was", "it runs across two paragraphs of the seed (lines 2 and 3); "
                               "a quote lies within one paragraph: cite each part on its own"),
    ("Quite unrelated words", COPY_EXACTLY),
])
def test_the_hint_shows_where_a_passage_differs_from_the_seed(typed: str, expected: str) -> None:
    assert closest_hint(typed, LINES) == expected


def test_a_quote_across_two_paragraphs_names_their_lines_in_the_seed(tmp_path, capsys) -> None:
    extra = "  - event: february-talks\n    quote: on Friday, the Kremlin said. Source link\n"
    files = scratch_files(**{"content/dossiers/example-report.yaml": sidecar("a.txt", SEED, "") + extra})
    files["content/dossiers/example-report.yaml"] = files["content/dossiers/example-report.yaml"].replace(
        "quote: on Friday, the Kremlin said. Source link", "quote: Moscow on Friday, the Kremlin said. Mr Musk’s visit")
    project = write_project(tmp_path / "p", files)
    assert main(["check", "--project", str(project)]) == 1
    assert ("content/dossiers/example-report.yaml:22:5: quote not found in seed 'a.txt': "
            "'Moscow on Friday, the Kremlin said. Mr Musk’s visit' (it runs across two paragraphs of the seed "
            "(lines 3 and 7); a quote lies within one paragraph: cite each part on its own)") in capsys.readouterr().err
