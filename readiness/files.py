"""Reading the files a user hands us, with the one-line errors every loader promises.

Config, catalogue, answers, audits and recorded facts all go through these, so "cannot
read", "not valid TOML/JSON" and "field: message" read the same everywhere.

Every file has limits, because a crafted one must cost a one-line error, not the machine:
only regular files are read (``/dev/zero`` would be read until memory runs out, a FIFO
with no writer would hang forever), at most ``MAX_BYTES``; nesting deeper than the
parsers' recursion limit, integers longer than Python converts (4,300 digits) and
strings holding lone surrogates (which no output format can encode) are refused.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path

from pydantic import ValidationError

from readiness.errors import InputError, NotParseable, pydantic_field

MAX_BYTES = 64 * 1024 * 1024  # a 10-minute drill saves ~4.6 MB; an hour-long one fits
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def read_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (``MAX_BYTES``), or an InputError."""
    limit = MAX_BYTES if limit is None else limit
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait for one.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(path, None, "cannot read: is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(path, None, "cannot read: not a regular file (a device, a FIFO or a socket)")
        if st.st_size > limit:
            raise InputError(path, None, f"too large: {st.st_size:,} bytes (at most {limit:,})")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while read
        raise InputError(path, None, f"too large: more than {limit:,} bytes")
    return data


def read_toml(path: Path | str) -> dict[str, object]:
    raw = read_bytes(path, limit=1024 * 1024)
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:  # not UTF-8 is not TOML either
        raise InputError(path, None, f"not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise InputError(path, None, "not valid TOML: nested too deeply") from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise InputError(path, None, f"not valid TOML: {exc}") from exc


def parse_json_object(raw: bytes | str, source: Path | str, what: str) -> dict[str, object]:
    """``raw`` as a JSON object; ``what`` names the document in the error ("an audit")."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NotParseable(source, None, f"not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise NotParseable(source, None, "not valid JSON: nested too deeply") from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise NotParseable(source, None, f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise NotParseable(source, None, f"expected a JSON object ({what})")
    encoded = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if _SURROGATE_ESCAPE.search(encoded) or (isinstance(raw, str) and not _encodable(raw)):
        _refuse_lone_surrogates(data, source)
    return data


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_lone_surrogates(data: object, source: Path | str) -> None:
    """A string with half a UTF-16 pair (``"\\ud800"``) is valid JSON but no text: every
    output would fail to encode it. Pairs (emoji escaped as two halves) decode whole."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise NotParseable(source, None, "not valid JSON: a string holds a lone surrogate") from exc


def invalid(source: Path | str, exc: ValidationError) -> InputError:
    """The first validation error, as ``source: dotted.field: message``."""
    err = exc.errors()[0]
    return InputError(source, pydantic_field(tuple(err["loc"])), err["msg"])
