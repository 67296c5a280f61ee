"""HTML escaping exactly as html.escape does it, quicker for the text that needs none (nearly all of it)."""

from __future__ import annotations

import html


def escape(value: str, quote: bool = True) -> str:
    """html.escape(value, quote); the value itself when it holds none of the characters escaped.

    A build at 10,000 dossiers escapes millions of short values (names, ids, URLs, dates), nearly
    all of which hold none: looking for them costs half of what html.escape's five replacements do.
    """
    if "&" in value or "<" in value or ">" in value or (quote and ('"' in value or "'" in value)):
        return html.escape(value, quote)
    return value


def escape_text(value: str) -> str:
    """html.escape(value, quote=False), for text between tags, where only &, < and > mean anything."""
    if "&" in value or "<" in value or ">" in value:
        return html.escape(value, False)
    return value
