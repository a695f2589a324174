"""Generated hostile values in every input and every export (issue 19).

Inputs: the answers file, the config file, recorded facts, a saved audit (given to
`report` and `diff`), and the command-line options. Values: control characters and
terminal escapes, bidirectional overrides, Markdown and HTML syntax, lone surrogates,
huge, negative and non-finite numbers, deep nesting and identifiers in every notation.

Each property: no traceback (``main`` returns), exit 0 or 2, an error is one line on
stderr with nothing on stdout, Markdown keeps the report's structure with every value
inert (no escape sequence, no raw HTML, no line a value started), JSON reads back, and
after --redact no identifier is left in either export.

The number of examples per property comes from a Hypothesis profile
(tests/hardening/strategies.py): a few in CI, HYPOTHESIS_PROFILE=hostile-deep for more.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from readiness.catalogue import default_catalogue
from readiness.cli import main
from readiness.store import load_audit
from tests.hardening.strategies import (
    BIDI,
    hostile_numbers,
    hostile_settings,
    hostile_text,
    hostile_text_or_surrogate,
    identifiers,
    json_values,
)

REPO = Path(__file__).resolve().parents[2]
FACTS = json.loads((REPO / "examples" / "dual-office.json").read_text())
SINGLE = REPO / "examples" / "single-office.json"
ANSWERS = REPO / "examples" / "answers.toml"
QUESTIONS = default_catalogue().questions


@contextlib.contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def run(argv: list[str]) -> tuple[int, str, str]:
    """``readiness ARGV`` in this process: (exit code, stdout, stderr). Any exception that
    escapes ``main`` is a traceback the user would have seen, and fails the property."""
    out_bytes = io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict")
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
        out.flush()
    return rc, out_bytes.getvalue().decode("utf-8"), err.getvalue()


def assert_outcome(rc: int, out: str, err: str) -> None:
    assert "Traceback" not in err
    assert rc in (0, 2), (rc, err)
    if rc == 2:
        lines = err.strip().splitlines()
        assert len(lines) >= 1 and lines[-1].startswith("readiness: "), err
        assert out == "", "a refused input printed something on stdout"
        for line in lines:
            assert "\x1b" not in line and not any(b in line for b in BIDI if b not in "\u2028\ufeff")


def assert_markdown_inert(text: str) -> None:
    """No terminal escape, bidi override or raw HTML from a value (the template has no '<')."""
    for char in text:
        code = ord(char)
        assert char == "\n" or not (code < 0x20 or 0x7F <= code <= 0x9F), repr(char)
    for b in BIDI:
        assert b not in text, repr(b)
    assert not re.search(r"(?<!\\)<", text), "raw HTML in the Markdown"


def structure(text: str) -> list[str]:
    return [line[:2] for line in text.splitlines()]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value > 0 else "-inf") if value in (
            float("inf"), float("-inf")) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))  # a JSON string is a TOML basic string (a surrogate escape is refused)


TEXT_FIELDS = ("name", "address", "technician", "note", "waiver", "responder")


def _answers_file(folder: Path, field: str, value: str) -> Path:
    parts = ['technician = ' + (_toml(value) if field == "technician" else '"Alex"'),
             "[site]", "name = " + (_toml(value) if field == "name" else '"Office"')]
    if field == "address":
        parts.append(f"address = {_toml(value)}")
    parts.append("[answers]")
    parts.append("responder = " + (_toml(value) if field == "responder" else '"Manager"'))
    if field == "waiver":
        parts += ["[waivers.OPS-003]", f"reason = {_toml(value)}", "expires = 2999-01-31"]
    if field == "note":
        parts += ["[[notes]]", f"text = {_toml(value)}"]
    path = folder / "answers.toml"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


@hostile_settings
@given(field=st.sampled_from(TEXT_FIELDS), value=hostile_text_or_surrogate)
def test_hostile_text_in_the_answers_file(field: str, value: str) -> None:
    with _folder() as folder:
        argv = ["audit", "--replay", str(SINGLE), "--answers", str(_answers_file(folder, field, value))]
        rc, out, err = run(argv)
        assert_outcome(rc, out, err)
        if rc == 0:
            assert_markdown_inert(out)
            plain_answers = _answers_file(folder, field, "x" if value.split() else value)  # empty stays empty
            _, plain, _ = run(["audit", "--replay", str(SINGLE), "--answers", str(plain_answers)])
            assert structure(out) == structure(plain)


@hostile_settings
@given(question=st.sampled_from(QUESTIONS), value=st.one_of(hostile_numbers, hostile_text, json_values))
def test_hostile_values_for_any_question(question: Any, value: Any) -> None:
    with _folder() as folder:
        path = folder / "answers.toml"
        try:
            path.write_text(f"[answers]\n{question.id} = {_toml(value)}\n", encoding="utf-8")
        except (ValueError, UnicodeEncodeError):  # a value this little writer cannot spell
            return
        for fmt in ("md", "json"):
            rc, out, err = run(["audit", "--replay", str(SINGLE), "--answers", str(path), "--format", fmt])
            assert_outcome(rc, out, err)
            if rc == 0 and fmt == "md":
                assert_markdown_inert(out)
                assert " nan" not in out.lower() and "inf " not in out.lower()
            if rc == 0 and fmt == "json":
                json.loads(out, parse_constant=lambda c: (_ for _ in ()).throw(AssertionError(c)))


STRING_PATHS = [
    ("hostname",), ("platform",), ("interfaces", 0, "name"), ("interfaces", 0, "vendor"),
    ("interfaces", 0, "ssid"), ("resolvers", 0, "error"), ("resolvers", 0, "source"),
    ("probes", "wan", "reason"), ("wan", 0, "as_name"), ("wan", 0, "disagreement"),
    ("services", 0, "name"), ("endpoints", 0, "purpose"), ("power", "ups", 0, "model"),
]
NUMBER_PATHS = [
    ("interfaces", 0, "speed_mbps"), ("gateways", 0, "rtt_ms"), ("path", "quality", 0, "sent"),
    ("path", "quality", 0, "received"), ("power", "ups", 0, "charge_pct"), ("power", "ups", 0, "runtime_s"),
    ("probes", "wan", "duration_s"), ("wan", 0, "asn"), ("resolvers", 0, "latency_ms"),
]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> bool:
    node = data
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return False
        if node is None:
            return False
    if isinstance(node, dict | list):
        try:
            node[path[-1]] = value
        except (IndexError, TypeError):
            return False
        return True
    return False


@hostile_settings
@given(
    path=st.sampled_from(STRING_PATHS + NUMBER_PATHS),
    value=st.one_of(hostile_text, hostile_numbers, json_values),
)
def test_hostile_values_in_recorded_facts(path: tuple[Any, ...], value: Any) -> None:
    data = json.loads(json.dumps(FACTS))
    if not _set(data, path, value):
        return
    with _folder() as folder:
        facts = folder / "facts.json"
        facts.write_text(json.dumps(data))  # NaN and Infinity as Python writes them
        stem = folder / "out"
        rc, out, err = run(["audit", "--replay", str(facts), "--format", "both", "-o", str(stem)])
        assert_outcome(rc, out, err)
        if rc == 0:
            assert_markdown_inert((folder / "out.md").read_text())
            load_audit(folder / "out.json")  # the tool's own JSON always reads back


@hostile_settings
@given(value=st.one_of(hostile_text_or_surrogate, hostile_numbers, json_values), data=st.data())
def test_hostile_values_in_a_saved_audit(value: Any, data: st.DataObject) -> None:
    with _folder() as folder:
        saved = folder / "a.json"
        rc, _, err = run(["audit", "--replay", str(SINGLE), "--answers", str(ANSWERS), "--format", "json",
                          "-o", str(saved)])
        assert rc == 0, err
        doc = json.loads(saved.read_text())
        paths = list(_leaves(doc))
        where = data.draw(st.sampled_from(paths))
        _set(doc, where, value)
        edited = folder / "b.json"
        edited.write_text(json.dumps(doc))
        for argv in (["report", str(edited)], ["report", str(edited), "--format", "json"],
                     ["diff", str(saved), str(edited), "--force"],
                     ["diff", str(saved), str(edited), "--force", "--format", "json"]):
            rc, out, err = run(argv)
            assert_outcome(rc, out, err)
            if rc == 0 and argv[0] == "report" and "--format" not in argv:
                assert_markdown_inert(out)
            if rc == 0 and argv[0] == "diff" and "--format" not in argv:
                assert "\x1b" not in out and not any(b in out for b in BIDI)
            if rc == 0 and "json" in argv:
                json.loads(out, parse_constant=lambda c: (_ for _ in ()).throw(AssertionError(c)))


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "timeline":
                continue
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:3]):
            yield from _leaves(value, (*path, i))
    else:
        yield path


@hostile_settings
@given(
    option=st.sampled_from(["--site", "--technician", "-o", "--answers", "--config", "--replay", "--format"]),
    value=st.one_of(hostile_text, st.sampled_from(["", "-", "/dev/zero", "/proc/self/fd/1", "x" * 300,
                                                   b"Caf\xe9".decode("utf-8", "surrogateescape")])),
)
def test_hostile_command_line_options(option: str, value: str) -> None:
    with _folder() as folder:
        if option == "-o" and value not in ("-", "", "/proc/self/fd/1"):
            value = str(folder / value.replace("/", "_").replace("\x00", "_"))
        argv = ["audit", "--replay", str(SINGLE), option, value]
        if option == "--replay":
            argv = ["audit", "--replay", value]
        try:
            rc, out, err = run(argv)
        except ValueError as exc:  # a NUL in argv: the OS could never pass one
            assert "null" in str(exc).lower()
            return
        assert_outcome(rc, out, err)
        if rc == 0 and option in ("--site", "--technician"):
            assert_markdown_inert(out)


CONFIG_KEYS = ["[drill]\nstable_s", "[drill]\ninterval_ms", "[timeouts]\nprobe_s", "services",
               "[endpoints]\nanchors", "[power]\nnut_hosts", "keymap", "[drill]\nmax_duration_s"]


@hostile_settings
@given(key=st.sampled_from(CONFIG_KEYS), value=st.one_of(hostile_numbers, hostile_text, json_values))
def test_hostile_config(key: str, value: Any) -> None:
    with _folder() as folder:
        config = folder / "config.toml"
        try:
            config.write_text(f"{key} = {_toml(value)}\n", encoding="utf-8")
        except (ValueError, UnicodeEncodeError):
            return
        assert_outcome(*run(["audit", "--replay", str(SINGLE), "--config", str(config)]))


@hostile_settings
@given(kind=st.sampled_from(["replay", "report", "answers", "config"]),
       body=st.sampled_from(["deep", "bigint", "surrogate", "bom", "empty", "binary"]))
def test_crafted_files(kind: str, body: str) -> None:
    toml = kind in ("answers", "config")
    raw = {
        "deep": (b"x = " + b"[" * 50_000 + b"]" * 50_000) if toml
        else b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "bigint": (b"x = " + b"9" * 5000) if toml else b'{"hostname": ' + b"9" * 5000 + b"}",
        "surrogate": b'x = "\\ud800"' if toml else b'{"hostname": "\\ud800"}',
        "bom": b"\xef\xbb\xbf" + (b"" if toml else b"{}"),
        "empty": b"",
        "binary": bytes(range(256)),
    }[body]
    with _folder() as folder:
        path = folder / ("f.toml" if toml else "f.json")
        path.write_bytes(raw)
        argv = {"replay": ["audit", "--replay", str(path)], "report": ["report", str(path)],
                "answers": ["audit", "--replay", str(SINGLE), "--answers", str(path)],
                "config": ["audit", "--replay", str(SINGLE), "--config", str(path)]}[kind]
        assert_outcome(*run(argv))


@hostile_settings
@given(ids=st.lists(identifiers(), min_size=1, max_size=4, unique_by=lambda i: i[2]),
       where=st.sampled_from(["note", "diagnostic", "hostname", "ssid", "mac", "hint", "answer"]))
def test_no_identifier_left_after_redact(ids: list[tuple[str, str, str]], where: str) -> None:
    data = json.loads(json.dumps(FACTS))
    text = " and ".join(value for _, value, _ in ids)
    names = [value for kind, value, _ in ids if kind == "host"]
    data["power"]["hosts_tried"] = [*data["power"]["hosts_tried"], *names]  # names known as hosts
    wifi = data["interfaces"][0]
    if where == "diagnostic":
        data["probes"]["wan"]["diagnostics"] = [f"seen {text} here"]
    elif where == "hostname":
        data["hostname"] = ids[0][1] if ids[0][0] == "host" else data["hostname"]
        data["probes"]["wan"]["reason"] = f"from {text}"
    elif where == "ssid":
        hint = f"Wi-Fi network name {text!r} looks like a phone hotspot"
        wifi.update(kind="wifi", ssid=text, tethering_hint=hint)
    elif where == "mac":
        macs = [value for kind, value, _ in ids if kind == "mac"]
        wifi["mac"] = macs[0] if macs else wifi["mac"]
        data["probes"]["interfaces"]["diagnostics"] = [text]
    elif where == "hint":
        wifi["tethering_hint"] = f"looks like {text}"
    with _folder() as folder:
        facts = folder / "facts.json"
        facts.write_text(json.dumps(data))
        answers = folder / "answers.toml"
        note = text if where in ("note", "answer") else "nothing"
        quoted = json.dumps(note)
        answers.write_text(f"[answers]\nresponder = {quoted}\n[[notes]]\ntext = {quoted}\n")
        rc, _, err = run(["audit", "--replay", str(facts), "--answers", str(answers), "--redact",
                          "--format", "both", "-o", str(folder / "r")])
        assert rc == 0, err
        for name in ("r.md", "r.json"):
            exported = (folder / name).read_text().lower()
            for kind, value, canonical in ids:
                assert not _left(kind, value, canonical, exported), (value, name)


def _left(kind: str, value: str, canonical: str, exported: str) -> bool:
    """True when ``exported`` still holds the identifier in any notation it was given in."""
    if kind == "ip":
        octets = canonical.split(".")
        spellings = ["-".join(octets), "_".join(octets), ".".join(f"{int(o):03d}" for o in octets)]
        return bool(re.search(rf"(?<![\d.]){re.escape(canonical)}(?![\d])", exported)) or any(
            s in exported for s in spellings
        )
    if kind == "mac":
        pairs = ":".join(canonical[i : i + 2] for i in range(0, 12, 2))
        return canonical in exported or pairs in exported
    return bool(re.search(rf"(?<![\w.-]){re.escape(value.lower())}(?![\w-])", exported))
