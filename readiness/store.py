"""Saving and loading audits: atomic, owner-only, never losing what was there.

A save writes a temp file beside the target, fsyncs it, renames it over the target and
fsyncs the folder, under an advisory lock so two saves of the same audit cannot
interleave. A file that cannot be read is moved aside (``NAME.corrupt-N``), never
overwritten, and the error names the file and the field.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from readiness.catalogue import default_catalogue
from readiness.errors import InputError, NotParseable, OutputError
from readiness.files import invalid, parse_json_object, read_bytes
from readiness.judgement.scoring import NOT_ASSESSED
from readiness.model.answers import Answer, AnswerValue
from readiness.model.audit import SCHEMA_VERSION, Audit, Site
from readiness.version import __version__

try:  # POSIX only; on Windows saves are still atomic, just not locked.
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]


def audits_dir() -> Path:
    """The user's data folder for saved audits (platformdirs), created owner-only."""
    # late: platformdirs adds 3.2 ms to a headless audit, which never uses the data folder
    # (python -X importtime, cumulative, median of 5)
    from platformdirs import user_data_dir

    override = os.environ.get("READINESS_DATA_DIR")
    folder = Path(override) if override else Path(user_data_dir("readiness")) / "audits"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def new_audit(
    site: str,
    technician: str | None = None,
    profile: str | None = None,
    defaults: Mapping[str, AnswerValue] | None = None,
    defaults_from: str | None = None,
) -> Audit:
    """A fresh audit; ``defaults`` are answers it starts with (the config's house rules),
    marked as suggested by ``defaults_from``."""
    now = datetime.now(UTC)
    answers = {
        qid: Answer(value=value, answered_at=now, prefilled_from=defaults_from)
        for qid, value in (defaults or {}).items()
    }
    return Audit(
        schema_version=SCHEMA_VERSION,
        id=uuid.uuid4().hex[:12],
        site=Site(name=site, profile=profile),
        technician=technician,
        started_at=now,
        updated_at=now,
        tool_version=__version__,
        answers=answers,
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    Raises OutputError and leaves no temp file behind on any failure.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(path, f"cannot write here: {exc.strerror or exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        with contextlib.suppress(OSError):  # directory fsync is not possible everywhere
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(path, f"write failed: {exc.strerror or exc}") from exc
    except BaseException:
        # KeyboardInterrupt mid-write, or a bug in the caller's payload: still no temp file left.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def dump_audit(audit: Audit) -> bytes:
    return (audit.model_dump_json(indent=2, exclude_none=False) + "\n").encode()


def save_audit(audit: Audit, path: Path) -> None:
    """Save atomically and owner-only, under a lock shared by every writer of ``path``."""
    with _locked(path):
        write_atomic(path, dump_audit(audit))


def parse_audit(raw: bytes | str, source: Path | str) -> Audit:
    """Validate an audit document; errors name the source and the first bad field."""
    return _validated(parse_json_object(raw, source, "an audit"), source)


def read_for_listing(path: Path) -> Audit:
    """The audit as a list of saved audits shows it: whole but for its drills' timelines.

    A drill's timeline is nearly all of a saved file and of the time to read it (ten
    minutes of drill: 30,000 samples, 4.6 MB, 127 ms to load on the development
    machine); a list shows the site, the dates, the progress and the score. What this
    returns is never saved: resuming reads the whole file again (``load_or_keep_aside``),
    and a timeline that cannot be read is found then.
    """
    data = parse_json_object(read_bytes(path), path, "an audit")
    drills = data.get("drills")
    if isinstance(drills, list):
        for drill in drills:
            if isinstance(drill, dict):
                drill.pop("timeline", None)
    return _validated(data, path)


def _validated(data: dict[str, object], source: Path | str) -> Audit:
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputError(
            source, "schema_version", f"unsupported version {version!r} (this tool reads {SCHEMA_VERSION})"
        )
    try:
        audit = Audit.model_validate(data)
    except ValidationError as exc:
        raise invalid(source, exc) from exc
    _check_derived(audit, source)
    return audit


def _check_derived(audit: Audit, source: Path | str) -> None:
    """The figures a report prints are checked against what they are derived from, so an
    edited file cannot show a score its findings do not give (ranges and enums are the
    model's: readiness/model)."""
    for i, f in enumerate(audit.findings):
        if f.points > f.max_points + 1e-6:
            raise InputError(
                source, f"findings[{i}].points", f"{f.points:g} is more than max_points {f.max_points:g}"
            )
    score = audit.score
    if score is None:
        return

    expected = round(100.0 * score.points / score.max_points, 1) if score.max_points > 0 else None
    if (expected is None) != (score.uncapped is None) or (
        expected is not None and score.uncapped is not None and abs(expected - score.uncapped) > 0.15
    ):
        raise InputError(source, "score.uncapped", f"{score.uncapped} does not follow from the points "
                         f"({score.points:g} of {score.max_points:g})")
    capped = score.uncapped
    if capped is not None and score.caps:
        capped = min(capped, min(c.limit for c in score.caps))
    if (capped is None) != (score.overall is None) or (
        capped is not None and score.overall is not None and abs(capped - score.overall) > 0.15
    ):
        raise InputError(
            source, "score.overall", f"{score.overall} does not follow from the points and limits"
        )
    levels = {lv.name for lv in default_catalogue().levels} | {NOT_ASSESSED}
    if score.level not in levels:
        raise InputError(source, "score.level", f"unknown level {score.level!r}")


def load_audit(path: Path) -> Audit:
    return parse_audit(read_bytes(path), path)


def keep_aside(path: Path) -> Path:
    """Move an unreadable audit out of the way (never delete it) and return its new name."""
    n = 1
    while True:
        target = path.with_name(f"{path.name}.corrupt-{n}")
        if not target.exists():
            os.replace(path, target)
            return target
        n += 1


def load_or_keep_aside(path: Path) -> Audit:
    """Load ``path``; if it cannot be parsed at all, move it aside and re-raise with where
    it went. A file that parses but is refused (a newer schema version, a field out of
    range) is left untouched: it may be another version's, or one edit from good."""
    try:
        return load_audit(path)
    except NotParseable as exc:
        if path.exists():
            aside = keep_aside(path)
            raise InputError(exc.path, exc.field, f"{exc.message} (kept as {aside.name})") from exc
        raise


def list_saved(folder: Path | None = None) -> list[tuple[Path, Audit | None, str | None]]:
    """Every saved audit in the data folder, as listed (``read_for_listing``: no drill
    timelines): (path, audit or None, error or None), newest first."""
    folder = folder or audits_dir()
    out: list[tuple[Path, Audit | None, str | None]] = []
    for p in sorted(folder.glob("*.json"), key=_modified, reverse=True):
        try:
            out.append((p, read_for_listing(p), None))
        except InputError as exc:
            if p.exists():  # not one removed (or moved aside by another window) meanwhile
                out.append((p, None, str(exc)))
    return out


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0  # gone since the folder was listed: last, and left out when read
