"""Write the whole site at once: into a temporary folder, then swapped in by renaming."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from threadline.errors import BuildError, OutputError, Problem, reason
from threadline.publish.stamp import INPUTS
from threadline.site.render import Output

# File systems allow names of 255 bytes; the search index saves a page's document under its
# folder's name plus ".html" (search.flat), so a page's folder name may have 250.
NAME_MAX = 250


def refuse_bad_paths(outputs: list[Output]) -> None:
    """Two pages that would write one path, or a name too long to save, are errors, never a failed write."""
    seen: dict[str, Output] = {}
    problems = [p for output in outputs if (p := _too_long(output))]
    for output in outputs:
        key = output.path.lower()  # case-insensitive file systems would merge them too
        if key in seen:
            problems.append(Problem(output.path, 0, 0, f"{output.source} and {seen[key].source} both write this path"))
        seen.setdefault(key, output)
    if problems:
        raise BuildError(sorted(problems))


def _too_long(output: Output) -> Problem | None:
    longest = max(len(name.encode("utf-8")) for name in output.path.split("/"))
    if longest <= NAME_MAX:
        return None
    return Problem(output.path, 0, 0, f"{output.source} would be saved under a name of {longest} bytes, "
                   f"more than file systems allow ({NAME_MAX})", "shorten the id or file name it comes from")


def refuse_output_folder(root: Path, out: Path) -> None:
    """The output folder is replaced whole: it must be a folder, and hold no part of the investigation."""
    problem = _output_folder_problem(root.resolve(), out.resolve())
    if problem:
        raise BuildError([Problem(str(out), 0, 0, problem, f"choose a folder of its own, e.g. {root / 'public'}")])


def _output_folder_problem(root: Path, out: Path) -> str:
    for folder in (out, *out.parents):
        if folder.exists() and not folder.is_dir():
            return "the output folder is a file" if folder == out else f"the output folder is inside {folder}, a file"
    if out == root or out in root.parents:
        return "the output folder holds the investigation, and a build replaces it whole"
    for name in INPUTS:
        if out == root / name or root / name in out.parents:
            return f"the output folder is inside the investigation's {name}, and a build replaces it whole"
    if _holds_other_files(out):
        return (f"the output folder holds files no build wrote (there is no {MARKER} in it), "
                "and a build replaces it whole")
    return ""


MARKER = ".nojekyll"  # every build writes it (files.py): a folder without it was not built here


def _holds_other_files(out: Path) -> bool:
    """Whether `out` is a folder with something in it that is not a site a build wrote."""
    try:
        with os.scandir(out) as entries:
            names = {entry.name for entry in entries}
    except OSError:
        return False  # missing (the usual first build), or said so when the build writes there
    return bool(names) and MARKER not in names


@contextmanager
def writing(doing: str, name_the_file: bool = True) -> Iterator[None]:
    """An OSError in the block (a full disk, no permission) stops the build with one line, not a traceback."""
    try:
        yield
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename and name_the_file else ""
        raise OutputError(f"{reason(exc)} while {doing}{where}") from None


class Sink:
    """Where rendered files go as they are made."""

    def put(self, output: Output) -> None:
        raise NotImplementedError

    def keep(self, output: Output) -> Output:
        """Put the file here; what the build holds of it after: its path and size, not its bytes."""
        self.put(output)
        return Output(output.path, b"", output.source, on_disk=True, disk_size=len(output.content))


class Discard(Sink):
    """Where pages go when they are rendered only to find their errors (`check`): nowhere."""

    def put(self, output: Output) -> None:
        """Keep nothing."""


class Staging(Sink):
    """A folder beside `out` that becomes `out` only when the whole build succeeded.

    Files are put into it as they are made (worker processes put their own pages, so the site
    never has to be held in memory at once); leaving the `with` block with an error leaves `out`
    exactly as it was.

    The staging folder is the site before the last one, kept beside `out` as `.NAME.previous`,
    rewritten in place: a file whose bytes are unchanged is left alone, a changed one is
    overwritten, files the site no longer has are removed (`keep_only`). Creating and deleting
    files is what a large build costs the file system most (tens of thousands of them at 10,000
    dossiers); a rebuild that reuses the tree creates and deletes only what changed. The first
    build, or one after `.NAME.previous` was removed, writes a new folder. The folders in
    `regenerated` (the search bundle) have a writer of their own, which keeps or replaces them
    whole: `keep_only` leaves them alone.
    """

    def __init__(self, out: Path, regenerated: tuple[str, ...] = ()):
        self.out, self.regenerated = out.resolve(), regenerated
        self.folder = Path()
        self.reused = False  # whether the folder holds an older site, to compare with and clean
        self.made: set[Path] = set()  # folders made by this process, so each is made once
        # A new folder's source of the files whose keys are unchanged: the last site (`out`), when the
        # record vouches for it (pipeline.record_of); they are linked from it (`carry`). None otherwise.
        self.source: Path | None = None
        self.trash: list[Path] = []  # removed after the swap, by then outside the site

    def __enter__(self) -> Staging:
        with writing(f"making a folder for the site beside {self.out}", name_the_file=False):  # a random name
            return self._enter()

    def _enter(self) -> Staging:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        self.folder = _new_folder(self.out)
        previous = previous_of(self.out)
        if previous.is_dir() and not previous.is_symlink():  # a link would have us write where it points
            self.folder.rmdir()
            os.replace(previous, self.folder)
            self.reused = True
        return self

    def afresh(self) -> None:
        """Write a new folder after all: the reused one, the site before the last, is removed after the swap."""
        with writing(f"making a folder for the site beside {self.out}", name_the_file=False):
            aside = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            os.replace(self.folder, aside / "tree")  # not "site": recover() would take it for a site to restore
            self.trash.append(aside)
            self.folder = _new_folder(self.out)
            self.reused = False

    def put(self, output: Output) -> None:
        try:
            self._put(output)
        except OSError as exc:  # on a worker too: the message comes back whole
            raise OutputError(f"{reason(exc)} while writing {output.path}") from None

    def _put(self, output: Output) -> None:
        target = self._target(output.path)
        data = output.data
        if self.reused and _holds(target, data):
            return
        target.write_bytes(data)

    def carry(self, paths: list[str]) -> None:
        """Have the files at `paths`, whose keys are unchanged: a new folder links them to the last site's.

        Linking is cheaper than rendering: the first rebuild after a full build, with no site before
        the last to rewrite, renders only what changed (at 10,000 dossiers, 4 files where it rendered
        20,660). A file with two names is never written in place (`_holds`), so neither site can change
        the other's. Where the file system has no hard links, the files are copied.
        """
        if self.source is None:
            return
        for path in paths:
            self._carry_one(path)

    def carry_folder(self, name: str) -> None:
        """carry() every file of the last site's folder `name` (the search bundle, whose documents are unchanged)."""
        if self.source is None:
            return
        top = self.source / name
        for folder, _, files in os.walk(top):
            relative = Path(folder).relative_to(self.source).as_posix()
            for file in files:
                self._carry_one(f"{relative}/{file}")

    def _carry_one(self, path: str) -> None:
        try:
            _link_or_copy(self.source / path, self._target(path))
        except OSError as exc:
            raise OutputError(f"{reason(exc)} while copying {path} from the last site") from None

    def _target(self, path: str) -> Path:
        """Where the file at `path` goes in the folder, its folders made (each once)."""
        target = self.folder / path
        if target.parent not in self.made:
            _make_folder(target.parent, self.folder, self.reused)
            self.made.add(target.parent)
        return target

    def size(self, path: str) -> int | None:
        """The size of the file the folder holds at `path`, or None when it holds none."""
        try:
            return (self.folder / path).stat().st_size
        except OSError:
            return None

    def keep_only(self, paths: set[str]) -> None:
        """Remove every file a reused folder still holds that the new site does not have."""
        if not self.reused:
            return
        for folder, _, files in os.walk(self.folder, topdown=False):
            relative = os.path.relpath(folder, self.folder)
            if relative.split(os.sep)[0] in self.regenerated:
                continue
            for name in files:
                path = name if relative == "." else f"{relative}/{name}".replace(os.sep, "/")
                if path not in paths:
                    os.unlink(os.path.join(folder, name))
            if relative != "." and not os.listdir(folder):
                os.rmdir(folder)

    def __exit__(self, kind, error, trace) -> None:
        try:
            if error is None:
                swap_in(self.folder, self.out)
            elif not previous_of(self.out).exists():  # keep the tree for the next build to reuse
                os.replace(self.folder, previous_of(self.out))
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)  # gone already, unless something failed
            for trash in self.trash:
                shutil.rmtree(trash, ignore_errors=True)


def _new_folder(out: Path) -> Path:
    """A new staging folder beside `out`, readable as a folder made by mkdir is: it becomes the site,
    which a web server running as another user may serve (mkdtemp makes it for its owner alone)."""
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    umask = os.umask(0o022)  # read, then put back: the process's own setting decides
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def previous_of(out: Path) -> Path:
    """Where the site a build replaced is kept, for the next build to rewrite in place."""
    return out.parent / f".{out.name}.previous"


def _make_folder(folder: Path, top: Path, reused: bool) -> None:
    """Make `folder` inside `top`; in a reused tree, a file or link of an older site in its way goes first.

    A link must never stand for a folder: what is written through it would land outside the site.
    """
    if not reused:
        folder.mkdir(parents=True, exist_ok=True)  # another worker may have made it: fine
        return
    part = top
    for name in folder.relative_to(top).parts:
        part = part / name
        try:
            if S_ISDIR(os.lstat(part).st_mode):
                continue
            os.unlink(part)
        except FileNotFoundError:
            pass
        with contextlib.suppress(FileExistsError):  # another worker made it meanwhile
            os.mkdir(part)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copyfile(source, target)


def _holds(target: Path, content: bytes) -> bool:
    """Whether `target` already holds `content`; whatever would make writing it unsafe is removed.

    Only a plain file with one name is ever written in place: writing through a link would
    change a file outside the staging folder.
    """
    try:
        stat = os.lstat(target)
    except FileNotFoundError:
        return False
    if not S_ISREG(stat.st_mode) or stat.st_nlink > 1:
        _remove(target)
        return False
    return stat.st_size == len(content) and target.read_bytes() == content


def swap_in(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is with two renames; the replaced site is kept as the previous one.

    A marker beside them says a swap is under way, so that a build killed between the renames
    can be told from an editor's having removed `out`.
    """
    if not out.exists():
        os.replace(staging, out)
        return
    previous, marker = previous_of(out), _swap_marker(out)
    if os.path.lexists(previous):  # another build made one meanwhile, or something else is there
        _remove(previous)
    marker.touch()
    os.replace(out, previous)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(previous, out)  # put the site back
        raise
    finally:
        marker.unlink()


def _remove(path: Path) -> None:
    """Remove a folder with what it holds, or a file or link (never what a link points to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _swap_marker(out: Path) -> Path:
    return out.parent / f".{out.name}.swapping"


def recover(out: Path) -> None:
    """Undo what a build killed mid-way left: restore a site moved aside, drop half-written trees.

    Killed between the two renames of `swap_in`, the site is in `.NAME.previous`; a killed
    build's staging folder becomes the previous site to rewrite, unless there is one.
    """
    previous, marker = previous_of(out), _swap_marker(out)
    if marker.exists():
        if not out.exists() and previous.is_dir():
            os.replace(previous, out)
        marker.unlink()
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        if (old / "site").is_dir() and not out.exists():
            os.replace(old / "site", out)  # left by a build of an earlier version
        shutil.rmtree(old, ignore_errors=True)
    for staging in out.parent.glob(f".{out.name}.new-*"):
        if not previous.exists():
            os.replace(staging, previous)
        else:
            shutil.rmtree(staging, ignore_errors=True)
