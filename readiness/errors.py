"""Errors that reach the user. Each renders as one line naming the file and the field."""

from __future__ import annotations

from pathlib import Path


class ReadinessError(Exception):
    """Base of every error the CLI turns into exit code 2."""


class InputError(ReadinessError):
    """A file the user gave us (answers, audit, config, facts) is unreadable or invalid."""

    def __init__(self, path: Path | str | None, field: str | None, message: str) -> None:
        self.path = _printable(str(path)) if path is not None else None
        self.field = _printable(field) if field is not None else None  # a JSON key may hold "\n"
        self.message = " ".join(message.split())  # one line, whatever a parser said
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.path or "<input>"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class NotParseable(InputError):
    """The file is not a JSON (or TOML) document at all: nothing in it can be read. Only
    such a saved audit is moved aside; one that parses but fails validation, or comes
    from a newer version, is left exactly where it is."""


def _printable(text: str) -> str:
    """``text`` with control characters escaped, so a message stays on one line."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


class OutputError(ReadinessError):
    """Writing a report or an audit failed; nothing partial was left behind."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


def pydantic_field(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as a dotted field path: ``facts.gateways[0].metric``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "<root>"


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while output files were written; they were cleaned up."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"signal {signum}")
