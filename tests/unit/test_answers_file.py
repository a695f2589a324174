"""The answers file: the shipped example loads; every kind of mistake names file and field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from readiness.answers_file import apply_answers, load_answers
from readiness.catalogue import default_catalogue
from readiness.errors import InputError
from tests.unit import audit_fixtures as fx

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "answers.toml"
    path.write_text(text)
    return load_answers(path, fx.catalogue())


def test_the_shipped_example_is_complete_and_valid(repo_root: Path) -> None:
    catalogue = default_catalogue()
    answers = load_answers(repo_root / "examples" / "answers.toml", catalogue)
    assert answers.site is not None and answers.site.name
    assert answers.technician
    # every question of the real catalogue is answered in the example
    assert set(answers.answers) == {q.id for q in catalogue.questions}
    assert answers.waivers and answers.notes


def test_values_are_typed_per_question(tmp_path: Path) -> None:
    a = _load(
        tmp_path,
        """
technician = "Sam"
[site]
name = "Shop"
[answers]
max_outage_minutes = 15.5
staff_count = 12.0
has_backup_line = false
backup_kind = "mobile"
departments = ["sales", "sales", "finance"]
last_failover_test = "2026-03-14"
responder = "Front desk"
[waivers.WAN-001]
reason = "Second line ordered"
expires = 2026-12-31
[[notes]]
text = "Router under the desk"
check = "WAN-001"
""",
    )
    assert a.answers == {  # type: ignore[attr-defined]
        "max_outage_minutes": 15.5,
        "staff_count": 12,
        "has_backup_line": False,
        "backup_kind": "mobile",
        "departments": ["sales", "finance"],
        "last_failover_test": "2026-03-14",
        "responder": "Front desk",
    }
    assert a.waivers["WAN-001"].expires == date(2026, 12, 31)  # type: ignore[attr-defined]
    assert a.notes[0].check_id == "WAN-001"  # type: ignore[attr-defined]


def test_unknown_means_dont_know_where_allowed(tmp_path: Path) -> None:
    a = _load(tmp_path, '[answers]\nhas_backup_line = "unknown"\n')
    assert a.answers == {"has_backup_line": None}  # type: ignore[attr-defined]
    with pytest.raises(InputError, match=r"answers\.responder: this question needs an answer"):
        _load(tmp_path, '[answers]\nresponder = "unknown"\n')


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        (
            '[answers]\nmax_outage_minutes = "abc"\n',
            "answers.max_outage_minutes",
            "expected a number, got 'abc'",
        ),
        (
            "[answers]\nmax_outage_minutes = true\n",
            "answers.max_outage_minutes",
            "expected a number, got true",
        ),
        ("[answers]\nmax_outage_minutes = -1\n", "answers.max_outage_minutes", "-1 is below the minimum 0"),
        ("[answers]\nmax_outage_minutes = 99999\n", "answers.max_outage_minutes", "above the maximum 10080"),
        ("[answers]\nstaff_count = 2.5\n", "answers.staff_count", "expected a whole number, got 2.5"),
        (
            '[answers]\nhas_backup_line = "yes"\n',
            "answers.has_backup_line",
            "expected true or false, got 'yes'",
        ),
        (
            '[answers]\nbackup_kind = "cable"\n',
            "answers.backup_kind",
            "expected one of mobile, fibre, got 'cable'",
        ),
        ('[answers]\ndepartments = "sales"\n', "answers.departments", "expected a list of sales, finance"),
        (
            '[answers]\ndepartments = ["sales", "hr"]\n',
            "answers.departments",
            "'hr' is not one of sales, finance",
        ),
        ('[answers]\nlast_failover_test = "last spring"\n', "answers.last_failover_test", "expected a date"),
        ("[answers]\nresponder = 3\n", "answers.responder", "expected some text, got 3"),
        ("[answers]\nno_such_question = 1\n", "answers.no_such_question", "unknown question id"),
        ('[waivers.XYZ-001]\nreason = "r"\nexpires = 2026-01-01\n', "waivers.XYZ-001", "unknown check id"),
        ("[waivers.WAN-001]\nexpires = 2026-01-01\n", "waivers.WAN-001.reason", "missing"),
        ('[waivers.WAN-001]\nreason = "r"\nexpires = "soon"\n', "waivers.WAN-001.expires", "expected a date"),
        (
            '[waivers.WAN-001]\nreason = ""\nexpires = 2026-01-01\n',
            "waivers.WAN-001.reason",
            "expected some text",
        ),
        (
            '[waivers.WAN-001]\nreason = "r"\nexpires = 2026-01-01\nwho = "x"\n',
            "waivers.WAN-001.who",
            "unknown key",
        ),
        ('[[notes]]\ncheck = "WAN-001"\n', "notes[0].text", "missing"),
        ('[[notes]]\ntext = "t"\ncheck = "NOPE-1"\n', "notes[0].check", "unknown check id 'NOPE-1'"),
        ('notes = "hello"\n', "notes", "expected a list of [[notes]] tables"),
        ('[site]\naddress = "x"\n', "site.name", "missing"),
        ('[site]\nname = "x"\ncity = "y"\n', "site.city", "unknown key"),
        ("answer = 1\n", "answer", "unknown key"),
        ("[answers]\nmax_outage_minutes = \n", None, "not valid TOML"),
    ],
)
def test_errors_name_file_and_field(tmp_path: Path, text: str, field: str | None, message: str) -> None:
    with pytest.raises(InputError) as err:
        _load(tmp_path, text)
    assert err.value.field == field
    assert message in err.value.message
    line = err.value.one_line()
    assert line.startswith(str(tmp_path / "answers.toml")) and "\n" not in line


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_answers(tmp_path / "missing.toml", fx.catalogue())


def test_apply_adds_answers_waivers_notes_and_site(tmp_path: Path) -> None:
    a = _load(
        tmp_path,
        'technician = "Sam"\n[site]\nname = "Shop"\n[answers]\nhas_backup_line = true\n'
        '[waivers.WAN-001]\nreason = "r"\nexpires = 2026-12-31\n[[notes]]\ntext = "n"\n',
    )
    base = fx.audit()
    out = apply_answers(base, a, NOW)  # type: ignore[arg-type]
    assert out.site.name == "Shop" and out.technician == "Sam"
    assert out.answers["has_backup_line"].value is True
    assert out.answers["has_backup_line"].answered_at == NOW and out.answers["has_backup_line"].by == "Sam"
    assert out.answers["max_outage_minutes"] == base.answers["max_outage_minutes"]  # others kept
    assert out.waivers["WAN-001"].by == "Sam"
    assert out.notes[-1].text == "n" and out.notes[-1].at == NOW and len(out.notes) == len(base.notes) + 1


def test_site_timezone_is_checked_and_kept(tmp_path: Path) -> None:
    a = _load(tmp_path, '[site]\nname = "Shop"\ntimezone = "Australia/Sydney"\n')
    assert a.site is not None and a.site.timezone == "Australia/Sydney"  # type: ignore[attr-defined]
    with pytest.raises(InputError) as err:
        _load(tmp_path, '[site]\nname = "Shop"\ntimezone = "Mars/Olympus"\n')
    assert err.value.one_line().endswith(
        "answers.toml: site.timezone: unknown time zone 'Mars/Olympus' (an IANA name such as 'Europe/Paris')"
    )
