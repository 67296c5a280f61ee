"""The HTML of the lists that repeat by the thousand: event items and mentions in context.

At 10,000 dossiers the timeline and the entity pages hold 150,000 event items and 200,000
mentions in context. Through a Jinja macro each costs tens of microseconds of calls and
per-value escaping, several times the cost of the rest of the page, so they are written here.
Every value is escaped: no text from a seed or a YAML file is trusted as HTML. Templates call
them as `event_items(events, root)` and `mention_groups(groups, root)`.
"""

from __future__ import annotations

from markupsafe import Markup

from threadline.site.graph import Connection
from threadline.site.views import EventView, MentionGroup, SourceView
from threadline.text.escaping import escape, escape_text

_text = escape_text  # text between tags: only &, < and > mean anything there (quotes matter in attributes)


def status_badge(status: str) -> Markup:
    """A claim's status as a labelled badge (templates call it too)."""
    return Markup(_badge(status))


def _badge(status: str) -> str:
    return f'<span class="status status-{escape(status)}">{escape(status)}</span>'


def when(datetime: str | None, words: str) -> Markup:
    """A date in words, in a <time> with its HTML date where it has one (a span has none)."""
    return Markup(_when(datetime, words))


def _when(datetime: str | None, words: str) -> str:
    """when(), as text: the lists here make hundreds of thousands, and wrap them as Markup once."""
    if datetime is None:
        return f'<span class="date">{_text(words)}</span>'
    return f'<time datetime="{escape(datetime)}">{_text(words)}</time>'


def copy_button(href: str, what: str) -> str:
    """A button that copies the address of `href` (relative to the page), shown only when the script runs."""
    return (f'<button type="button" class="copy-link" data-href="{escape(href)}" hidden>'
            f'Copy link<span class="visually-hidden"> to {_text(what)}</span></button>')


def event_items(events: list[EventView], root: str, heading: str = "h3", here: str | None = None) -> Markup:
    """Each event as a timeline item: date, status, title, who is named, note, quotes, date basis.

    With `here` (a dossier's slug) each is brief, as the dossier lists them: date, status, and the
    title linked to the event on the timeline. This is the site's one event renderer.
    """
    if here is not None:
        return Markup("".join(_event_brief(e, root) for e in events))
    return Markup("".join(_event_item(e, root, heading) for e in events))


def _event_brief(e: EventView, root: str) -> str:
    return (f'<li class="event precision-{e.precision}"><p class="event-date">{_when(e.datetime, e.date)} '
            f'{_badge(e.status)}</p>\n<a href="{escape(root + e.url)}">{_text(e.title)}</a></li>\n')


def _event_item(e: EventView, root: str, heading: str) -> str:
    named = ", ".join(f'<a href="{escape(root + r.url)}">{_text(r.name)}</a>' for r in e.entities)
    ids = escape(" ".join(r.id for r in e.entities))
    lines = [
        f'<li class="event precision-{e.precision}" id="{escape(e.id)}" data-status="{escape(e.status)}" data-entities="{ids}">',
        f'  <p class="event-date">{_when(e.datetime, e.date)} {_badge(e.status)} '
        f'{copy_button("#" + e.id, "this event")}</p>',
        f'  <{heading} class="event-title">{_text(e.title)}</{heading}>',
    ]
    if named:
        lines.append(f'  <p class="event-entities"><span class="visually-hidden">Named: </span>{named}</p>')
    if e.note:
        lines.append(f'  <p class="event-note"><span class="label">Editor’s note:</span> {e.note}</p>')  # prose: made safe
    lines += ['  <ul class="sources">', *(_source(s, root) for s in e.sources), "  </ul>",
              f'  <details class="basis"><summary>How this date is known</summary><p>{_text(e.date_basis)}</p></details>',
              "</li>\n"]
    return "\n".join(lines)


def _source(s: SourceView, root: str) -> str:
    d = s.dossier
    outlet = f", {_text(d.outlet)}" if d.outlet else ""
    return (f'    <li><blockquote><a href="{escape(root + s.url)}">“{_text(s.quote)}”</a></blockquote>\n'
            f'      <p class="source-of">— <a href="{escape(root + d.url)}">{_text(d.headline)}</a>{outlet}, '
            f"{_when(d.published_datetime, d.published)} {copy_button(root + s.url, 'this quotation')}</p></li>")


def connection_list(connections: list[Connection], root: str) -> Markup:
    """Each connected entity with the events that connect them: status, title, date, the first quotation."""
    return Markup("".join(_connection(c, root) for c in connections))


def _connection(c: Connection, root: str) -> str:
    n = len(c.events)
    events = "".join(
        f'<li>{_badge(e.status)} <a href="{escape(root + e.url)}">{_text(e.title)}</a> '
        f'<span class="meta">{_text(e.date)}</span>'
        + "".join(f'<blockquote><a href="{escape(root + s.url)}">“{_text(s.quote)}”</a></blockquote>' for s in e.sources[:1])
        + "</li>" for e in c.events)
    return (f'<li><h3><a href="{escape(root + c.ref.url)}">{_text(c.ref.name)}</a> '
            f'<span class="meta">{n} event{"s" if n != 1 else ""}</span></h3>\n<ul>{events}</ul></li>\n')


def mention_groups(groups: list[MentionGroup], root: str) -> Markup:
    """Per dossier: its headline and outlet, then every mention with the words around it."""
    return Markup('<div class="groups">\n' + "".join(_group(g, root) for g in groups) + "</div>\n")


SHOWN = 3  # mentions shown per dossier on an entity page; the rest are a click away


def _group(g: MentionGroup, root: str) -> str:
    d, n = g.dossier, len(g.mentions)
    href = escape(root + d.url)
    outlet = f"{_text(d.outlet)} · " if d.outlet else ""
    items = [f'    <li><a href="{href}#{escape(m.anchor)}">{_text(m.before)}<strong>{_text(m.text)}</strong>'
             f"{_text(m.after)}</a></li>\n" for m in g.mentions]
    more = ""
    if n > SHOWN:
        more = (f'  <details class="more"><summary>{n - SHOWN} more mention{"s" if n - SHOWN != 1 else ""}</summary>\n'
                f'  <ul class="kwic">\n{"".join(items[SHOWN:])}  </ul></details>\n')
    return (f'  <div class="group"><h3><a href="{href}">{_text(d.headline)}</a> '
            f'<span class="count">{n}<span class="visually-hidden"> mention{"s" if n != 1 else ""}</span></span></h3>\n'
            f'  <p class="meta">{outlet}{_when(d.published_datetime, d.published)}</p>\n'
            f'  <ul class="kwic">\n{"".join(items[:SHOWN])}  </ul>\n{more}  </div>\n')
