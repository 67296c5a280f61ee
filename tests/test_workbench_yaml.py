"""The workbench's YAML edits change only the lines they must: exact texts, and the rest kept byte for byte."""

from __future__ import annotations

import difflib
from textwrap import dedent

import pytest

from threadline.preview.workbench.yamledit import (
    EditError,
    append,
    drop_todo_comments,
    remove_item,
    remove_key,
    scalar,
    set_value,
)

SIDECAR = dedent("""\
    # yaml-language-server: $schema=../../schemas/dossier.schema.json
    seed: report.txt
    outlet: null  # TODO confirm: which outlet?
    outlet_basis: >-
      TODO: how we know,
      over two lines
    boilerplate:  # lines that are not the article
      - Share this
    notes: []
    events:
      - event: first
        quote: "It was said."  # checked

    # The end: a comment the editor wrote.
    """)

ENTITIES = dedent("""\
    # People.

    - id: anna
      kind: person
      name: Anna
      aliases: [Anya]

    - id: boris
      kind: person
      name: Boris
    """)


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a diff shows as removed (-) or added (+)."""
    return [line.rstrip("\n") for line in difflib.ndiff(before.splitlines(True), after.splitlines(True))
            if line[:1] in "+-"]


def test_appending_to_a_block_list_adds_only_the_item_at_its_indentation() -> None:
    after = append(SIDECAR, (), "events", {"event": "second", "quote": "Then: more."})
    assert changed_lines(SIDECAR, after) == ["+   - event: second", '+     quote: "Then: more."']
    assert after.index("second") < after.index("# The end")


def test_appending_to_an_empty_flow_list_makes_a_block_list_and_keeps_the_comment() -> None:
    after = append(SIDECAR, (), "notes", {"passage": "said", "text": "A *note*."})
    assert changed_lines(SIDECAR, after) == ["- notes: []", "+ notes:", "+   - passage: said", '+     text: "A *note*."']


def test_a_missing_list_is_added_after_the_last_key() -> None:
    after = append(SIDECAR, (), "unlinked", "Cold War")
    assert changed_lines(SIDECAR, after) == ["+ unlinked:", "+   - Cold War"]
    assert after.endswith('  # checked\nunlinked:\n  - Cold War\n\n# The end: a comment the editor wrote.\n')


def test_a_flow_list_stays_a_flow_list() -> None:
    after = append(ENTITIES, (0,), "aliases", "Anja")
    assert changed_lines(ENTITIES, after) == ["-   aliases: [Anya]", "+   aliases: [Anya, Anja]"]


def test_a_new_top_level_item_keeps_the_blank_line_between_items() -> None:
    after = append(ENTITIES, (), "", {"id": "clara", "kind": "person", "name": "Clara"})
    assert after == ENTITIES + "\n- id: clara\n  kind: person\n  name: Clara\n"


def test_a_new_alias_list_goes_inside_its_item() -> None:
    after = append(ENTITIES, (1,), "aliases", "Mr Boris")
    assert after.endswith("  name: Boris\n  aliases:\n    - Mr Boris\n")


def test_setting_a_value_replaces_its_line_and_drops_its_todo_comment() -> None:
    after = set_value(SIDECAR, (), "outlet", "Daily Ledger")
    assert changed_lines(SIDECAR, after) == ["- outlet: null  # TODO confirm: which outlet?", "+ outlet: Daily Ledger"]


def test_setting_a_folded_value_replaces_all_its_lines() -> None:
    after = set_value(SIDECAR, (), "outlet_basis", "The masthead.")
    assert sorted(changed_lines(SIDECAR, after)) == ["+ outlet_basis: The masthead.", "-   TODO: how we know,",
                                                     "-   over two lines", "- outlet_basis: >-"]
    assert "\noutlet_basis: The masthead.\nboilerplate:" in after


def test_a_comment_that_is_not_a_todo_stays() -> None:
    text = "a: 1  # the editor's own comment\nb: 2\n"
    assert set_value(text, (), "a", "x") == "a: x  # the editor's own comment\nb: 2\n"


def test_removing_an_item_takes_its_blank_line_with_it() -> None:
    assert remove_item(ENTITIES, (), 0) == "# People.\n\n- id: boris\n  kind: person\n  name: Boris\n"
    assert remove_item(ENTITIES, (), 1) == ENTITIES.removesuffix("\n- id: boris\n  kind: person\n  name: Boris\n")


def test_removing_a_key() -> None:
    text = "TODO_confirm: true\nseed: a.txt\n"
    assert remove_key(text, (), "TODO_confirm") == "seed: a.txt\n"


def test_todo_comments_of_one_item_go_and_no_other() -> None:
    text = "- id: a  # TODO confirm\n  kind: person  # TODO confirm: kind\n- id: b  # TODO confirm\n"
    assert drop_todo_comments(text, (0,)) == "- id: a\n  kind: person\n- id: b  # TODO confirm\n"


@pytest.mark.parametrize(("value", "written"), [
    ("Elon Musk", "Elon Musk"), ("2024-07-12", '"2024-07-12"'), ("yes", '"yes"'), ("Musk: the talks", '"Musk: the talks"'),
    ("a # b", '"a # b"'), (" padded", '" padded"'), ("Наталья", '"Наталья"'), ("He said “no”", "He said “no”"),
    (None, "null"), ("It's", '"It\'s"'), ("line\nbreak", '"line\\nbreak"'), ("- dash", '"- dash"'),
])
def test_scalars_read_back_as_the_same_string(value: str | None, written: str) -> None:
    assert scalar(value) == written


def test_a_file_that_is_not_yaml_is_refused_with_a_reason() -> None:
    with pytest.raises(EditError, match="the file is not valid YAML"):
        append("a: [unclosed\n", (), "a", "x")


def test_a_path_that_is_not_there_is_refused() -> None:
    with pytest.raises(EditError, match="no 5 in the file"):
        append(ENTITIES, (5,), "aliases", "x")


def test_appending_to_a_scalar_is_refused() -> None:
    with pytest.raises(EditError, match="seed is not a list"):
        append(SIDECAR, (), "seed", "x")
