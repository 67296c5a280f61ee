"""The floor for any generator written in Python: each article through Python-Markdown and a tiny
Jinja2 template, written as `NAME/index.html`, and nothing else (no links, no lists, no index).

    python bench/floor.py SOURCE OUT

One process, as the simplest such pipeline runs. The benchmark times it beside the real
generators to show what Python itself costs per page on the machine at hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup

PAGE = jinja2.Environment(autoescape=True).from_string(
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>\n'
    "<body><main><h1>{{ title }}</h1>\n{{ body }}</main></body></html>\n")


def main(source: Path, out: Path) -> None:
    converter = markdown.Markdown()
    for path in sorted(source.glob("*.md")):
        title, _, text = path.read_text(encoding="utf-8").partition("\n\n")
        converter.reset()
        page = out / path.stem / "index.html"
        page.parent.mkdir(parents=True)
        body = Markup(converter.convert(text))  # the synthetic articles: trusted, as the other generators trust them
        page.write_text(PAGE.render(title=title.removeprefix("# "), body=body), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
