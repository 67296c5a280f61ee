"""What a seed suggests before anyone has read it: names no entity claims, their kinds, and date expressions.

Every guess here goes into a draft for an editor to confirm (`build.py new`), never onto the site:
they are cheap heuristics, tested on articles written in tests/test_new.py and tests/test_guess.py.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass

from threadline.inputs.dates import MONTHS, WEEKDAYS
from threadline.tools import suggest
from threadline.tools.gazetteer import PLACES

_MONTH = "|".join(MONTHS)
_SHORT_MONTH = "|".join(m[:3] for m in MONTHS) + "|Sept"
_DAY = "|".join(WEEKDAYS)
STATED_DATES = [  # (pattern, match → (year, month, day))
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTH}),? (\d{{4}})\b"), lambda m: (int(m[3]), _month(m[2]), int(m[1]))),
    (re.compile(rf"\b({_MONTH}|(?:{_SHORT_MONTH})\.?) (\d{{1,2}}),? (\d{{4}})\b"),
     lambda m: (int(m[3]), _month(m[1]), int(m[2]))),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
]
# Expressions whose date depends on when the report was published; resolved by `resolve`.
_SEASON = "spring|summer|autumn|fall|winter"
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}  # EDTF's numbers for them
SEASON_ENDS = {21: 5, 22: 8, 23: 11, 24: 2}  # the month each ends in (winter: of the next year)
RELATIVE = re.compile(
    rf"\b(?:(?:in )?(?:late|early|mid)[- ]\d{{4}}|(?:until|since) (?:(?:{_MONTH}) )?\d{{4}}"
    rf"|(?:last|this) (?:{_SEASON})|in (?:the )?(?:{_SEASON})(?: of)? \d{{4}}"
    rf"|in (?:{_MONTH}) of (?:last|this) year"
    rf"|(?:the )?(?:end|start|beginning) of last year|last year|this year|earlier this year|last month|yesterday"
    rf"|(?:next|last) week|(?:next |last |on )?(?:{_DAY})|in (?:{_MONTH})(?: \d{{4}})?"
    rf"|from \d{{4}} (?:to|until) \d{{4}}|between \d{{4}} and \d{{4}}|in \d{{4}}"
    rf"|(?:earlier )?this week|a year and a half ago|(?:\d+|an?|one|two|three|four|five|six|ten|several) "
    rf"(?:day|week|month|year)s? ago)\b", re.IGNORECASE)
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
AGO = re.compile(r"(\d+|an?|one|two|three|four|five|six|ten) (day|week|month|year)s? ago")
SPAN = re.compile(r"(?:from|between) (\d{4}) (?:to|until|and) (\d{4})")
# A date the seed states outright, anywhere in the text.
STATED = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in STATED_DATES))
# A token of date and time at the start of a line, before the article's words: boilerplate by prefix.
# Or a news agency's dateline, with a date or the agency: "JAKARTA, November 24, 2026 (Meridian Wire) - ",
# "LONDON (Reuters) — " (a bare "US - " is not one).
_ANY_DATE = rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{_MONTH}) \d{{4}}|(?:{_MONTH}|(?:{_SHORT_MONTH})\.?) \d{{1,2}},? \d{{4}}"
LEADING_DATE = re.compile(
    rf"^\s*(?:date\s+)?(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{_MONTH}) \d{{4}})(?:,? \d{{1,2}}:\d{{2}})?\s+(?=[^\W\d_]|[\"“‘])"
    rf"|^\s*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){{0,3}}(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
    rf"(?:,? (?:{_ANY_DATE})(?: ?\([^()]{{1,60}}\))?| ?\([^()]{{1,60}}\)) ?[-–—]+ (?=[^\W\d_]|[\"“‘])")

# A line that is nothing but a date (and time): the report's dateline, not its text.
DATELINE = re.compile(rf"(?:date\s+)?(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{_MONTH}) \d{{4}}|(?:{_MONTH}) \d{{1,2}}, \d{{4}})"
                      rf"(?:,? \d{{1,2}}:\d{{2}})?")
# A byline on a line of its own near the top: "By Jane Doe", "By Jane Doe and John Roe".
BYLINE = re.compile(r"^By\s+([A-Z][\w’'.-]+(?:\s+(?:[A-Z][\w’'.-]+|and|de|van|von|da))*)$")
TOKEN = re.compile(r"\w+(?:['’]\w+)*")
HAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,8}")
# Lower-case words that may stand inside a name: 'Bank of England', 'Leonardo da Vinci'.
CONNECTORS = {"of", "de", "da", "van", "von", "al", "bin", "der", "la", "le", "du"}
# Capitalised words that are not names on their own: sentence openers, titles, days, months.
COMMON = set("""A An And As At But By For From He Her His I If In It Its Mr Mrs Ms Dr No Not Of On Or She So That The
Their There These They This Those To We What When Where Which While Who Why With You Your Yes After Before Since Until
According Also However Meanwhile Officials Sources Asked Despite During Earlier Later Last Next Then Today Tomorrow
Yesterday Now Here President Minister Chief Executive Senator Sir Lord Lady Prime Secretary General Read Share CEO
Chairman Founder Director Spokesman Spokeswoman Governor Ambassador Deputy Foreign Vice Premier""".split())
COMMON |= set(WEEKDAYS) | set(MONTHS)

# Ranks and offices that stand before a name: before a name of two words, the name starts after the last of them.
RANKS = set("""Mr Mrs Ms Dr President Minister Senator Sir Lord Lady Secretary General CEO Chairman Founder Director
Spokesman Spokeswoman Governor Ambassador Premier Lieutenant Colonel Major Captain Brigadier Admiral Commander
Sergeant Marshal Retired Mayor Chancellor Spokesperson Envoy Commissioner Judge Justice Professor Prof Rev
Reverend Pope Cardinal Bishop King Queen Prince Princess Emperor Sheikh""".split())
# Words for people of a place that no suffix gives away ('Soviet', 'Saudi'): adjectives, not names.
DEMONYMS = set("""Soviet Thai Dutch French Greek Swiss Czech Iraqi Israeli Pakistani Saudi Kuwaiti Yemeni Afghan Kazakh
Uzbek Tajik Kyrgyz Turkmen Qatari Omani Emirati Bangladeshi Nepali Somali Welsh Scots Irish
Western Eastern Northern Southern""".split())  # and the compass's: 'Western governments'
# Words that a name does not hold but a headline in title case does: verbs, pronouns, negation.
PHRASE_WORDS = set("""His Her Its Their Our My No Not Is Are Was Were Has Have Had Will Would Can Could Say Says Said
Be Been To Than""".split())
# Endings of words for the people of a place, one or many ('Russian', 'Ukrainians', 'American', 'Chinese').
DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "ican", "icans")
# Single-word institutions that are organisations, not people.
INSTITUTIONS = set("""Pentagon Kremlin Congress Senate Parliament Duma Rada Bundestag Knesset Politburo NATO Interpol
Europol Vatican""".split())
ORGANISATION_WORDS = set("""Agency Association Authority Bank Board Bureau Club Commission Committee Company Corp Corporation
Council Court Department Foundation Fund Group Inc Institute Journal League Ltd Media Ministry News Office Organisation
Organization Parliament Party Police Post Press Reuters Service Society Telegraph Times Tribune Union University
Wire Network Radio Television TV Broadcasting Herald Gazette Magazine Daily Review Institute Airlines Motors Systems
Technologies Holdings""".split())
# Endings of one-word names of countries and regions ('Indonesia', 'Finland', 'Kazakhstan').
PLACE_ENDINGS = ("ia", "land", "stan", "lands")
PLACE_WORDS = set("Airport Bay City County Island Islands Lake Mountain Port Province Region Republic River Sea Square Street"
                  .split())
# A place's cue, for the places it names one after another too: "officials in Kyiv and Brussels".
PLACE_BEFORE = re.compile(r"\b(?:in|to|from|near|across|visited|visits|visit|outside|toured|tours)\s+"
                          r"(?:[A-Z][\w'’-]*(?:,\s+[A-Z][\w'’-]*)*(?:,\s+|,?\s+(?:and|or)\s+))?$")
PERSON_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|President|Minister|Senator|Sir|CEO|chief|said|says|told)\.?\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Name:
    """A name that no entity claims, where it was first seen, and its guessed kind."""

    text: str
    line: int
    kind: str
    description: str = ""  # what the words around it say it is (suggest.description), or ''


def _month(word: str) -> int:
    word = word.rstrip(".")[:3].capitalize()
    return [m[:3] for m in MONTHS].index(word) + 1


def stated_date(text: str) -> dt.date | None:
    """The date a phrase such as '25 October 2024', 'September 7, 2023' or '2024-10-25' states."""
    for pattern, parts in STATED_DATES:
        match = pattern.search(text)
        if match:
            try:
                return dt.date(*parts(match))
            except ValueError:
                continue
    return None


def date_expressions(line: str) -> list[str]:
    """Every date expression of the line: relative ones and dates stated outright, in reading order."""
    found = [(m.start(), m.group()) for m in STATED.finditer(line)]
    taken = [range(m.start(), m.end()) for m in STATED.finditer(line)]
    found += [(m.start(), m.group()) for m in RELATIVE.finditer(line) if not any(m.start() in r for r in taken)]
    return [words for _, words in sorted(found)]


def resolve(expression: str, published: dt.date) -> str:
    """An EDTF guess for a date expression in a report published on `published`."""
    stated = stated_date(expression)
    if stated:
        return stated.isoformat()
    words, year = expression.lower().removeprefix("the "), published.year
    fixed = {"end of last year": f"{year - 1}-36", "start of last year": f"{year - 1}-33",
             "beginning of last year": f"{year - 1}-33", "last year": str(year - 1), "this year": str(year),
             "earlier this year": str(year), "yesterday": (published - dt.timedelta(days=1)).isoformat()}
    if words in fixed:
        return fixed[words]
    if span := SPAN.fullmatch(words):  # "from 2022 to 2024": an interval of years
        return f"{span[1]}/{span[2]}"
    if found := _resolve_open_or_part(words.removeprefix("in "), published):
        return found
    if words in ("this week", "earlier this week"):
        monday = published - dt.timedelta(days=published.weekday())
        return f"{monday.isoformat()}/{published.isoformat()}" if words.startswith("earlier") else \
            f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"
    if words == "a year and a half ago":
        return _months_ago(published, 18)
    if ago := AGO.fullmatch(words):  # "18 months ago": about then, as precise as the unit
        return _ago(published, int(NUMBERS.get(ago[1], ago[1])), ago[2])
    if words in ("last month", "next week", "last week"):
        return _relative_span(words, published)
    return _resolve_named(words, published)


def _resolve_open_or_part(words: str, published: dt.date) -> str:
    """'late 2023', 'until March 2024', 'since 2022', 'last spring', 'the summer of 2022'; '' for other words."""
    parts = words.replace("-", " ").split()
    if parts[0] in ("late", "early", "mid"):  # a quarter's guess; the middle of a year as about June
        return f"{parts[1]}-" + {"late": "36", "early": "33", "mid": "06~"}[parts[0]]
    if parts[0] in ("until", "since"):
        when = f"{parts[2]}-{MONTHS.index(parts[1].capitalize()) + 1:02d}" if len(parts) == 3 else parts[1]
        return f"../{when}" if parts[0] == "until" else f"{when}/.."
    season = next((SEASONS[p] for p in parts if p in SEASONS), None)
    if season is None:
        return ""
    if parts[-1].isdigit():
        return f"{parts[-1]}-{season}"
    # 'last spring': the latest one over by publication (a winter ends in the next year's February)
    end_year = published.year if published.month > SEASON_ENDS[season] else published.year - 1
    year = end_year - 1 if season == 24 else end_year
    return f"{year if parts[0] == 'last' else published.year}-{season}"


def _ago(published: dt.date, n: int, unit: str) -> str:
    if unit == "day":
        return (published - dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return (published - dt.timedelta(weeks=n)).isoformat() + "~"
    return _months_ago(published, n) if unit == "month" else f"{published.year - n}~"


def _months_ago(published: dt.date, n: int) -> str:
    months = published.year * 12 + published.month - 1 - n
    return f"{months // 12}-{months % 12 + 1:02d}~"


def _relative_span(words: str, published: dt.date) -> str:
    if words == "last month":
        last = published.replace(day=1) - dt.timedelta(days=1)
        return f"{last.year}-{last.month:02d}"
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=1 if words == "next week" else -1)
    return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"


def _resolve_named(words: str, published: dt.date) -> str:
    """'on Friday', 'next Friday', 'in February', 'in May 2022', 'in 2021'."""
    parts = words.split()
    name = parts[-1].capitalize() if parts[0] in ("on", "next", "last") or len(parts) == 1 else parts[1].capitalize()
    if name in WEEKDAYS:  # the latest such day on or before publication, or the next one after it
        if parts[0] == "next":
            ahead = (WEEKDAYS.index(name) - published.weekday() - 1) % 7 + 1
            return (published + dt.timedelta(days=ahead)).isoformat()
        back = (published.weekday() - WEEKDAYS.index(name)) % 7
        return (published - dt.timedelta(days=back or (7 if parts[0] == "last" else 0))).isoformat()
    if name.isdigit():
        return name
    month = MONTHS.index(name) + 1
    if words.endswith(" of last year") or words.endswith(" of this year"):
        return f"{published.year - words.endswith('last year')}-{month:02d}"
    stated = parts[2:]
    year = int(stated[0]) if stated else published.year if month <= published.month else published.year - 1
    return f"{year}-{month:02d}"


def names(line: str, number: int, claimed: list[tuple[int, int]], known: set[str]) -> list[Name]:
    """Names on the line that no entity claims: runs of capitalised words (any cased script), acronyms, Han runs.

    A run that contains a known name but is longer ('The Washington Post' around 'Washington') is a
    name of its own, never taken for the shorter one.
    """
    runs = [*_capitalised_runs(line), *((m.start(), m.group()) for m in HAN.finditer(line))]
    found = []
    for run_start, run in runs:
        text, start = _trim(run, run_start)
        if len(text) > 1 and _unclaimed(text, start, line, claimed, known):  # never 'U' and 'S' of 'U.S.'
            title = suggest.title_before(line, run_start, run[:start - run_start].split(), RANKS, COMMON)
            found.append(Name(text, number, guess_kind(text, line[:start]),
                              suggest.description(line, title, start, start + len(text))))
    return found


def _unclaimed(text: str, start: int, line: str, claimed: list[tuple[int, int]], known: set[str]) -> bool:
    """A run with a letter that is not a known name, nor inside one, nor a common word, nor a title-case phrase."""
    if not any(c.isalpha() for c in text) or text in known or _title_case_phrase(text):
        return False
    if text.endswith("s") and text[:-1] in known:  # 'Starlinks': a known name, many of it
        return False
    return not _inside(start, start + len(text), claimed, line) and not _common(text, line, start)


def _title_case_phrase(text: str) -> bool:
    """A headline in title case ('Musk Both Say No Talks Preceded His Tweet'): a verb or pronoun inside the run."""
    words = text.split()
    return len(words) >= 4 and any(word in PHRASE_WORDS for word in words[1:])


def _capitalised_runs(line: str) -> list[tuple[int, str]]:
    """(start, text) of each run of capitalised words joined by spaces or hyphens (and connectors inside)."""
    runs, run = [], []
    for token in TOKEN.finditer(line):
        word = token.group()
        joined = bool(run) and line[run[-1].end():token.start()] in (" ", "-")
        if joined and (word[0].isupper() or _connects(word, run) or (word.isdigit() and len(word) <= 3)):
            run.append(token)
            continue
        runs.append(run)
        run = [token] if word[0].isupper() else []
    runs.append(run)
    trimmed = [_without_trailing_connectors(r) for r in runs if r]
    return [(r[0].start(), line[r[0].start():r[-1].end()]) for r in trimmed if r]


def _connects(word: str, run: list[re.Match]) -> bool:
    """'of' inside 'Bank of England' or 'University of Oslo', never between a person and where they work."""
    return word in CONNECTORS and (len(run) == 1 or run[-1].group() in ORGANISATION_WORDS or run[-1].group() in CONNECTORS)


def _without_trailing_connectors(run: list[re.Match]) -> list[re.Match]:
    while run and not run[-1].group()[0].isupper() and not run[-1].group().isdigit():
        run = run[:-1]
    return run


def _trim(text: str, start: int) -> tuple[str, int]:
    """A run without the sentence opener or title in front of it ('The', 'President') and a possessive after.

    Before a name of two words or more, everything up to the last title or rank goes with it:
    'Russian President Vladimir Putin', 'Retired British Army Brigadier Ben Barry'.
    """
    words = text.split(" ")
    last = max((i for i, word in enumerate(words[:-2]) if word in RANKS), default=-1)
    if last >= 0:
        start += len(" ".join(words[:last + 1])) + 1
        words = words[last + 1:]
    while len(words) > 1 and _title(words[0]) and not (words[0] == "The" and len(words) > 2):
        start += len(words[0]) + 1
        words = words[1:]
    return re.sub(r"['’]s$", "", " ".join(words)), start


def _title(word: str) -> bool:
    """A common word or title in front of a name, hyphenated ones included ('Vice-Premier')."""
    return all(part in COMMON for part in word.split("-"))


def _inside(start: int, end: int, claimed: list[tuple[int, int]], line: str) -> bool:
    """True when known names and common words make up the whole run ('Tesla CEO Elon Musk'): no new name."""
    spans = [(max(s, start), min(e, end)) for s, e in claimed if s < end and e > start]
    rest = "".join(" " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(line[start:end], start))
    return bool(spans) and all(word in COMMON for word in re.findall(r"\w+", rest) if word != "s")


_SENTENCE_END = r"[.!?:;“\"‘]\s*"  # what stands before a sentence's first word, an opening quote included


def _common(text: str, line: str, start: int) -> bool:
    """A common word, or a lone word that only opens a sentence, is not a name: unless it owns something
    ("Lithuania's defence ministry"), which a sentence's first word does only as a name, or is a place's ("Poland …")."""
    if text in COMMON or text in DEMONYMS or (text.isascii() and text.endswith(DEMONYM_ENDINGS) and " " not in text
                                              and text not in INSTITUTIONS):
        return True  # a common word, or a word for people of a place ('Russian', 'Chinese', 'Americans')
    if text in ORGANISATION_WORDS and re.search(rf"(?:\bthe|(?:^|{_SENTENCE_END})The)\s+$", line[:start]):
        return True  # 'the Council': a name said again in short, not a name of its own, nor a spelling of one
    if " " in text or "-" in text or not text.isascii() or text.isupper() or text in PLACES:
        return False
    opens = start == 0 or bool(re.search(rf"{_SENTENCE_END}$", line[:start]))
    return opens and not re.match(r"['’]s\b", line[start + len(text):])


def guess_kind(text: str, before: str) -> str:
    """person, organisation, place or product, from the words of the name and the words before it."""
    words = text.split()
    if text in PLACES:
        return "place"
    if (text.isupper() and len(text) <= 6) or ORGANISATION_WORDS.intersection(words) or words[0] == "The" \
            or INSTITUTIONS.intersection(words):
        return "organisation"
    if words[-1] in PLACE_WORDS or (len(words) == 1 and (PLACE_BEFORE.search(before) or text.endswith(PLACE_ENDINGS))):
        return "place"
    if any(ch.isdigit() for ch in text):
        return "product"
    if PERSON_BEFORE.search(before) or len(words) in (2, 3) or not text.isascii():
        return "person"
    return "organisation" if len(words) > 3 else "person"


# Russian and Ukrainian letters in Latin (a simple, readable romanisation, enough for an id); signs are dropped.
CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщыэюяієїґ",
                    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch y e yu ya i ye yi g".split(), strict=True))
CYRILLIC |= {"ъ": "", "ь": ""}


def slug(text: str) -> str:
    """An id from a name: ASCII letters and digits joined by hyphens, Cyrillic romanised; '' when none is left."""
    latin = "".join(CYRILLIC.get(char, char) for char in text.lower())
    plain = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def sentences(line: str) -> list[tuple[int, int]]:
    """Where each sentence of `line` begins and ends."""
    bounds = [0, *(m.end() for m in re.finditer(r"(?<=[.!?])[”\"’']?\s+(?=[A-Z“\"‘])", line)), len(line)]
    return list(itertools.pairwise(bounds))


def sentence_around(line: str, start: int, found: list[tuple[int, int]] | None = None) -> str:
    """The sentence of `line` that holds the character at `start`, verbatim; `found` is sentences(line), if known.

    A seed of one long line (a PDF's text) holds hundreds of dates: finding its sentences again for each took minutes.
    """
    found = sentences(line) if found is None else found
    n = bisect.bisect_right(found, (start, len(line) + 1)) - 1
    if n >= 0 and found[n][0] <= start < found[n][1]:
        return line[found[n][0]:found[n][1]].strip()
    return line.strip()
