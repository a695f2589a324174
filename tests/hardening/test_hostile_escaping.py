"""The escaping functions every export uses (readiness/export/escape.py), one per format:
whatever the value, the result is one line with no control or bidirectional character,
and no markup of the target format."""

from __future__ import annotations

import re

from hypothesis import given

from readiness.export.escape import MdSafe, html, markdown, md_cell, terminal
from tests.hardening.strategies import BIDI, hostile_settings, hostile_text_or_surrogate

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _inert(text: str) -> None:
    assert not _CONTROL.search(text), repr(text)
    assert not any(b in text for b in BIDI), repr(text)
    text.encode("utf-8")  # no lone surrogate left


@hostile_settings
@given(value=hostile_text_or_surrogate)
def test_markdown_text_is_one_inert_line(value: str) -> None:
    out = markdown(value)
    _inert(out)
    assert not re.search(r"(?<!\\)[<`*\[\]|]", out), out
    assert not re.match(r"(#|>|[-+*]\s|\d+[.)]\s)", out), out
    assert isinstance(md_cell(value), MdSafe) and "|" not in md_cell(value).replace("\\|", "")


@hostile_settings
@given(value=hostile_text_or_surrogate)
def test_html_text_has_no_markup(value: str) -> None:
    out = str(html(value))
    _inert(out)
    assert "<" not in out and ">" not in out and '"' not in out


@hostile_settings
@given(value=hostile_text_or_surrogate)
def test_terminal_text_has_no_escape_sequence(value: str) -> None:
    _inert(terminal(value))


def test_examples() -> None:
    assert markdown("Eve\n```\n# x") == "Eve \\`\\`\\` # x"
    assert markdown("# Owned") == "\\# Owned"
    assert markdown("low_tolerance and _this_") == "low_tolerance and \\_this\\_"
    assert terminal("a\x1b[2Jb\u202e") == "a\\x1b[2Jb\\u202e"
    assert str(html("<b>&")) == "&lt;b&gt;&amp;"
