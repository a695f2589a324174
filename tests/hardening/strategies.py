"""Hypothesis strategies shared by the hostile-input tests."""

from __future__ import annotations

from typing import Any

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
