"""Where a run's outputs go: the rules for ``-o`` shared by the CLI and the export screen.

A report is written by a tool often run as root on someone else's machine, so a target is
refused unless it is a regular file (or does not exist yet): a device node, a FIFO, a
socket or a symbolic link (``/dev/null``, ``/proc/self/fd/1``) is never replaced by a
plain file. Writing to stdout is spelled ``-o -``. Every question asked of the file system
here turns an error (a folder that cannot be entered, a name too long) into one line.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.errors import OutputError, ReadinessError
from readiness.export.formats import SETS, extensions, resolve

if TYPE_CHECKING:
    from readiness.model import Audit

STDOUT = "-"


class OutputPathError(ReadinessError):
    """An ``-o`` that cannot work as given (empty, '-' for two files)."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60].strip("-") or "site"


def default_stem(audit: Audit) -> str:
    """``readiness-<site>-<YYYYMMDD-HHMM>`` from the audit itself (no clock)."""
    return f"readiness-{_slug(audit.site.name)}-{audit.started_at.strftime('%Y%m%d-%H%M')}"


def _stat(path: Path, *, follow: bool) -> os.stat_result | None:
    """``path``'s status, None when nothing is there; any other error is an OutputError."""
    try:
        return path.stat() if follow else path.lstat()
    except FileNotFoundError:
        return None
    except NotADirectoryError as exc:
        raise OutputError(path, "cannot write here: a part of the path is a file, not a folder") from exc
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise OutputError(path, "cannot write here: the name is too long for the file system") from exc
        raise OutputError(path, f"cannot write here: {exc.strerror or exc}") from exc


def is_folder(path: Path) -> bool:
    """True for an existing folder (through links); errors are one-line OutputErrors."""
    st = _stat(path, follow=True)
    return st is not None and stat.S_ISDIR(st.st_mode)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def check_target(path: Path) -> None:
    """Refuse to replace anything but a regular file: an output never turns a device, a
    FIFO or a link into a plain file."""
    st = _stat(path, follow=False)
    if st is None or stat.S_ISREG(st.st_mode):
        return
    raise OutputError(
        path,
        f"is {_kind(st.st_mode)}, not a regular file: refusing to replace it (use -o - to write to stdout)",
    )


def output_plan(fmt: str, output: str | None, audit: Audit) -> list[tuple[str, Path | None]]:
    """Where each format goes: a list of (format name, path), path None meaning stdout.

    - one format, no -o (or ``-o -``): stdout.
    - one format, -o FILE: exactly FILE; -o FOLDER (existing): FOLDER/STEM.md (.html, .json).
    - a set (both, all), -o STEM: STEM.md, STEM.json... (a trailing known extension on STEM
      is dropped); -o FOLDER: FOLDER/STEM.*; no -o: ./STEM.*.
    """
    _check_output_word(fmt, output)
    exporters = resolve(fmt)
    stem = default_stem(audit)
    if fmt not in SETS:
        (one,) = exporters
        if output is None or output == STDOUT:
            return [(one.name, None)]
        target = Path(output)
        if is_folder(target):
            target = target / f"{stem}{one.extension}"
        return [(one.name, target)]
    base: Path
    if output is None:
        base = Path(stem)
    elif is_folder(Path(output)):
        base = Path(output) / stem
    else:
        base = _stem_of(Path(output))
    return [(e.name, base.with_name(base.name + e.extension)) for e in exporters]


def _stem_of(target: Path) -> Path:
    return target.with_suffix("") if target.suffix in extensions() else target


def _check_output_word(fmt: str, output: str | None) -> None:
    if output is not None and not output.strip():
        raise OutputPathError("-o: an empty path names no file (use -o - to write to stdout)")
    if fmt in SETS and output == STDOUT:
        raise OutputPathError(
            f"--format {fmt} writes several files; give -o a path stem or a folder, not '-'"
        )


def preflight_output(fmt: str, output: str | None) -> None:
    """Refuse an output that cannot work, before any probing or judging happens: the
    folder it goes into exists and is writable, and nothing there is a device, a FIFO or
    a link that the write would replace."""
    _check_output_word(fmt, output)
    if output == STDOUT or (output is None and fmt not in SETS):
        return
    target = Path(output) if output is not None else Path(".")
    folder = target if is_folder(target) else target.parent
    if not is_folder(folder if str(folder) else Path(".")):
        raise OutputError(target, f"cannot write here: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(target, f"cannot write here: folder {str(folder)!r} is not writable")
    if folder is not target:
        if fmt not in SETS:
            check_target(target)
        else:
            base = _stem_of(target)
            for e in resolve(fmt):
                check_target(base.with_name(base.name + e.extension))
