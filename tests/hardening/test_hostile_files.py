"""Property tests for the parsers and loaders not covered by test_hostile_files_core.py.

Answers file, catalogue folder, recorded facts (replay), NUT text, Team Cymru TXT,
resolv.conf / resolvectl, route and neighbour tables. Whatever they are fed, each answers
with a typed result or its module's documented error (InputError for loaders, ValueError
where the docstring says so), never another exception; loader errors are one line that
names the file (and the field when there is one).
"""

from __future__ import annotations

import json
import math
import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import dns.resolver
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from readiness.answers_file import AnswersFile, load_answers
from readiness.catalogue import Catalogue, default_catalogue, load_catalogue
from readiness.config import load_config
from readiness.errors import InputError
from readiness.model import Facts, UpsUnit
from readiness.probes import cymru, linux_routes, nut, resolvconf
from readiness.replay import load_facts, parse_facts
from tests.hardening.strategies import json_values

REPO = Path(__file__).resolve().parents[2]
FIXTURE_FACTS = REPO / "examples" / "dual-office.json"
FUNC = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
CATALOGUE = default_catalogue()
QUESTION_IDS = [q.id for q in CATALOGUE.questions]
CHECK_IDS = [c.id for c in CATALOGUE.checks]


def _one_line_naming(exc: InputError, path: Path | str) -> None:
    text = str(exc)
    assert "\n" not in text and "\r" not in text, text
    assert text.startswith(str(path)), f"{text!r} does not start with {path}"


# --- a small TOML writer for generated documents -------------------------------------------


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v)  # JSON string escapes are valid TOML basic-string escapes
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


_scalars = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates()
    | st.text(max_size=30)
)
_values = (
    _scalars | st.lists(_scalars, max_size=4) | st.dictionaries(st.text(max_size=5), _scalars, max_size=3)
)


# --- answers file ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=FUNC)
@given(st.binary(max_size=300))
def test_answers_file_survives_any_bytes(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes(raw)
    try:
        assert isinstance(load_answers(path, CATALOGUE), AnswersFile)
    except InputError as exc:
        _one_line_naming(exc, path)
    assert path.read_bytes() == raw


@settings(max_examples=300, deadline=None, suppress_health_check=FUNC)
@given(
    answers=st.dictionaries(st.sampled_from([*QUESTION_IDS, "no_such_question"]), _values, max_size=5),
    waivers=st.dictionaries(
        st.sampled_from([*CHECK_IDS[:5], "XYZ-999"]),
        st.fixed_dictionaries({}, optional={"reason": _values, "expires": _values, "by": _values}),
        max_size=2,
    ),
    site=st.none() | st.dictionaries(st.sampled_from(["name", "address", "profile", "extra"]), _values),
    technician=st.none() | _values,
)
def test_answers_file_with_any_typed_values(
    tmp_path: Path, answers: dict[str, Any], waivers: dict[str, Any], site: Any, technician: Any
) -> None:
    lines: list[str] = []
    if technician is not None:
        lines.append(f"technician = {_toml_value(technician)}")
    if site is not None:
        lines += ["[site]", *(f"{k} = {_toml_value(v)}" for k, v in site.items())]
    lines += ["[answers]", *(f"{k} = {_toml_value(v)}" for k, v in answers.items())]
    for cid, w in waivers.items():
        lines += [f"[waivers.{json.dumps(cid)}]", *(f"{k} = {_toml_value(v)}" for k, v in w.items())]
    path = tmp_path / "answers.toml"
    path.write_text("\n".join(lines) + "\n")
    try:
        loaded = load_answers(path, CATALOGUE)
    except InputError as exc:
        _one_line_naming(exc, path)
        # A typed-value problem names the table and key it is about.
        assert exc.field is None or exc.field.split(".")[0] in {
            "technician",
            "site",
            "answers",
            "waivers",
            "notes",
        }
    else:
        assert set(loaded.answers) <= set(QUESTION_IDS)


@settings(max_examples=150, deadline=None, suppress_health_check=FUNC)
@given(st.binary(max_size=200))
def test_config_loader_survives_any_bytes(tmp_path: Path, raw: bytes) -> None:
    """The core suite feeds it text; bytes that are not UTF-8 are a case of their own."""
    path = tmp_path / "config.toml"
    path.write_bytes(raw)
    try:
        load_config(path)
    except InputError as exc:
        _one_line_naming(exc, path)


# --- catalogue folder -----------------------------------------------------------------------

_CATALOGUE_FILES = ["checks.toml", "questions.toml", "services.toml"]


def _mutate(text: str, how: str, rnd: random.Random, token: str) -> str:
    lines = text.splitlines(keepends=True)
    i = rnd.randrange(len(lines))
    if how == "delete_line":
        del lines[i]
    elif how == "duplicate_line":
        lines.insert(i, lines[i])
    elif how == "truncate":
        return text[: rnd.randrange(len(text))]
    elif how == "replace_value":
        candidates = [
            n for n, line in enumerate(lines) if " = " in line and not line.lstrip().startswith("#")
        ]
        n = rnd.choice(candidates)
        key = lines[n].split(" = ", 1)[0]
        lines[n] = f"{key} = {token}\n"
    elif how == "insert_line":
        lines.insert(i, token + "\n")
    return "".join(lines)


@settings(max_examples=120, deadline=None, suppress_health_check=FUNC)
@given(
    which=st.sampled_from(_CATALOGUE_FILES),
    how=st.sampled_from(["delete_line", "duplicate_line", "truncate", "replace_value", "insert_line"]),
    seed=st.integers(0, 2**32 - 1),
    value=_values,
)
def test_catalogue_loader_on_a_mutated_folder(
    tmp_path: Path, which: str, how: str, seed: int, value: Any
) -> None:
    folder = tmp_path / "checks"
    if not folder.exists():
        shutil.copytree(REPO / "checks", folder)
    target = folder / which
    original = (REPO / "checks" / which).read_text()
    target.write_text(_mutate(original, how, random.Random(seed), _toml_value(value)))
    try:
        assert isinstance(load_catalogue(folder), Catalogue)
    except InputError as exc:
        text = str(exc)
        assert "\n" not in text
        assert any(text.startswith(str(folder / f)) for f in _CATALOGUE_FILES), text
    finally:
        target.write_text(original)


# --- recorded facts (replay) ----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_replay_parser_survives_any_bytes(raw: bytes) -> None:
    try:
        assert isinstance(parse_facts(raw, "facts.json"), Facts)
    except InputError as exc:
        _one_line_naming(exc, "facts.json")


_FACTS_DOC = json.loads(FIXTURE_FACTS.read_text())


@settings(max_examples=300, deadline=None, suppress_health_check=FUNC)
@given(section=st.sampled_from(sorted(_FACTS_DOC)), index=st.integers(0, 3), value=json_values)
def test_replay_with_a_mangled_section_names_it(tmp_path: Path, section: str, index: int, value: Any) -> None:
    doc = json.loads(json.dumps(_FACTS_DOC))
    target = doc[section]
    if isinstance(target, list) and target and isinstance(target[0], dict):
        entry = target[index % len(target)]
        key = sorted(entry)[index % len(entry)]
        entry[key] = value  # one field deep inside the section
    else:
        doc[section] = value
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(doc))
    try:
        facts = load_facts(path)
    except InputError as exc:
        _one_line_naming(exc, path)
        assert exc.field is not None and exc.field.split(".")[0].split("[")[0] == section
    else:
        assert facts.replayed_from == str(path)


# --- NUT text -------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(max_size=50),
    variables=st.dictionaries(
        st.sampled_from(
            ["ups.status", "battery.charge", "battery.runtime", "ups.load", "ups.model", "ups.mfr",
             "ups.vendorid", "ups.productid", "battery.date", "ups.test.result", "device.model"]
        )
        | st.text(max_size=15),
        st.text(max_size=200),
        max_size=12,
    ),
)  # fmt: skip
def test_nut_variables_always_make_a_unit(name: str, variables: dict[str, str]) -> None:
    unit = nut.unit_from_vars(name, "127.0.0.1", variables)
    assert isinstance(unit, UpsUnit)
    for value in (unit.charge_pct, unit.load_pct):
        assert value is None or (math.isfinite(value) and 0 <= value <= 1000)
    assert unit.runtime_s is None or (math.isfinite(unit.runtime_s) and unit.runtime_s >= 0)
    assert all(flag.isascii() and flag.isprintable() and len(flag) <= 16 for flag in unit.status)
    assert len(unit.status) == len(set(unit.status))
    UpsUnit.model_validate_json(unit.model_dump_json())  # it round-trips into a saved audit


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_nut_unescape_and_flags(text: str) -> None:
    assert len(nut.unescape(text)) <= nut.MAX_VALUE_CHARS
    assert isinstance(nut.status_flags(text), list)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_nut_target_is_parsed_or_a_value_error(target: str) -> None:
    try:
        host, port = nut.split_target(target, 3493)
    except ValueError:
        return  # documented: query_nut turns it into "not a host or host:port"
    assert isinstance(host, str) and isinstance(port, int)


# --- Team Cymru TXT -------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    st.text(max_size=300)
    | st.builds(
        lambda parts: " | ".join(parts),
        st.lists(
            st.text(alphabet=st.characters(blacklist_characters="|"), max_size=40), min_size=1, max_size=7
        ),
    )
)
def test_cymru_txt_parsers(txt: str) -> None:
    origin = cymru.parse_origin_txt(txt)
    if origin is not None:
        assert 0 <= origin.asn <= 0xFFFFFFFF
        assert origin.country is None or (origin.country.isalpha() and len(origin.country) <= 3)
    name = cymru.parse_asn_txt(txt)
    assert name is None or (name and len(name) <= cymru.MAX_FIELD and name.isprintable())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_cymru_query_name_is_a_name_or_a_value_error(address: str) -> None:
    try:
        qname = cymru.origin_query_name(address, "origin.asn.cymru.com", "origin6.asn.cymru.com")
    except ValueError:
        return  # documented by lookup_origin: not an address
    assert qname.endswith("asn.cymru.com")


# --- resolv.conf and resolvectl -------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=FUNC)
@given(
    st.binary(max_size=300)
    | st.lists(
        st.sampled_from(["nameserver", "search", "domain", "options", "#", ";", "nameserver\t"]).flatmap(
            lambda kw: st.text(max_size=40).map(lambda rest: f"{kw} {rest}")
        ),
        max_size=8,
    ).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass"))
)
def test_resolv_conf_reader(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "resolv.conf"
    path.write_bytes(raw)
    try:
        servers = resolvconf.read_resolv_conf(path)
    except dns.resolver.NoResolverConfiguration:
        return  # documented: no usable nameserver (callers turn it into unknown)
    assert all(isinstance(s, str) and s for s in servers)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_resolvectl_output_parser(text: str) -> None:
    found = resolvconf.parse_resolvectl_dns(text)
    assert len(found) == len(set(found))


# --- route and neighbour tables -------------------------------------------------------------

_hexish = st.text(alphabet="0123456789abcdefABCDEFxX-gz", max_size=34)
_proc_route_line = st.lists(_hexish | st.text(max_size=8), min_size=0, max_size=12).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_proc_route_line, max_size=6).map("\n".join) | st.text(max_size=400))
def test_route_and_neighbour_text_parsers_never_raise(text: str) -> None:
    for parse in (
        linux_routes.parse_proc_net_route,
        linux_routes.parse_proc_net_ipv6_route,
        linux_routes.parse_proc_net_arp,
    ):
        assert isinstance(parse(text), list)
    assert isinstance(linux_routes.parse_proc_net_route("Iface Destination\n" + text), list)
    assert isinstance(linux_routes.parse_proc_net_arp("IP address HW type\n" + text), list)


@settings(max_examples=400, deadline=None)
@given(json_values | st.text(max_size=100))
def test_ip_json_parsers_never_raise(doc: Any) -> None:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    for family in (4, 6):
        for route in linux_routes.parse_ip_route_json(text, family):
            assert isinstance(route.metric, int)
    assert isinstance(linux_routes.parse_ip_neigh_json(text), list)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"dst": st.sampled_from(["default", "0.0.0.0/0", "::/0"])},
            optional=dict.fromkeys(("gateway", "dev", "metric", "type", "nexthops"), json_values),
        ),
        max_size=4,
    )
)
def test_ip_route_json_with_default_routes_of_any_shape(entries: list[dict[str, Any]]) -> None:
    assume(entries)
    routes = linux_routes.parse_ip_route_json(json.dumps(entries), 4)
    assert all(r.gateway is None or isinstance(r.gateway, str) for r in routes)
    assert all(r.interface is None or isinstance(r.interface, str) for r in routes)
