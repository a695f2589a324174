"""Hypothesis strategies shared by the hostile-input tests."""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)

# Any small JSON value: what a hand-edited or damaged file may hold where a field belongs.
json_values: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


# --- issue 19: hostile values for every input and export ------------------------------------

# Profiles: CI runs a few examples per property (tests/hardening/test_hostile_properties.py
# stays within a few tens of seconds); HYPOTHESIS_PROFILE=hostile-deep searches for longer.
settings.register_profile("hostile-ci", max_examples=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("hostile-deep", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HOSTILE_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "hostile-ci")
if HOSTILE_PROFILE not in ("hostile-ci", "hostile-deep"):
    HOSTILE_PROFILE = "hostile-ci"
hostile_settings = settings.get_profile(HOSTILE_PROFILE)

ESCAPES = ["\x1b[2J", "\x1b]0;title\x07", "\x9b31m", "\x1bP+q\x1b\\", "\r", "\x00", "\x7f", "\x85"]
BIDI = ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c", "\u2028", "\ufeff"]
MARKUP = ["\n# heading", "\n```\n", "`", "|", "\n|---|---|\n", "<script>alert(1)</script>", "<b>",
          "&lt;",
          "[x](http://evil)", "![i](http://evil/i.png)", "**", "_", "~~", "\n> quote", "\n- item",
          "\n1. item",
          "\\", "{{ 7*7 }}", "{% raw %}", "&#x202e;", "<!--", "\n---\n", "\t"]
SURROGATES = ["\ud800", "\udfff", "a\udc80b"]

hostile_text: st.SearchStrategy[str] = st.lists(
    st.one_of(
        st.sampled_from(ESCAPES + BIDI + MARKUP),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    ),
    min_size=1,
    max_size=6,
).map("".join)
hostile_text_or_surrogate = st.one_of(hostile_text, st.sampled_from(SURROGATES))

hostile_numbers: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),  # drawn often, not by luck
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([-1, -5, 0, 101, 433, 10**18]),
)


def _ipv4_spellings(addr: ipaddress.IPv4Address) -> st.SearchStrategy[str]:
    octets = str(addr).split(".")
    return st.sampled_from(
        [
            str(addr),
            ".".join(f"{int(o):03d}" for o in octets),
            "static" + "-".join(octets) + ".isp.example",
            "cust-" + "-".join(octets) + ".pool.example",
            "_".join(octets),
        ]
    )


public_ipv4 = st.ip_addresses(v=4).filter(lambda a: a.is_global and not str(a).startswith("100."))


@st.composite
def identifiers(draw: st.DrawFn) -> tuple[str, str, str]:
    """(kind, value as written, canonical form to look for): an identifier in a notation."""
    kind = draw(st.sampled_from(["ip", "mac", "host"]))
    if kind == "ip":
        addr = draw(public_ipv4)
        return kind, draw(_ipv4_spellings(addr)), str(addr)
    if kind == "mac":
        raw = draw(st.binary(min_size=6, max_size=6)).hex()
        pairs = [raw[i : i + 2] for i in range(0, 12, 2)]
        quads = [raw[i : i + 4] for i in range(0, 12, 4)]
        # twelve decimal digits alone are a number, not a MAC (readiness/export/redact.py)
        bare = [raw] if not raw.isdigit() else []
        spelled = draw(st.sampled_from([":".join(pairs), "-".join(pairs).upper(), ".".join(quads), *bare]))
        return kind, spelled, raw
    name = draw(st.from_regex(r"[a-z][a-z]{4,10}", fullmatch=True))
    dotted = draw(st.booleans())
    value = f"{name}.office.lan" if dotted else name
    return kind, value, value
