"""Mentions: longest alias wins, whole words only, possessives link the name, case-sensitive."""

from pathlib import Path

from threadline.errors import Where
from threadline.inputs.model import Entity
from threadline.text.annotate import AliasIndex


def entity(ident: str, *spellings: str) -> Entity:
    return Entity(ident, "person", spellings[0], spellings[1:], "", None, Where("x.yaml"))


INDEX = AliasIndex([
    entity("elon-musk", "Elon Musk", "Musk", "Mr Musk"),
    entity("jack-ma", "Jack Ma", "Ma", "Mr Ma"),
    entity("putin", "Vladimir Putin", "Putin", "President Vladimir Putin"),
])


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], ident) for s, e, ident in INDEX.find(text)]


def test_longest_alias_wins() -> None:
    assert found("President Vladimir Putin met Elon Musk.") == [
        ("President Vladimir Putin", "putin"), ("Elon Musk", "elon-musk")]


def test_whole_words_only() -> None:
    assert found("Ma went to Mars in May; Mayhem for Ma.") == [("Ma", "jack-ma"), ("Ma", "jack-ma")]


def test_possessives_link_the_name() -> None:
    assert found("Musk's rockets, Musk’s cars, Mr Ma’s shares") == [
        ("Musk", "elon-musk"), ("Musk", "elon-musk"), ("Mr Ma", "jack-ma")]


def test_case_sensitive() -> None:
    assert found("musk and MUSK and Musk") == [("Musk", "elon-musk")]


def test_punctuation_and_hyphens_bound_words() -> None:
    assert found("a Musk-Putin meeting (“Musk”)") == [("Musk", "elon-musk"), ("Putin", "putin"), ("Musk", "elon-musk")]


def test_one_pass_per_document_not_per_alias() -> None:
    """The index looks words up by their first word: its size does not grow the scan."""
    many = AliasIndex([entity(f"e{i}", f"Name{i} Surname{i}", f"Surname{i}") for i in range(5000)])
    assert [t for _, _, t in many.find("Surname4999 met Name12 Surname12 and Name12.")] == ["e4999", "e12"]
    assert len(many.by_first_word["Name12"]) == 1


def test_mentions_are_anchored_in_reading_order(scratch: Path) -> None:
    from threadline.pipeline import analyse

    inv = analyse(scratch)
    doc = inv.docs["example-report"]
    anchors = [span.anchor for _, span in doc.spans("mention")]
    assert anchors == [f"m-{n}" for n in range(1, len(anchors) + 1)]
    texts = [block.text[span.start:span.end] for block, span in doc.spans("mention")]
    assert texts == ["Musk", "Putin", "Moscow", "Elon Musk", "Vladimir Putin", "Moscow", "Kremlin",
                     "Mr Musk", "Putin", "Musk"]
