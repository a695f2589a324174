"""Diff between two audits of a site: every kind of change, table-driven."""

from __future__ import annotations

import json

import pytest

from readiness.errors import InputError
from readiness.export.diff import diff_audits, diff_json, diff_text
from readiness.model import Audit, Finding, Score, Severity, Site, Verdict
from tests.unit import audit_fixtures as fx

V = Verdict


def _audit(
    verdicts: dict[str, Verdict], score: float | None, site: str = "Test Office", aid: str = "a"
) -> Audit:
    findings = [
        Finding(
            check_id=cid,
            title=f"Title {cid}",
            category="lines",
            severity=Severity.HIGH,
            verdict=v,
            summary="s",
        )
        for cid, v in verdicts.items()
    ]
    return fx.minimal_audit().model_copy(
        update={
            "id": aid,
            "site": Site(name=site),
            "findings": findings,
            "score": Score(
                overall=score,
                uncapped=score,
                level="Exposed",
                level_text="t",
                points=0,
                max_points=0,
                coverage_pct=0,
            ),
        }
    )


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (V.FAIL, V.PASS, "fixed"),
        (V.WARN, V.PASS, "fixed"),
        (V.FAIL, V.WARN, "improved"),
        (V.PASS, V.FAIL, "regressed"),
        (V.PASS, V.WARN, "regressed"),
        (V.WARN, V.FAIL, "regressed"),
        (None, V.FAIL, "new_problems"),
        (V.UNKNOWN, V.WARN, "new_problems"),
        (V.NOT_APPLICABLE, V.FAIL, "new_problems"),
        (V.WAIVED, V.FAIL, "new_problems"),
        (V.PASS, V.UNKNOWN, "other"),
        (V.FAIL, V.WAIVED, "other"),
        (V.FAIL, None, "other"),
    ],
)
def test_each_change_lands_in_its_bucket(old: Verdict | None, new: Verdict | None, kind: str) -> None:
    before = _audit({"WAN-001": old} if old else {}, 40)
    after = _audit({"WAN-001": new} if new else {}, 55)
    d = diff_audits(before, after)
    buckets = {
        "fixed": d.fixed,
        "improved": d.improved,
        "new_problems": d.new_problems,
        "regressed": d.regressed,
        "other": d.other,
    }
    assert [k for k, v in buckets.items() if v] == [kind]
    change = buckets[kind][0]
    assert (change.old, change.new) == (old.value if old else None, new.value if new else None)
    assert d.unchanged == 0


def test_counts_score_change_and_text() -> None:
    before = _audit({"WAN-001": V.FAIL, "PWR-001": V.PASS, "OPS-001": V.WARN}, 40, aid="old")
    after = _audit({"WAN-001": V.PASS, "PWR-001": V.PASS, "OPS-001": V.FAIL}, 62.4, aid="new")
    d = diff_audits(before, after)
    assert (len(d.fixed), len(d.regressed), d.unchanged) == (1, 1, 1)
    assert d.score_change == 22.4
    text = diff_text(d)
    assert "Score: 40 -> 62 (+22)" in text
    assert "Fixed 1, improved 0, new problems 0, regressed 1, other changes 0, unchanged 1" in text
    assert "  WAN-001 [high] Title WAN-001: fail -> pass" in text
    doc = json.loads(diff_json(d))
    assert doc["score_change"] == 22.4 and doc["fixed"][0]["check_id"] == "WAN-001"


def test_refuses_another_site_unless_forced() -> None:
    a = _audit({}, 10, site="Office A")
    b = _audit({}, 20, site="Office B")
    with pytest.raises(InputError) as err:
        diff_audits(a, b, source="b.json")
    assert err.value.one_line().startswith("b.json: site.name: 'Office B' is not the site")
    assert diff_audits(a, b, force=True).site == "Office B"
    # case and surrounding spaces do not make another site
    assert diff_audits(a, _audit({}, 20, site="  office a ")).unchanged == 0


def test_unscored_audits_have_no_score_change() -> None:
    a = fx.minimal_audit()
    d = diff_audits(a, a)
    assert d.score_change is None
    assert "Score: not scored -> not scored" in diff_text(d)
