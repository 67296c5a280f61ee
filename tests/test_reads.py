"""Which fields of the views a page template reads: found in the source of it and of the templates it uses."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from tests.conftest import REPO
from threadline.site.reads import views_read
from threadline.site.render import environment


def env_of(**templates: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates))


def test_the_fields_named_in_a_template_and_those_it_uses() -> None:
    env = env_of(**{"page.html": '{% extends "base.html" %}{% block b %}{{ views.events }}{{ views["network"] }}'
                                 '{% endblock %}',
                    "base.html": '{% import "m.html" as m %}{% block b %}{% endblock %}{{ m.f(views.by_kind) }}',
                    "m.html": "{% macro f(x) %}{{ x }}{% endmacro %}"})
    assert views_read(env, "page.html") == ("by_kind", "events", "network")


@pytest.mark.parametrize("source", [
    "{{ m(views) }}",  # the views passed whole: anything of them may be read
    "{% set views = other %}{{ views.events }}",  # the name given to something else
    "{% for views in lists %}{{ views.events }}{% endfor %}",
    "{% macro f(views) %}{{ views.events }}{% endmacro %}",
    "{{ views.no_such_field }}",
    "{{ views[name] }}",
    "{% include name %}{{ views.events }}",  # a template chosen as it renders
    '{% include "missing.html" %}',
    "{{ views.events }",  # does not parse
])
def test_any_other_use_of_the_views_gives_them_all(source: str) -> None:
    assert views_read(env_of(**{"page.html": source}), "page.html") is None


def test_the_shipped_templates_read_what_their_pages_show() -> None:
    env = environment(Path(REPO / "templates"))
    assert views_read(env, "timeline.html") == ("roster", "timeline_index")
    assert views_read(env, "dossiers.html") == ("links",)  # each dossier's link, not its whole view
