"""Escaping, one function per output format, for every value that comes from outside the
program: a site name, a technician, an address, a summary or a check id read from a saved
audit, a host name or a probe's diagnostics.

- Markdown (``markdown``, and the ``MdSafe`` marker the report's Jinja environment uses
  in its ``finalize`` hook, so that every ``{{ value }}`` is escaped unless a filter
  escaped it already): one line, Markdown and HTML syntax shown as text, control and
  bidirectional characters made visible.
- HTML (``html``): markupsafe's escaping plus the same visible control characters.
- Terminal (``terminal``): control characters (ESC and the C1 range, which start
  terminal escape sequences) and bidirectional overrides made visible as ``\\x1b`` or
  ``\\u202e``; line structure is the caller's.

A new exporter (HTML, or another) reuses these rather than writing its own.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup
from markupsafe import escape as _html_escape

# Bidirectional controls (Trojan Source, CVE-2021-42574) and other invisible format
# characters that change how the rest of a line reads.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ufeff]")
_LINE_BREAKS = re.compile("[\t\n\v\f\r]")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# Markdown and inline HTML syntax that could start emphasis, code, links, images, tables,
# raw HTML or entities; shown as text with a backslash (CommonMark: any ASCII punctuation).
# An underscore inside a word (low_tolerance) starts nothing (CommonMark), so it stays; a
# ">" only quotes at the start of a line (_MD_LINE_START).
_MD_SPECIAL = re.compile(r"([\\`*\[\]<|~&!{}]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
# What starts a block when it opens a line: a heading, a quote, a list, a rule.
_MD_LINE_START = re.compile(r"^(#|>|[-+=*](?=\s|$)|\d+[.)](?=\s|$))")


class MdSafe(str):
    """Text already escaped for Markdown (or written by the program): printed as it is."""

    __slots__ = ()


def visible(char: str) -> str:
    """One invisible or control character as text: ``\\x1b``, ``\\u202e``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _show_invisible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: visible(m.group(0)), text)


def _no_surrogates(text: str) -> str:
    # A lone surrogate cannot be encoded by any output; loaders refuse them, this is the
    # last guard for a value built in memory.
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if not _encodable(text) else text


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def markdown(value: object) -> MdSafe:
    """``value`` as one line of Markdown text that renders as exactly that text."""
    if isinstance(value, MdSafe):
        return value
    text = "" if value is None else str(value)
    text = _no_surrogates(text)
    # One line; a single space kept at either end, which a template may join on (" (rests on").
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    text = lead + _show_invisible(" ".join(text.split())) + trail
    text = unicodedata.normalize("NFC", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return MdSafe(_MD_LINE_START.sub(r"\\\1", text))


def md_cell(value: object) -> MdSafe:
    """``value`` inside a Markdown table cell: one line, no column break."""
    if isinstance(value, MdSafe):
        return MdSafe(_UNESCAPED_PIPE.sub(r"\\|", " ".join(value.split())))
    return markdown(value)


def md_finalize(value: object) -> str:
    """Jinja ``finalize``: every ``{{ value }}`` of the Markdown template is escaped unless a
    filter already did (or the program marked it ``MdSafe``)."""
    if isinstance(value, MdSafe):
        return value
    if isinstance(value, bool | int | float) or value is None:
        return "" if value is None else str(value)
    return markdown(value)


def html(value: object) -> Markup:
    """``value`` as HTML text: markup escaped, control and bidirectional characters shown."""
    return _html_escape(terminal(value))


def terminal(value: object) -> str:
    """``value`` safe to print on a terminal: no escape sequence, no bidirectional override,
    no line break (each value stays on its line)."""
    text = "" if value is None else _no_surrogates(str(value))
    return _show_invisible(_LINE_BREAKS.sub(" ", text))
