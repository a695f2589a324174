"""Rules about single boxes and name resolution (NET-xxx, DNS-xxx)."""

from __future__ import annotations

from readiness.model import ResolverRole
from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.common import backup_state, latest_failover_drill, tethering_links
from readiness.rules.judge import Judge
from readiness.rules.router_lines import router_lines

# Resolver roles that keep answering whichever line carries the traffic.
INDEPENDENT_ROLES = frozenset({ResolverRole.ROUTER_PROXY, ResolverRole.PUBLIC, ResolverRole.LAN})


@rule("NET-001")
def router_redundancy(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    spare = j.choice("router_spare")
    gateways = inp.facts.gateways
    phones = set(tethering_links(inp.facts) or [])
    routers = {
        g.address
        for g in gateways or []
        if g.family == 4 and (g.interface is None or g.interface not in phones)
    }
    if gateways is not None:
        j.fact("gateways", sorted(routers) or "none")
    for r in seen.routers if (seen := router_lines(inp.facts)) else []:
        ident = " ".join(x for x in (r.identity.manufacturer, r.identity.model) if x) or "make not given"
        up = f", up {r.identity.uptime_s / 86400:.1f} days" if r.identity.uptime_s is not None else ""
        fw = f", firmware {r.identity.firmware}" if r.identity.firmware else ""
        j.fact("router.identity", f"{ident} at {r.gateway}{fw}{up}", "as the router describes itself")
    if len(routers) >= 2:
        conflict = None
        if spare == "none":
            conflict = (
                "Answered that nothing replaces the router, but two routers answer as default gateways."
            )
        return j.passed(f"Two routers ({', '.join(sorted(routers))}) can carry traffic.", conflict)
    if spare == "ha_pair":
        return j.passed("A second router takes over automatically (declared).")
    if spare == "spare_on_site":
        return j.warn("A configured spare router is on site, but swapping it needs a person.")
    if spare == "provider_swap":
        return j.failed("If the router breaks, the office waits for a replacement to be delivered.")
    if spare == "none":
        return j.failed("The router is a single point of failure.")
    return j.unknown("Whether the router has a spare or a twin is not known.")


@rule("DNS-001")
def dns_independent(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    declared = j.yes("dns_on_backup")
    drill = latest_failover_drill(list(inp.drills))
    if drill is not None and drill.dns_during_blackout is not None:
        j.drill("drill.dns_during_blackout", drill.dns_during_blackout, f"drill {drill.id}")
        conflict = None
        if declared is not None and declared != drill.dns_during_blackout:
            conflict = "The answer about DNS on the backup disagrees with the drill; the drill is trusted."
        if drill.dns_during_blackout:
            return j.passed("Name lookups kept working while the main line was cut (measured).", conflict)
        return j.failed("Name lookups failed while the main line was cut (measured).", conflict)
    resolvers = inp.facts.resolvers
    if resolvers and all(r.reachable is False for r in resolvers):
        # Measured now: not one configured resolver answered, so name lookups are down
        # whatever the roles say (the dead-line case, where a router proxy has no upstream).
        j.fact("resolvers", [f"{r.address} ({r.role.value}): no answer" for r in resolvers])
        conflict = None
        if declared is True:
            conflict = "Answered that DNS keeps working, but no resolver answered during the audit."
        return j.failed("None of the office's DNS resolvers answered during the audit.", conflict)
    backup = backup_state(j)
    if backup.present is False:
        return j.not_applicable("There is no backup line for DNS to move to.")
    if resolvers:
        roles = [r.role for r in resolvers]
        j.fact("resolvers", [f"{r.address} ({r.role.value})" for r in resolvers])
        provider = [r for r in resolvers if r.role is ResolverRole.PROVIDER]
        independent = [r for r in resolvers if r.role in INDEPENDENT_ROLES]
        if provider and not independent:
            conflict = None
            if declared is True:
                conflict = (
                    "Answered that DNS works on the backup, but only the main provider's resolvers"
                    " are configured."
                )
            return j.failed("Computers look up names only through the main provider's servers.", conflict)
        if provider and independent:
            return j.warn("Some name lookups go to the main provider's servers and will stall on the backup.")
        if independent:
            return j.passed("Name lookups go through resolvers that do not depend on the main line.")
        j.computed("resolver roles", [r.value for r in roles], "roles that do not settle the question")
    elif resolvers is None:
        j.need("facts.resolvers")
    if declared is True:
        return j.passed("Name lookups work over the backup (declared).")
    if declared is False:
        return j.failed("Name lookups do not work over the backup.")
    return j.unknown("Whether name lookups work over the backup is not known.")
