"""The router probe's TR-064 path (fritzconnection) against a box served on loopback
(tests/probes/tr064_peer.py): there is no FRITZ!Box here, so its answers are served, shaped
after AVM's descriptions; fritzconnection reads them as it reads a box."""

from __future__ import annotations

from pydantic import SecretStr

from readiness.config import Config, Router
from readiness.model import Facts, Gateway, ProbeStatus, RouterSource, WanKind, WanState
from readiness.probes.base import ProbeContext
from readiness.probes.router import probe_router
from tests.probes.tr064_peer import box_actions, tr064_box


def _ctx(port: int, password: str | None = "box-pass") -> ProbeContext:
    router = Router(
        igd=False,
        snmp=False,
        tr064_port=port,
        tr064_user="admin",
        time_s=5.0,
        tr064_password=SecretStr(password) if password else None,
    )
    return ProbeContext(
        config=Config(router=router), facts=Facts(gateways=[Gateway(address="127.0.0.1", family=4)])
    )


async def test_a_fritzbox_with_its_mobile_fallback() -> None:
    with tr064_box(box_actions()) as (port, seen):
        outcome = await probe_router(_ctx(port))
    assert outcome.status is ProbeStatus.OK, outcome.reason
    assert outcome.value is not None
    router = outcome.value[0]
    assert router.answered == [RouterSource.TR064]
    assert router.identity.model == "FRITZ!Box 7590" and router.identity.serial == "3CA62F000001"
    lines = {line.interface: line for line in router.wan_lines}
    assert lines["DSL line"].state is WanState.UP and lines["DSL line"].addresses == ["198.51.100.77"]
    assert lines["mobile fallback"].kind is WanKind.CELLULAR and lines["mobile fallback"].state is WanState.UP
    assert "POST X_AVM-DE_WANMobileConnection#GetInfo" in seen


async def test_a_fritzbox_offline_with_no_fallback() -> None:
    actions = box_actions(link="Down", connection="Disconnected", external_ip="", mobile=False)
    with tr064_box(actions) as (port, _):
        outcome = await probe_router(_ctx(port))
    assert outcome.value is not None
    lines = outcome.value[0].wan_lines
    assert [(x.interface, x.state) for x in lines] == [("DSL line", WanState.DOWN)]


async def test_tr064_is_not_asked_without_a_password() -> None:
    with tr064_box(box_actions()) as (port, seen):
        outcome = await probe_router(_ctx(port, password=None))
    assert seen == []
    assert outcome.status is ProbeStatus.UNKNOWN  # nothing else was allowed to ask
