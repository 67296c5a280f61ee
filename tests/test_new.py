"""`build.py new seeds/<file>` on an article it has never seen, written here."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import scratch_files, write_project
from threadline.cli import main
from threadline.inputs.todo import CONFIRM_KEY
from threadline.tools.draft import resolve, slug_for
from threadline.tools.guess import names, slug

ARTICLE = """\
Harbour deal signed as Musk visits Lisbon port

25 October 2024 06:06

Elon Musk toured the port of Lisbon on Friday with Maria Teixeira, the port's director.

The deal was first discussed in February, and talks stalled at the end of last year.

Putin was not mentioned. Officials said a second phase could follow in May.

3 min read

Related Articles

What do you think? Leave a comment?
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "p", scratch_files(**{"seeds/lisbon_Port 2024.txt": ARTICLE}))


def draft_of(project: Path) -> tuple[str, dict]:
    assert main(["new", "--project", str(project), "seeds/lisbon_Port 2024.txt"]) == 0
    text = (project / "content/dossiers/lisbon-port-2024.yaml").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def test_the_draft_holds_what_the_seed_says(project: Path) -> None:
    text, data = draft_of(project)
    assert data["seed"] == "lisbon_Port 2024.txt"
    assert data["sha256"] == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert data["headline"] == "Harbour deal signed as Musk visits Lisbon port" and data["headline_by"] == "source"
    assert str(data["published"]) == "2024-10-25"
    assert "'25 October 2024' on line 3" in data["published_basis"]
    assert data["boilerplate"] == ["25 October 2024 06:06", "3 min read", "Related Articles",
                                   "What do you think? Leave a comment?"]
    assert "#   elon-musk: 2\n" in text and "#   vladimir-putin: 1\n" in text


def drafted_stubs(tmp_path: Path, name: str, seed: str) -> list[dict]:
    """The stub entities `new` drafts from a seed, in a project of its own."""
    root = write_project(tmp_path / "p", scratch_files(**{f"seeds/{name}.txt": seed}))
    assert main(["new", "--project", str(root), f"seeds/{name}.txt"]) == 0
    return yaml.safe_load((root / f"content/entities/{name}.yaml").read_text(encoding="utf-8"))


def stubs(project: Path, kind: str) -> list[dict]:
    return yaml.safe_load((project / f"content/{kind}/lisbon-port-2024.yaml").read_text(encoding="utf-8"))


def test_every_unknown_name_gets_a_stub_entity_of_a_guessed_kind(project: Path) -> None:
    draft_of(project)
    assert [(e["id"], e["kind"], e["name"]) for e in stubs(project, "entities")] == [
        ("lisbon", "place", "Lisbon"), ("maria-teixeira", "person", "Maria Teixeira")]


def test_every_date_expression_gets_a_stub_event_cited_with_its_sentence(project: Path) -> None:
    _, data = draft_of(project)
    events = stubs(project, "events")
    assert [(str(e["date"]), e["entities"]) for e in events] == [
        ("2024-10-25", ["elon-musk", "lisbon", "maria-teixeira"]), ("2024-02", []), ("2023-36", []), ("2024-05", [])]
    assert events[0]["date_basis"] == (
        "TODO confirm: 'on Friday' on line 5, in a report published on Friday 25 October 2024.")
    stalled = "The deal was first discussed in February, and talks stalled at the end of last year."
    assert data["events"] == [
        {"event": "lisbon-port-2024-event-1",
         "quote": "Elon Musk toured the port of Lisbon on Friday with Maria Teixeira, the port's director."},
        {"event": "lisbon-port-2024-event-2", "quote": stalled}, {"event": "lisbon-port-2024-event-3", "quote": stalled},
        {"event": "lisbon-port-2024-event-4", "quote": "Officials said a second phase could follow in May."}]


def test_a_seed_of_one_long_line_is_split_into_sentences_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF's text may come as one line holding hundreds of dates: each stub's sentence is found in one pass."""
    from threadline.tools import guess

    body = " ".join(f"Officials met on {day} March 2024 in Lisbon." for day in range(1, 29))
    project = write_project(tmp_path / "p", scratch_files(**{"seeds/long.txt": f"One long line\n\n{body}\n"}))
    passes: list[str] = []
    split = guess.sentences
    monkeypatch.setattr(guess, "sentences", lambda line: passes.append(line) or split(line))
    assert main(["new", "--project", str(project), "seeds/long.txt"]) == 0
    assert passes.count(body) == 1
    quotes = [e["quote"] for e in yaml.safe_load((project / "content/dossiers/long.yaml").read_text(encoding="utf-8"))["events"]]
    # The first date is taken as the report's own (no dateline says otherwise): every other one is a stub event.
    assert quotes == [f"Officials met on {day} March 2024 in Lisbon." for day in range(2, 29)]


@pytest.mark.parametrize("start", range(-1, 50))
def test_the_sentence_around_a_character_is_the_one_that_holds_it(start: int) -> None:
    line = "Mr Musk spoke. “Yes,” he said! Then?  Nothing. x"
    from threadline.tools.guess import sentence_around

    bounds = [0, 15, 31, 38, len(line)]  # after ". ", "! ", "?  ": each before a capital or a quote mark
    held = [line[b:e].strip() for b, e in itertools.pairwise(bounds) if b <= start < e]
    assert sentence_around(line, start) == (held[0] if held else line.strip())


def test_a_stub_event_dated_by_a_year_alone_is_quoted_as_text(project: Path) -> None:
    """YAML reads a bare 2023 as a number, which no field takes: the preview of the draft would fail."""
    draft_of(project)
    text = (project / "content/events/lisbon-port-2024.yaml").read_text(encoding="utf-8")
    assert '  date: "2024-05"' not in text and '  date: 2024-05  # TODO confirm\n' in text
    write_project(project, {"seeds/year.txt": "Talks\n\n25 October 2024\n\nTalks began last year.\n"})
    assert main(["new", "--project", str(project), "seeds/year.txt"]) == 0
    assert '  date: "2023"  # TODO confirm\n' in (project / "content/events/year.yaml").read_text(encoding="utf-8")


def test_once_every_todo_is_confirmed_the_draft_builds(project: Path) -> None:
    """The editor confirms each guess (here: removes the markers) and the drafted annotation is published."""
    draft_of(project)
    for file in drafted(project):
        file.write_text(confirmed(file.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["build", "--project", str(project)]) == 0
    page = (project / "public/dossiers/lisbon-port-2024/index.html").read_text(encoding="utf-8")
    assert 'href="../../people/maria-teixeira/"' in page and 'id="ev-lisbon-port-2024-event-4"' in page


def confirmed(text: str) -> str:
    """The draft as an editor leaves it after checking every guess: no TODO left."""
    text = re.sub(r"  # TODO confirm.*", "", text.replace(f"{CONFIRM_KEY}: true\n", ""))
    text = re.sub(r"^#.*TODO.*\n", "", text, flags=re.MULTILINE)
    return text.replace('"TODO confirm: ', '"').replace('"TODO: ', '"')


def test_the_draft_fails_check_until_every_guess_is_confirmed(project: Path, capsys: pytest.CaptureFixture) -> None:
    text, _ = draft_of(project)
    capsys.readouterr()
    assert main(["check", "--project", str(project)]) == 1
    err = capsys.readouterr().err.splitlines()
    path = "content/dossiers/lisbon-port-2024.yaml"
    assert err[0] == (f"{path}:2:1: unconfirmed draft: {CONFIRM_KEY}: true "
                      "(check every guess in this file, then delete this line)")
    assert err[2] == f"{path}:7:26: unconfirmed draft: published: 2024-10-25  # TODO confirm " \
                     "(confirm or correct it, then remove the TODO)"
    markers = sum(len(re.findall(r"\bTODO", f.read_text(encoding="utf-8"))) for f in drafted(project))
    assert err[-1] == f"check failed: {markers} error(s); fix them and run it again"
    (project / path).write_text(text.replace(f"{CONFIRM_KEY}: true\n", ""), encoding="utf-8")
    assert main(["check", "--project", str(project)]) == 1  # deleting the first line is not enough
    for file in drafted(project):
        file.write_text(confirmed(file.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["check", "--project", str(project)]) == 0


def drafted(project: Path) -> list[Path]:
    """The files `new` wrote for the Lisbon seed: sidecar, stub entities, stub events."""
    return [project / f"content/{kind}/lisbon-port-2024.yaml" for kind in ("dossiers", "entities", "events")]


def test_an_unwritten_headline_fails_check_strict_without_the_confirm_line(
        project: Path, capsys: pytest.CaptureFixture) -> None:
    (project / "seeds/bare.txt").write_text("it was said, in passing, that nothing happened.\n")
    assert main(["new", "--project", str(project), "seeds/bare.txt"]) == 0
    path = project / "content/dossiers/bare.yaml"
    text = path.read_text(encoding="utf-8").replace(f"{CONFIRM_KEY}: true\n", "")
    path.write_text(text.replace("published: TODO", "published: 2024-01-02"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--strict", "--project", str(project)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ('content/dossiers/bare.yaml:4:12: unconfirmed draft: headline: "TODO: write a headline" '
                      "(confirm or correct it, then remove the TODO)")
    assert len(err) == 7 and all("TODO" in line for line in err[:-1])


def test_the_draft_starts_with_its_schema_when_the_project_has_one(project: Path) -> None:
    (project / "schemas").mkdir()
    (project / "schemas/dossier.schema.json").write_text("{}")
    text, _ = draft_of(project)
    assert text.startswith("# yaml-language-server: $schema=../../schemas/dossier.schema.json\n")


def test_new_never_overwrites_a_sidecar(project: Path, capsys: pytest.CaptureFixture) -> None:
    draft_of(project)
    path = project / "content/dossiers/lisbon-port-2024.yaml"
    path.write_text("edited by hand\n")
    assert main(["new", "--project", str(project), "seeds/lisbon_Port 2024.txt"]) == 1
    err = capsys.readouterr().err
    assert "new: content/dossiers/lisbon-port-2024.yaml already exists; `new` never overwrites a sidecar" in err
    assert path.read_text() == "edited by hand\n"


def test_new_refuses_a_seed_that_already_has_a_sidecar(project: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["new", "--project", str(project), "seeds/a.txt"]) == 1
    assert "new: content/dossiers/example-report.yaml already annotates seeds/a.txt" in capsys.readouterr().err
    assert not (project / "content/dossiers/a.yaml").exists()


@pytest.mark.parametrize("seed", ["seeds/missing.txt", "../site.yaml", "elsewhere/missing.txt"])
def test_new_needs_a_seed_in_seeds(project: Path, seed: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["new", "--project", str(project), seed]) == 1
    assert f"new: {seed}: no such seed" in capsys.readouterr().err


def test_new_says_a_file_outside_seeds_must_be_copied_there(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outside = tmp_path / "report.txt"
    outside.write_text("A report\n\nText.\n")
    for seed in (str(outside), "content/entities/all.yaml"):
        assert main(["new", "--project", str(project), seed]) == 1
        name = Path(seed).name
        assert capsys.readouterr().err == (f"new: {seed}: not in seeds/; copy the file into the project's seeds/ folder "
                                           f"and give that name, e.g. seeds/{name}\n")
    assert not (project / "seeds/report.txt").exists()


@pytest.mark.parametrize(("name", "said"), [
    ("UPPER.TXT", "a seed's name ends in .txt; rename it, e.g. seeds/UPPER.txt"),
    ("notes.md", "a seed's name ends in .txt; rename it, e.g. seeds/notes.txt"),
    ("folder.txt", "a folder, not a seed; give the name of a text file in seeds/"),
])
def test_new_refuses_what_check_would_refuse_as_a_seed(project: Path, name: str, said: str,
                                                       capsys: pytest.CaptureFixture) -> None:
    seed = project / "seeds" / name
    seed.mkdir() if name == "folder.txt" else seed.write_text("Port talks stall\n\nTalks stalled on Friday.\n")
    assert main(["new", "--project", str(project), f"seeds/{name}"]) == 1
    assert capsys.readouterr().err == f"new: seeds/{name}: {said}\n"
    assert not any((project / "content/dossiers").glob(f"{seed.stem.lower()}*"))


def test_a_seed_with_no_date_or_headline_gets_placeholders_that_fail(project: Path) -> None:
    (project / "seeds/bare.txt").write_text("it was said, in passing, that nothing happened.\n")
    assert main(["new", "--project", str(project), "seeds/bare.txt"]) == 0
    data = yaml.safe_load((project / "content/dossiers/bare.yaml").read_text())
    assert data["published"] == "TODO" and data["headline_by"] == "editor"


@pytest.mark.parametrize(("words", "published", "expected"), [
    ("on Friday", dt.date(2021, 5, 21), "2021-05-21"),
    ("on Monday", dt.date(2021, 5, 21), "2021-05-17"),
    ("in February", dt.date(2021, 5, 21), "2021-02"),
    ("in November", dt.date(2021, 5, 21), "2020-11"),
    ("in October 2022", dt.date(2024, 10, 25), "2022-10"),
    ("last year", dt.date(2024, 10, 25), "2023"),
    ("the end of last year", dt.date(2024, 10, 25), "2023-36"),
    ("yesterday", dt.date(2024, 3, 1), "2024-02-29"),
    ("last month", dt.date(2024, 1, 15), "2023-12"),
    ("in 2021", dt.date(2024, 10, 25), "2021"),
    ("in late 2023", dt.date(2024, 3, 18), "2023-36"),
    ("early 2020", dt.date(2024, 3, 18), "2020-33"),
    ("mid-2021", dt.date(2024, 3, 18), "2021-06~"),
    ("until March 2024", dt.date(2024, 3, 18), "../2024-03"),
    ("since 2022", dt.date(2024, 3, 18), "2022/.."),
    ("last spring", dt.date(2024, 3, 18), "2023-21"),
    ("last spring", dt.date(2024, 7, 1), "2024-21"),
    ("last winter", dt.date(2024, 3, 1), "2023-24"),
    ("last winter", dt.date(2024, 12, 20), "2023-24"),
    ("in the summer of 2022", dt.date(2024, 3, 18), "2022-22"),
    ("from 2022 to 2024", dt.date(2024, 10, 25), "2022/2024"),
    ("between 2019 and 2021", dt.date(2024, 10, 25), "2019/2021"),
    ("earlier this week", dt.date(2024, 2, 16), "2024-02-12/2024-02-16"),
    ("18 months ago", dt.date(2024, 2, 16), "2022-08~"),
    ("a year and a half ago", dt.date(2024, 2, 16), "2022-08~"),
    ("two weeks ago", dt.date(2024, 2, 16), "2024-02-02~"),
    ("3 days ago", dt.date(2024, 2, 16), "2024-02-13"),
    ("five years ago", dt.date(2024, 2, 16), "2019~"),
])
def test_relative_dates_resolve_against_publication(words: str, published: dt.date, expected: str) -> None:
    assert resolve(words, published) == expected


def test_slugs_from_seed_names_are_valid() -> None:
    assert slug_for("000_5e269122aefd9b91.txt") == "000-5e269122aefd9b91"
    assert slug_for("Über  Report!!.txt") == "ber-report"


KYIV = """\
Musk and Zelenskyy trade barbs over satellites

2023-09-12

Elon Musk tweeted Saturday that he had refused a request from Kyiv, The Washington Post reported.

Zelenskyy said on Thursday that Storm Shadow missiles and ATACMS would arrive next week, CNN and Politico reported.

A biography published on September 7, 2023 quotes Михаил Федоров, Ukraine's digital minister.
"""


def test_new_finds_names_and_date_expressions_that_a_first_draft_missed(tmp_path: Path) -> None:
    known = "- id: washington\n  kind: place\n  name: Washington\n  description: The US capital.\n"
    files = scratch_files(**{"seeds/kyiv.txt": KYIV, "content/entities/places.yaml": known})
    project = write_project(tmp_path / "p", files)
    assert main(["new", "--project", str(project), "seeds/kyiv.txt"]) == 0
    entities = yaml.safe_load((project / "content/entities/kyiv.yaml").read_text(encoding="utf-8"))
    kinds = {e["name"]: e["kind"] for e in entities}
    assert {"Storm Shadow", "ATACMS", "Politico", "Михаил Федоров", "Ukraine"} <= set(kinds)
    assert {k: kinds.get(k) for k in ["Zelenskyy", "Kyiv", "The Washington Post", "CNN"]} == {
        "Zelenskyy": "person", "Kyiv": "place", "The Washington Post": "organisation", "CNN": "organisation"}
    assert "Washington" not in kinds and "Musk" not in kinds  # known names; the longer name is its own
    events = yaml.safe_load((project / "content/events/kyiv.yaml").read_text(encoding="utf-8"))
    assert [(e["date_basis"].split("'")[1], str(e["date"])) for e in events] == [
        ("Saturday", "2023-09-09"), ("on Thursday", "2023-09-07"), ("next week", "2023-09-18/2023-09-24"),
        ("September 7, 2023", "2023-09-07")]


BEIJING = """\
Musk meets vice-premier in Beijing

BEIJING, 14 March 2025 — Vice-Premier Ding Xuexiang met Elon Musk on Tuesday, said Priya Raman of Haitong Research.

Musk is expected back next week.
"""


def test_titles_affiliations_the_dateline_and_later_dates_are_read_as_an_editor_would(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", scratch_files(**{"seeds/beijing.txt": BEIJING}))
    assert main(["new", "--project", str(project), "seeds/beijing.txt"]) == 0
    entities = yaml.safe_load((project / "content/entities/beijing.yaml").read_text(encoding="utf-8"))
    assert {"Ding Xuexiang", "Priya Raman", "Haitong Research"} <= {e["name"] for e in entities}
    events = (project / "content/events/beijing.yaml").read_text(encoding="utf-8")
    assert "'14 March 2025'" not in events  # the report's own date is its dateline, not an event
    assert "'on Tuesday' on line 3, in a report published on Friday 14 March 2025" in events
    later = next(line for line in events.splitlines() if "'next week'" in line)
    assert later.endswith("# TODO after the report: an event cannot start later; date what was announced instead")


def test_new_reads_a_seed_as_the_build_does(project: Path, capsys: pytest.CaptureFixture) -> None:
    (project / "seeds/latin1.txt").write_bytes("Caf\xe9 talks\n".encode("latin-1"))
    assert main(["new", "--project", str(project), "seeds/latin1.txt"]) == 1
    assert capsys.readouterr().err == ("new: seeds/latin1.txt:1:4: the file is not UTF-8 (byte 3 is 0xe9) "
                                       "(convert it to UTF-8 first)\n")
    assert not (project / "content/dossiers/latin1.yaml").exists()


@pytest.mark.parametrize(("name", "ident"), [
    ("Павел Орлов", "pavel-orlov"), ("Володимир Зеленський", "volodimir-zelenskiy"), ("Объявить", "obyavit"),
    ("Elon Musk", "elon-musk"), ("Zoë O’Brien", "zoe-obrien"), ("王毅", ""),
])
def test_stub_ids_romanise_cyrillic_names(name: str, ident: str) -> None:
    assert slug(name) == ident


@pytest.mark.parametrize(("line", "found"), [
    ("Russian President Vladimir Putin met Lieutenant General Kirill Budanov.", ["Vladimir Putin", "Kirill Budanov"]),
    ("Retired British Army Brigadier Ben Barry said so, as did Prime Minister Rishi Sunak.", ["Ben Barry", "Rishi Sunak"]),
    ("The U.S. and the E.U. said so.", []),
])
def test_names_lose_the_titles_glued_to_them_and_single_letters(line: str, found: list[str]) -> None:
    assert [name.text for name in names(line, 1, [], set())] == found


def test_an_acronym_given_in_brackets_is_the_alias_of_the_name_before_it(tmp_path: Path) -> None:
    article = ("Brussels weighs Starlink rules\n\n25 October 2024\n\nThe European Commission (EC) met Starlink officials. "
               "In May the EC said it would wait.\n")
    entities = drafted_stubs(tmp_path, "ec", article)
    commission = [e for e in entities if "Commission" in e["name"]]
    assert len(commission) == 1 and commission[0]["aliases"] == ["EC"]
    assert not [e for e in entities if e["name"] == "EC"]
    events = yaml.safe_load((tmp_path / "p/content/events/ec.yaml").read_text(encoding="utf-8"))
    assert [e["entities"] for e in events] == [[commission[0]["id"]]]  # 'Later the EC said …': named by its alias


def test_vague_dates_are_found_as_an_editor_reads_them() -> None:
    from threadline.tools.guess import date_expressions

    line = ("Talks began in late 2023 and again in February 2024; until March 2024 the terminals worked, as they had "
            "since 2022 and last spring, in the summer of 2022 and mid-2021, but not by the end of the year.")
    assert date_expressions(line) == ["in late 2023", "in February 2024", "until March 2024", "since 2022", "last spring",
                                      "in the summer of 2022", "mid-2021"]


def test_a_word_opening_a_sentence_is_a_name_when_it_owns_something() -> None:
    line = "Lithuania's defence ministry said so. Poland’s too. However, nothing changed."
    assert [(n.text, n.kind) for n in names(line, 1, [], set())] == [("Lithuania", "place"), ("Poland", "place")]


@pytest.mark.parametrize(("line", "found"), [
    ("The Pentagon paid for it, a Soviet design.", [("Pentagon", "organisation")]),
    ("A Saudi fund and the Kremlin agreed.", [("Kremlin", "organisation")]),
    ("The billionaire angered many Ukrainians and Americans, not the Vatican.", [("Vatican", "organisation")]),
])
def test_institutions_are_organisations_and_demonyms_are_no_names(line: str, found: list[tuple[str, str]]) -> None:
    assert [(name.text, name.kind) for name in names(line, 1, [], set())] == found


@pytest.mark.parametrize(("line", "found"), [
    ("Dmitry Peskov, the Kremlin’s spokesman, backed the account.",
     [("Dmitry Peskov", "the Kremlin’s spokesman"), ("Kremlin", "")]),
    ("According to retired British Army Brigadier Ben Barry, it is so.", [("Ben Barry", "retired British Army Brigadier")]),
    ("Russian President Vladimir Putin, who rarely speaks to the press, said so.",
     [("Vladimir Putin", "Russian President; who rarely speaks to the press")]),
    ("According to Maria Teixeira, the port is open.", [("Maria Teixeira", "")]),  # an opener is no title
    ("Maria Teixeira, Tom Dale and Ann Roe signed.", [("Maria Teixeira", ""), ("Tom Dale", ""), ("Ann Roe", "")]),
])
def test_a_names_description_is_drafted_from_the_words_around_it(line: str, found: list[tuple[str, str]]) -> None:
    assert [(name.text, name.description) for name in names(line, 1, [], set())] == found


def test_the_draft_describes_names_titles_stub_events_and_says_when_there_is_no_byline(project: Path) -> None:
    _, data = draft_of(project)
    entities = {e["id"]: e["description"] for e in stubs(project, "entities")}
    assert entities == {"lisbon": "TODO: who or what this is, from what the sources say",
                        "maria-teixeira": "TODO confirm: the port's director"}
    assert stubs(project, "events")[3]["title"] == "TODO confirm: Officials said a second phase could follow in May"
    assert (data["author"], data["author_basis"]) == (None, "TODO confirm: The text carries no byline.")


def test_a_byline_is_drafted_as_the_author(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", scratch_files(**{"seeds/b.txt": "Port talks stall\n\nBy Ana Lima\n\nTalks stalled."}))
    assert main(["new", "--project", str(root), "seeds/b.txt"]) == 0
    sidecar = root / "content/dossiers/b.yaml"
    data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    assert (data["author"], data["author_basis"]) == ("Ana Lima", "TODO confirm: The byline, on line 3.")
    assert data["boilerplate"] == ["By Ana Lima"]  # shown above the text as its author, not again in it
    text = sidecar.read_text(encoding="utf-8").replace("published: TODO", "published: 2024-10-25")
    sidecar.write_text(confirmed(text), encoding="utf-8")
    assert main(["build", "--project", str(root)]) == 0
    page = (root / "public/dossiers/b/index.html").read_text(encoding="utf-8")
    assert page.count("By Ana Lima") == 1 and '<p class="byline">By Ana Lima' in page  # the header's, not the text's
    assert "Talks stalled." in page


def test_a_long_passage_drafts_a_title_of_its_first_words() -> None:
    from threadline.tools.suggest import title
    assert title("  The deal\nwas signed.  ") == "The deal was signed"
    long = " ".join(f"w{n}" for n in range(30)) + "."
    assert title(long) == " ".join(f"w{n}" for n in range(25)) + " …"


@pytest.mark.parametrize(("line", "found"), [
    ("Kremlin and Musk Both Say No Talks Preceded His Disputed Ukraine Peace Tweet", []),
    ("He met the Bank of England and The Wall Street Journal.", ["Bank of England", "The Wall Street Journal"]),
])
def test_a_headline_in_title_case_is_no_name(line: str, found: list[str]) -> None:
    assert [name.text for name in names(line, 1, [], set())] == found


def test_a_caption_credit_is_drafted_as_boilerplate(tmp_path: Path) -> None:
    seed = "Port talks stall\n\n25 October 2024\n\nElon Musk. Photo: NORAD and Harbour Pictures\n\nTalks stalled."
    root = write_project(tmp_path / "p", scratch_files(**{"seeds/c.txt": seed}))
    assert main(["new", "--project", str(root), "seeds/c.txt"]) == 0
    data = yaml.safe_load((root / "content/dossiers/c.yaml").read_text(encoding="utf-8"))
    assert "Elon Musk. Photo: NORAD and Harbour Pictures" in data["boilerplate"]
    assert not (root / "content/entities/c.yaml").exists()  # no stub for the credit's names


WIRE = """\
Musk wins a pledge on Starlink after Jakarta talks

By Maya Sutanto
JAKARTA, November 24, 2026 (Meridian Wire) - Elon Musk met Indonesia's communications minister, Rina Hartono, on Tuesday.

Hartono said the review would take weeks. The Jakarta Port Group said nothing; the Group rarely does.
"""


def test_a_wire_report_drafts_its_dateline_byline_surnames_and_appositions(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", scratch_files(**{"seeds/wire.txt": WIRE}))
    assert main(["new", "--project", str(root), "seeds/wire.txt"]) == 0
    data = yaml.safe_load((root / "content/dossiers/wire.yaml").read_text(encoding="utf-8"))
    assert data["boilerplate"] == ["By Maya Sutanto", {"prefix": "JAKARTA, November 24, 2026 (Meridian Wire) - "}]
    assert (str(data["published"]), data["author"]) == ("2026-11-24", "Maya Sutanto")
    line = WIRE.splitlines().index("JAKARTA, November 24, 2026 (Meridian Wire) - Elon Musk met Indonesia's communications "
                                   "minister, Rina Hartono, on Tuesday.") + 1
    assert (data["outlet"], data["outlet_basis"]) == ("Meridian Wire", f"TODO confirm: The dateline, on line {line}.")
    assert data["events"][0]["quote"].startswith("Elon Musk met")  # the quote starts after the dateline
    stubs = {e["name"]: e for e in yaml.safe_load((root / "content/entities/wire.yaml").read_text(encoding="utf-8"))}
    assert stubs["Rina Hartono"]["aliases"] == ["Hartono"]  # alone at a sentence's start, still hers
    assert stubs["Rina Hartono"]["description"] == "TODO confirm: Indonesia's communications minister"
    assert "aliases" not in stubs["Jakarta Port Group"]  # "the Group" is not its spelling; "The" opened a sentence
    assert "JAKARTA" not in stubs and "Maya Sutanto" not in stubs  # the dateline and the byline are no names


@pytest.mark.parametrize("line", ["US - China talks resume.", "NATO said - yes - it would."])
def test_a_capitalised_word_before_a_dash_is_no_dateline(line: str) -> None:
    from threadline.tools.guess import LEADING_DATE
    assert LEADING_DATE.match(line) is None


def test_new_names_every_file_it_wrote(project: Path, capsys: pytest.CaptureFixture) -> None:
    draft_of(project)
    written = ", ".join(str(project / f"content/{kind}/lisbon-port-2024.yaml") for kind in ("dossiers", "entities", "events"))
    assert capsys.readouterr().out == (f"drafted {written}: confirm every TODO (`build.py todo` lists them, and the "
                                       "workbench of `build.py serve` shows them on the page), then run `build.py check`\n")


def test_kinds_come_from_the_clearest_mention_and_the_names_own_words(tmp_path: Path) -> None:
    seed = ("Musk wins pledge after Jakarta talks\n\n25 October 2024\n\n"
            "Elon Musk met officials of Indonesia in Jakarta, Meridian Wire reports, and Kazakhstan was not told.\n")
    stubs = drafted_stubs(tmp_path, "k", seed)
    assert {e["name"]: e["kind"] for e in stubs} == {
        "Jakarta": "place",  # 'after Jakarta talks' says nothing; 'in Jakarta' does
        "Indonesia": "place", "Meridian Wire": "organisation", "Kazakhstan": "place"}


@pytest.mark.parametrize(("line", "found"), [
    # Places a lone word names, by the list of them or by a cue the places share; the compass's adjectives are none.
    ("Brussels weighs a deal. Officials in Kyiv and Brussels said so. Poland had paid, but Warsaw has stopped.",
     [("Brussels", "place"), ("Kyiv", "place"), ("Brussels", "place"), ("Poland", "place"), ("Warsaw", "place")]),
    ("Talks in Zlatograd, Velmar or Novoselo resume, Western governments said.",
     [("Zlatograd", "place"), ("Velmar", "place"), ("Novoselo", "place")]),
    ("The UK and the US agreed.", [("UK", "place"), ("US", "place")]),
])
def test_places_are_known_by_name_or_by_the_cue_they_share(line: str, found: list[tuple[str, str]]) -> None:
    assert [(n.text, n.kind) for n in names(line, 1, [], set())] == found


def test_a_known_name_in_the_plural_is_no_new_name() -> None:
    assert [n.text for n in names("Kyiv has bought more Starlinks from SpaceX.", 1, [(30, 36)], {"Starlink", "SpaceX"})] \
        == ["Kyiv"]


@pytest.mark.parametrize(("line", "found"), [
    ("“We cannot,” Mykhailo Fedorov, Ukraine’s digital transformation minister, said in a statement.",
     [("Mykhailo Fedorov", "Ukraine’s digital transformation minister"), ("Ukraine", "")]),
    ("After meeting Tom Dale, Maria Teixeira's aide said, the talks ended.", [("Tom Dale", ""), ("Maria Teixeira", "")]),
])
def test_an_apposition_that_opens_with_an_owner_describes_the_name(line: str, found: list[tuple[str, str]]) -> None:
    assert [(name.text, name.description) for name in names(line, 1, [], set())] == found


def test_a_sentence_opening_the_is_no_part_of_a_name_but_a_papers(tmp_path: Path) -> None:
    seed = ("Commission weighs terminal deal\n\n18 March 2024\n\n"
            "The European Commission (EC) is weighing the deal, officials said.\n"
            "The Kyiv Independent first reported it, and the EC later signed with The Boring Company.\n")
    stubs = {e["name"]: e for e in drafted_stubs(tmp_path, "ec", seed)}
    assert set(stubs) == {"European Commission", "The Kyiv Independent", "The Boring Company"}
    assert stubs["European Commission"]["id"] == "european-commission" and stubs["European Commission"]["aliases"] == ["EC"]


@pytest.mark.parametrize(("line", "found"), [
    ("Officials said, deputy minister Anna Kalnina said.", [("Anna Kalnina", "deputy minister")]),
    ("Putin met Musk, and defence analyst Tom Dale said so.", [("Musk", ""), ("Tom Dale", "defence analyst")]),
    ("The prime minister Tom Dale spoke.", [("Tom Dale", "prime minister")]),
])
def test_a_title_in_lower_case_before_a_name_describes_it(line: str, found: list[tuple[str, str]]) -> None:
    assert [(name.text, name.description) for name in names(line, 1, [], set())] == found


def test_an_organisations_name_said_again_in_short_is_no_name_of_its_own() -> None:
    line = "The Baltic Defence Council met. Later the Council said so, and the Group agreed. The Council met again."
    assert [n.text for n in names(line, 1, [], set())] == ["The Baltic Defence Council"]
