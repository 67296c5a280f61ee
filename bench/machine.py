"""The machine and software a run was measured on."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from .common import REPO

OUR_PACKAGES = ("jinja2", "markdown", "pyyaml", "jsonschema", "fastjsonschema", "pagefind")


def machine() -> dict[str, str]:
    return {
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?",
        "memory": _memory(),
        "OS": f"{platform.system()}, {_os_name()}",
        "Python": platform.python_version(),
    }


def _proc_field(path: str, key: str) -> str | None:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == key:
            return " ".join(value.split())
    return None


def _memory() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal")
    return f"{int(total.split()[0]) / 1024 / 1024:.1f} GiB" if total else "?"


def _os_name() -> str:
    try:
        return platform.freedesktop_os_release().get("PRETTY_NAME", "?")
    except OSError:
        return "?"


def our_versions() -> dict[str, str]:
    found = {"threadline": _commit()}
    for name in OUR_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    found["pyyaml"] = found.get("pyyaml", "?") + (" with libyaml" if _has_libyaml() else " (pure Python)")
    return found


def _has_libyaml() -> bool:
    import yaml

    return bool(getattr(yaml, "__with_libyaml__", False))


def _commit() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = git("status", "--porcelain", "--", "threadline", "templates", "build.py")
    return f"{commit}{' + uncommitted changes' if dirty else ''}"
