"""Write a run's output files all-or-nothing.

Every file is first written completely beside its target (temp name, fsync) and only
then renamed into place. If anything fails, or the user presses Ctrl-C, the staged
files are removed and every target this run already replaced gets its previous
content back (or disappears, if it did not exist): a failed run never leaves a
half-written or half-updated set of reports.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from readiness.errors import OutputError
from readiness.store import write_atomic


def _keep_previous(path: Path) -> Path | None:
    """Hard-link the current file aside so it can be put back; None when there is none."""
    if not path.exists():
        return None
    keep = path.with_name(f".{path.name}.previous-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        keep.unlink()
    try:
        os.link(path, keep)
    except OSError:
        return None  # no hard links here (some network shares): the old file cannot be kept
    return keep


def write_all(outputs: list[tuple[Path, bytes]], mode: int = 0o600) -> list[Path]:
    """Write every ``(path, data)``; return the paths written. Raises OutputError."""
    staged: list[tuple[Path, Path]] = []
    placed: list[tuple[Path, Path | None]] = []
    try:
        for path, data in outputs:
            if path.is_dir():
                raise OutputError(path, "is a folder, not a file")
            stage = path.with_name(f".{path.name}.staged-{os.getpid()}")
            try:
                write_atomic(stage, data, mode=mode)
            except OutputError as exc:  # name the file the user asked for, not our temp name
                raise OutputError(path, exc.message) from exc
            staged.append((stage, path))
        for stage, path in staged:
            previous = _keep_previous(path)
            try:
                os.replace(stage, path)
            except BaseException as exc:
                if previous is not None:
                    with contextlib.suppress(OSError):
                        previous.unlink()
                if isinstance(exc, OSError):
                    raise OutputError(path, f"write failed: {exc.strerror or exc}") from exc
                raise
            placed.append((path, previous))
    except BaseException:
        for stage, _ in staged:
            with contextlib.suppress(OSError):
                stage.unlink()
        for path, previous in placed:
            with contextlib.suppress(OSError):
                if previous is not None:
                    os.replace(previous, path)
                else:
                    path.unlink()
        raise
    for _, previous in placed:
        if previous is not None:
            with contextlib.suppress(OSError):
                previous.unlink()
    return [path for path, _ in placed]
