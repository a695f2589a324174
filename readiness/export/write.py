"""Write a run's output files all-or-nothing.

Every file is first written completely beside its target (temp name, fsync) and only
then renamed into place. If anything fails, or the user presses Ctrl-C, the staged
files are removed and every target this run already replaced gets its previous
content back (or disappears, if it did not exist): a failed run never leaves a
half-written or half-updated set of reports. SIGTERM and SIGHUP (a closed terminal, a
``kill``) are turned into an exception while the files are written, so they clean up the
same way instead of leaving hidden staged copies behind run after run.

A target that exists must be a regular file (readiness/export/outputs.py): a device, a
FIFO or a link is refused, never replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from readiness.errors import OutputError, Terminated
from readiness.export.outputs import check_target, is_folder
from readiness.store import write_atomic

NAME_MAX = 255  # bytes in one file name on Linux file systems


def side_name(path: Path, tag: str) -> Path:
    """A hidden name beside ``path`` for a staged or kept copy, within NAME_MAX: a long
    target name is replaced by its hash rather than making the side name too long."""
    name = f".{path.name}.{tag}-{os.getpid()}"
    if len(os.fsencode(name)) > NAME_MAX - 16:  # write_atomic adds its own temp suffix
        digest = hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]
        name = f".readiness-{digest}.{tag}-{os.getpid()}"
    return path.with_name(name)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise Terminated (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    previous = {sig: signal.signal(sig, raise_terminated) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _keep_previous(path: Path) -> Path | None:
    """Hard-link the current file aside so it can be put back; None when there is none."""
    if not path.exists():
        return None
    keep = side_name(path, "previous")
    with contextlib.suppress(FileNotFoundError):
        keep.unlink()
    try:
        os.link(path, keep)
    except OSError:
        return None  # no hard links here (some network shares): the old file cannot be kept
    return keep


def write_all(outputs: list[tuple[Path, bytes]], mode: int = 0o600) -> list[Path]:
    """Write every ``(path, data)``; return the paths written. Raises OutputError, or
    Terminated when SIGTERM or SIGHUP interrupted the write (nothing is left behind)."""
    with _signals_raise():
        return _write_all(outputs, mode)


def _write_all(outputs: list[tuple[Path, bytes]], mode: int) -> list[Path]:
    staged: list[tuple[Path, Path]] = []
    placed: list[tuple[Path, Path | None]] = []
    try:
        for path, data in outputs:
            if is_folder(path):
                raise OutputError(path, "is a folder, not a file")
            check_target(path)
            stage = side_name(path, "staged")
            staged.append((stage, path))  # before it exists: a signal right after must remove it
            try:
                write_atomic(stage, data, mode=mode)
            except OutputError as exc:  # name the file the user asked for, not our temp name
                raise OutputError(path, exc.message) from exc
        for stage, path in staged:
            check_target(path)  # again: it may have been swapped while the files were staged
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
