"""Read an investigation from disk into the model, collecting every problem on the way."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from threadline.errors import Problems, Where, relpath
from threadline.inputs.cache import FileCache
from threadline.inputs.dates import UNDATED, DateError, parse_date
from threadline.inputs.model import KINDS, Boilerplate, Citation, Dossier, Entity, Event, Note, Page, Project, Quote, Sic, Site
from threadline.inputs.reading import decode, listed, read_input, readable_folder, unshowable
from threadline.inputs.schema import validate
from threadline.inputs.todo import is_marker, note_markers
from threadline.inputs.yamlio import YMap, load_yaml, value_where_of, where_of
from threadline.publish.modes import Mode
from threadline.publish.search import BUNDLE
from threadline.site.urls import SAVE_AS

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_SEED_BYTES = 20 * 1024 * 1024


def load_project(root: Path, problems: Problems, mode: Mode | None = None) -> Project:
    """Load site.yaml, entities, events, dossiers (with their seeds) and pages.

    The build mode says how: in the dev server's, files unchanged since the last load are not read
    again; in a full build, a large investigation's sidecars are read on worker processes.
    """
    mode = mode or Mode()
    cache = mode.files
    if cache is not None:
        cache.begin()
    project = Project(root, load_site(root, problems))
    with _noting_failures(project, "entities", problems):
        project.entities = _table(root, "entities", problems, mode)
    with _noting_failures(project, "events", problems):
        project.events = _table(root, "events", problems, mode)
    with _noting_failures(project, "dossiers", problems):
        paths = listed(root, "content/dossiers", "*.yaml", problems, cache)
        if cache is None:
            loaded = mode.load_each(root, _load_one, root, paths, Dossier, lambda d: (root / "seeds" / d.seed,))
            for found in (found for _, found in loaded):
                problems.extend(found)
        else:  # the cache replays each file's problems itself
            loaded = [(cache.kept(str(path), _dossier_read, problems, path, root, cache), ()) for path in paths]
        project.dossiers = {dossier.slug: dossier for dossier, _ in loaded if dossier}
        _one_sidecar_per_seed(project, problems)
    project.pages = load_pages(root, problems)
    return project


def _one_sidecar_per_seed(project: Project, problems: Problems) -> None:
    """A seed annotated twice would be published twice, its events counted twice."""
    first: dict[str, Dossier] = {}
    for dossier in sorted(project.dossiers.values(), key=lambda d: d.source):
        other = first.setdefault(dossier.seed, dossier)
        if other is not dossier:
            problems.add(dossier.where, f"seed {dossier.seed!r} already has a sidecar, {other.source}",
                         "one sidecar per seed: merge the two files")


def _dossier_read(path: Path, root: Path, cache: FileCache, problems: Problems) -> tuple[Dossier | None, tuple[Path, ...]]:
    """One sidecar and its seed, and the files read: kept whole by the preview while neither changed."""
    dossier = load_dossier(path, root, problems, cache)
    return dossier, (path, root / "seeds" / dossier.seed) if dossier else ()


def _load_one(root: Path, path: Path) -> tuple[Dossier | None, list]:
    """One sidecar and its seed, with the problems found (a worker process's share of the load)."""
    found = Problems()
    return load_dossier(path, root, found), found.items


@contextmanager
def _noting_failures(project: Project, what: str, problems: Problems) -> Iterator[None]:
    """Mark `what` as incomplete when loading it found errors, so later checks do not pile on."""
    before = len(problems.errors)
    yield
    if len(problems.errors) > before:
        project.incomplete.add(what)


def read_yaml(path: Path, root: Path, schema: str, problems: Problems) -> Any:
    """Read, parse and schema-check one YAML file; None if it has errors."""
    where = Where(relpath(path, root), 1, 1)
    raw = read_input(path, root, problems)
    text = None if raw is None else decode(raw, where, problems)
    if text is None:
        return None
    note_markers(text, where.path, problems)
    before = len(problems.items)
    data = load_yaml(text, where.path, problems)
    if data is None:
        if len(problems.items) == before:  # only comments, or a bare `~`
            problems.add(where, "the file is empty")
        return None
    if isinstance(data, dict):  # a TODO_confirm… key is reported as a draft above, not as an unknown field
        for key in [key for key in data if is_marker(key)]:
            del data[key]
    return data if validate(data, schema, where, problems) else None


def load_site(root: Path, problems: Problems) -> Site:
    path = root / "site.yaml"
    if not os.path.lexists(path):
        problems.add(Where("site.yaml"), "site.yaml is missing", "every investigation needs one; see `build.py init`")
        return Site(title="Untitled", base_url="/")
    data = read_yaml(path, root, "site", problems) or {}
    if data and not _valid_port(data["base_url"], value_where_of(data, "base_url", Where("site.yaml")), problems):
        return Site(title="Untitled", base_url="/")
    return Site(**{k: v for k, v in data.items()}) if data else Site(title="Untitled", base_url="/")


def base_url_given(project: Project, base_url: str, problems: Problems) -> None:
    """`--base-url` in place of site.yaml's, held to the same rules (a slash is added at its end)."""
    url = base_url if base_url.endswith("/") else base_url + "/"
    where = Where("--base-url")
    if validate({"title": project.site.title, "base_url": url}, "site", where, problems) and _valid_port(url, where, problems):
        project.site = replace(project.site, base_url=url)


def _valid_port(url: str, where: Where, problems: Problems) -> bool:
    """The schema's pattern says what a base URL may hold; this, that its port is a number a browser can use."""
    try:
        port = urlsplit(url).port
    except ValueError:
        port = 0
    if port == 0:
        problems.add(where, f"base_url: {url!r} has no valid port (a number up to 65535)")
    return port != 0


# Above this many bytes of YAML in one kind of list file, the files are read on worker processes.
PARALLEL_BYTES = 2 * 1024 * 1024


def _table(root: Path, kind: str, problems: Problems, mode: Mode) -> dict[str, Any]:
    """Every entity or event of content/<kind>/ by id, in file order; a duplicate id is reported.

    Kept by the preview while every file's list is the one it was made from: 50,000 events at 10,000 dossiers.
    """
    lists = _list_files(root, kind, problems, mode)
    table, found = mode.kept_while(kind, tuple(lists), lambda: _by_id(lists, "entity" if kind == "entities" else "event"))
    problems.extend(found)
    return table


def _by_id(lists: list[list], what: str) -> tuple[dict[str, Any], list]:
    table: dict[str, Any] = {}
    found = Problems()
    for item in (item for items in lists for item in items if item is not None):
        if item.id in table:
            first = table[item.id].where
            found.add(item.where, f"duplicate {what} id {item.id!r}", f"first defined at {first.path}:{first.line}")
        else:
            table[item.id] = item
    return table, found.items


def _list_files(root: Path, kind: str, problems: Problems, mode: Mode) -> list[list]:
    """The entities or events of each file in content/<kind>/, in file order (the preview's, as it kept them)."""
    paths = listed(root, f"content/{kind}", "*.yaml", problems, mode.files)
    if mode.files is None:  # on workers when the files are large, else in this process
        large = sum(p.lstat().st_size for p in paths) > PARALLEL_BYTES
        done = mode.load_each(root, _list_file_alone, (root, kind), paths, list[Entity] if kind == "entities" else list[Event],
                              min_items=2 if large else len(paths) + 1)
    else:  # the cache replays each file's problems itself
        cache = mode.files
        done = [(cache.get((path,), lambda found, path=path: _list_file(root, kind, path, found), problems), [])
                for path in paths]
    for _, found in done:
        problems.extend(found)
    return [items for items, _ in done]


def _list_file(root: Path, kind: str, path: Path, found: Problems) -> list:
    """The entities or events of one file; problems go to `found`."""
    items = read_yaml(path, root, kind, found) or []
    convert = load_entity if kind == "entities" else load_event
    return [convert(item, where_of(items, i, Where(relpath(path, root))), found) for i, item in enumerate(items)]


def _list_file_alone(where: tuple[Path, str], path: Path) -> tuple[list, list]:
    """One file's items and problems, as a worker process sends them back."""
    found = Problems()
    return _list_file(*where, path, found), found.items


def load_entity(data: YMap, where: Where, problems: Problems) -> Entity:
    return Entity(
        id=data["id"], kind=data["kind"], name=data["name"].strip(),
        aliases=tuple(a.strip() for a in data.get("aliases", [])),
        description=data.get("description", ""), wikidata=data.get("wikidata"), where=where,
        aliases_where=_item_wheres(data, "aliases", where),
    )


def load_event(data: YMap, where: Where, problems: Problems) -> Event | None:
    date = _date(data, "date", where, problems)
    if date is None:
        return None
    return Event(
        id=data["id"], date=date, date_basis=data["date_basis"], title=data["title"],
        status=data["status"], entities=tuple(data["entities"]), note=data.get("note", ""),
        where=where, entities_where=_item_wheres(data, "entities", where),
    )


def _item_wheres(data: YMap, key: str, where: Where) -> tuple[Where, ...]:
    """Where each item of the list `data[key]` stands, so that a problem with one is reported at its own line."""
    items = data.get(key, [])
    return tuple(where_of(items, i, where_of(data, key, where)) for i in range(len(items)))


def _date(data: YMap, key: str, where: Where, problems: Problems):
    try:
        return parse_date(str(data[key]))
    except DateError as exc:
        problems.add(value_where_of(data, key, where), f"{key}: {exc}")
        return None


def load_dossier(path: Path, root: Path, problems: Problems, cache: FileCache | None = None) -> Dossier | None:
    """One sidecar and its seed; None when either has errors."""
    if not SLUG.fullmatch(path.stem):
        problems.add(Where(relpath(path, root), 1, 1), f"the file name gives the slug {path.stem!r}, which is not valid",
                     "use lower-case letters, digits and single hyphens, e.g. ft-2021-musk-forum.yaml")
        return None
    cache = cache or FileCache()
    # The cache keeps only the seed's path of a sidecar read: its parse (every value with its place,
    # 110 MB at 10,000 dossiers) is needed again only when its seed alone changed, and is made again then.
    parsed: list[tuple[YMap, Path] | None] = []

    def seed_of(found: Problems) -> Path | None:
        parsed.append(_read_sidecar(path, root, found))
        return parsed[0] and parsed[0][1]

    def made(found: Problems) -> Dossier | None:
        # The sidecar's own problems are the first lookup's, reported by it.
        read = parsed[0] if parsed else _read_sidecar(path, root, Problems())
        return None if read is None else _made(path, root, read[0], found)

    seed = cache.get((path,), seed_of, problems)
    # Kept while neither file changes: the dev server knows an unchanged dossier by its being the same object.
    return None if seed is None else cache.get((path, seed), made, problems)


def _read_sidecar(path: Path, root: Path, problems: Problems) -> tuple[YMap, Path] | None:
    """A sidecar's data and the path of its seed; None if it has errors."""
    data = read_yaml(path, root, "dossier", problems)
    return None if data is None else (data, root / "seeds" / str(data["seed"]))


def _made(path: Path, root: Path, data: YMap, problems: Problems) -> Dossier | None:
    """The dossier of a sidecar read without errors, with its seed; None when either has errors."""
    where = Where(relpath(path, root), 1, 1)
    text = read_seed(root, data, where, problems)
    # `published: TODO` is a draft's, reported as such: the preview shows the draft as undated.
    published = UNDATED if is_marker(data["published"]) else _date(data, "published", where, problems)
    updated = _date(data, "updated", where, problems) if "updated" in data else None
    if text is None or published is None or ("updated" in data and updated is None):
        return None
    return replace(_dossier(path.stem, where, data, text, published), updated=updated)


def _dossier(slug: str, where: Where, data: YMap, text: str, published) -> Dossier:
    def at(container, key):
        return where_of(container, key, where)

    def items(key):
        seq = data.get(key, [])
        return [(item, at(seq, i)) for i, item in enumerate(seq)]

    return Dossier(
        slug=slug, source=where.path, seed=data["seed"], sha256=data["sha256"], text=text,
        headline=data["headline"].strip(), headline_by=data["headline_by"], headline_where=at(data, "headline"),
        outlet=data.get("outlet"), outlet_basis=data.get("outlet_basis", ""),
        author=data.get("author"), author_basis=data.get("author_basis", ""), author_entity=data.get("author_entity"),
        published=published, published_basis=data["published_basis"],
        boilerplate=tuple(_boilerplate(item, w) for item, w in items("boilerplate")),
        subheadings=tuple((item.strip(), w) for item, w in items("subheadings")),
        notes=tuple(Note(item["passage"], item["text"], at(item, "passage")) for item, w in items("notes")),
        quotes=tuple(Quote(item["speaker"], item["text"], at(item, "text"), at(item, "speaker"))
                     for item, w in items("quotes")),
        citations=tuple(Citation(item["event"], item["quote"], at(item, "quote"), at(item, "event"))
                        for item, w in items("events")),
        unlinked=tuple(data.get("unlinked", [])),
        where=where, author_entity_where=at(data, "author_entity") if "author_entity" in data else None,
        sics=tuple(Sic(item["passage"], item.get("means", ""), at(item, "passage")) for item, w in items("sic")),
    )


def _boilerplate(item: Any, where: Where) -> Boilerplate:
    if isinstance(item, dict):
        return Boilerplate(item["prefix"].lstrip(), True, where)
    return Boilerplate(item.strip(), False, where)


def read_seed(root: Path, data: YMap, where: Where, problems: Problems) -> str | None:
    """The seed's text, after checking it exists, is unchanged (sha256) and is UTF-8 text."""
    name, at = data["seed"], where_of(data, "seed", where)
    path = root / "seeds" / name
    if not os.path.lexists(path):
        if readable_folder(root / "seeds", at, problems, f"seed {name!r} cannot be looked for: seeds/"):
            problems.add(at, f"seed {name!r} not found in seeds/")
        return None
    raw = read_input(path, root, problems, f"seed {name!r}", MAX_SEED_BYTES, at)
    if raw is None:
        return None
    text = decode_seed(raw, name, at, problems)  # an unreadable seed is said so, changed or not
    digest = hashlib.sha256(raw).hexdigest()
    if digest != data["sha256"]:
        problems.add(where_of(data, "sha256", where), f"seed {name!r} has changed since it was annotated",
                     f"check the annotations against the new text, then set sha256: {digest}")
        return None
    return text


def decode_seed(raw: bytes, name: str, where: Where, problems: Problems) -> str | None:
    if not raw.strip():
        problems.add(where, f"seed {name!r} is empty")
        return None
    if b"\0" in raw:
        problems.add(where, f"seed {name!r} is binary, not text")
        return None
    return decode(raw, where, problems, f"seed {name!r}")


def load_pages(root: Path, problems: Problems) -> dict[str, Page]:
    """Free Markdown pages; the first `# heading` is the title."""
    pages = {}
    for path in listed(root, "content/pages", "*.md", problems):
        page = load_page(path, root, problems)
        if page:
            pages[page.slug] = page
    return pages


def load_page(path: Path, root: Path, problems: Problems) -> Page | None:
    """One free page; None, with a problem, when its name or text cannot make one."""
    where = Where(relpath(path, root), 1, 1)
    if not SLUG.fullmatch(path.stem):
        problems.add(where, f"page file name {path.stem!r} is not a valid slug")
        return None
    if path.stem in reserved_slugs():
        problems.add(where, f"a page named {path.stem!r} would replace the site's own {path.stem}/", "rename the file")
        return None
    raw = read_input(path, root, problems)
    text = None if raw is None else decode(raw, where, problems)
    if text is None or unshowable(text, where, problems, "the page"):
        return None
    note_markers(text, where.path, problems)
    first, _, rest = text.partition("\n")
    if not first.startswith("# "):
        problems.add(where, "a page starts with its title as a `# heading` line")
        return None
    return Page(path.stem, first[2:].strip(), rest, where.path)


def reserved_slugs() -> set[str]:
    """The top-level folders the site writes itself: a free page of one of these names would collide."""
    fixed = {pattern.split("/")[0] for pattern in SAVE_AS.values() if "/" in pattern}
    return {name for name in fixed if "{" not in name} | set(KINDS.values()) | {BUNDLE}
