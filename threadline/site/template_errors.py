"""Template errors as problems at their place: `templates/<file>:<line>: message`.

Every template is read and compiled before any page is rendered, so that a syntax error or
a file that is not UTF-8 is found even in a template no page uses, all of them in one run.
An error raised while rendering (an undefined variable, a missing include, a filter given
the wrong type) is placed at the innermost template line of its traceback: Jinja rewrites
a template's frames to carry the template's file name and line.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from stat import S_ISREG

import jinja2

from threadline.errors import Problem, one_line, reason

SUFFIX = ".html"  # a template's file name ends with it; templates/static/ holds files copied as they are


def check_templates(env: jinja2.Environment, templates: Path) -> list[Problem]:
    """A problem for every template that cannot be read, is not UTF-8 or does not compile."""
    problems = []
    for path in template_files(templates):
        problem = _file_problem(env, templates, path)
        if problem:
            problems.append(problem)
    return problems


def template_files(templates: Path) -> list[Path]:
    """Every template file, sorted: the .html files below templates/, hidden ones and static/ aside."""
    found = []
    for folder, folders, files in os.walk(templates):
        top = Path(folder) == templates
        folders[:] = sorted(f for f in folders if not f.startswith(".") and not (top and f == "static"))
        found += [Path(folder, name) for name in files if name.endswith(SUFFIX) and not name.startswith(".")]
    return sorted(found)


def _file_problem(env: jinja2.Environment, templates: Path, path: Path) -> Problem | None:
    shown = shown_path(path, templates)
    try:
        if not S_ISREG(os.stat(path).st_mode):
            return Problem(shown, 0, 0, "the template is not a regular file (a pipe, socket or device?)")
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(shown, 0, 0, f"cannot read the template: {reason(exc)}")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(shown, raw.count(b"\n", 0, exc.start) + 1, 0,
                       f"the template is not UTF-8 (byte {exc.start} is {raw[exc.start]:#04x})", "convert it to UTF-8 first")
    if not raw.strip():  # the pages made from it, or from a template that extends it, would be empty
        return Problem(shown, 1, 0, "the template is empty",
                       "restore it; to leave a part out on purpose, write a comment in it: {# left out #}")
    try:
        env.get_template(path.relative_to(templates).as_posix())
    except jinja2.TemplateSyntaxError as exc:
        return Problem(shown, exc.lineno, 0, f"template syntax error: {one_line(exc.message or '')}")
    return None


def render_problem(exc: Exception, templates: Path, template: str, page: str) -> Problem:
    """Where and why rendering `page` from `template` failed."""
    hint = f"while rendering {page}"
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:  # in an included template
        return Problem(shown_path(Path(exc.filename), templates), exc.lineno, 0,
                       f"template syntax error: {one_line(exc.message or '')}", hint)
    path, line = innermost_template_line(exc, templates) or (f"templates/{template}", 0)
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(path, line, 0, _not_found(exc.name, templates, top_level=not line), hint)
    if isinstance(exc, jinja2.UndefinedError):
        return Problem(path, line, 0, one_line(exc.message or str(exc)), hint)
    return Problem(path, line, 0, f"{type(exc).__name__}: {one_line(str(exc))}", hint)


def innermost_template_line(exc: BaseException, templates: Path) -> tuple[str, int] | None:
    """The template file and line of the innermost template frame of the traceback, if any."""
    top = os.path.abspath(templates)
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        name = os.path.abspath(frame.filename)
        if name.startswith(top + os.sep) and frame.lineno:
            found = (shown_path(Path(name), templates), frame.lineno)
    return found


def _not_found(name: object, templates: Path, top_level: bool) -> str:
    """Why a template could not be loaded: missing, or something other than a file has its name."""
    target = templates / str(name)
    what = "the template" if top_level else f"template {str(name)!r}"
    if target.is_dir():
        return f"{what} is a folder, not a file"
    if os.path.lexists(target):
        return f"{what} is not a regular file (a pipe, socket, device or broken link?)"
    return f"{what} is missing" if top_level else f"{what} not found in templates/"


def shown_path(path: Path, templates: Path) -> str:
    """A template's path as messages show it: templates/<file>."""
    absolute, top = Path(os.path.abspath(path)), Path(os.path.abspath(templates))
    return f"templates/{absolute.relative_to(top).as_posix()}" if absolute.is_relative_to(top) else absolute.as_posix()
