"""Cloud services: which ones this office uses, and whether they answer from here.

Detection is local and cheap: running process names matched against the catalogue.
Then every detected or declared service is checked: its host names resolved through the
resolvers of ``ctx.resolv_conf`` (never the OS's getaddrinfo, so a test or the lab decides
which server answers) and one HTTPS request sent to the address found, with the real name
in SNI and Host. The body is never read. Established connections to those addresses are
recorded as extra evidence; the catalogue's 60+ host names are not resolved just to map
connections, which would send a burst of DNS queries for services nobody uses.

``--offline``: detection only; nothing is resolved or contacted.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dns.asyncresolver
import dns.exception
import dns.resolver
import httpx
import psutil

from readiness.catalogue import Catalogue, Service, default_catalogue
from readiness.model import Endpoint, ProbeStatus, ServiceObservation
from readiness.probes.base import ProbeContext, ProbeOutcome

MAX_CONCURRENT = 16
MAX_ADDRESSES = 8  # per host name: enough to match connections, bounded against odd answers


@dataclass
class _Check:
    service: Service
    detected_by: list[str]
    addresses: dict[str, set[str]] = field(default_factory=dict)  # host name -> addresses


# --- detection (local) -------------------------------------------------------------------


def running_process_names() -> dict[str, str]:
    """Lower-case name -> name of every running process (those psutil may read)."""
    names: dict[str, str] = {}
    for proc in psutil.process_iter(["name"]):
        name = proc.info.get("name")
        if name:
            names.setdefault(str(name).lower(), str(name))
    return names


def established_remote_addresses() -> set[str] | None:
    """Remote IPs of established TCP/UDP connections; None when the OS refuses to tell."""
    try:
        conns = psutil.net_connections(kind="inet")
    except (psutil.AccessDenied, OSError):
        return None
    return {c.raddr.ip for c in conns if c.raddr and c.status == psutil.CONN_ESTABLISHED}


def detect(services: Iterable[Service], running: Mapping[str, str]) -> dict[str, list[str]]:
    """Service id -> ``process:NAME`` (the running name), matched case-insensitively. Pure."""
    found: dict[str, list[str]] = {}
    for svc in services:
        hits = dict.fromkeys(
            f"process:{running[p.lower()]}" for p in svc.process_names if p.lower() in running
        )
        if hits:
            found[svc.id] = list(hits)
    return found


# --- checking (network) ------------------------------------------------------------------


def make_resolver(resolv_conf: Path, timeout_s: float) -> dns.asyncresolver.Resolver:
    resolver = dns.asyncresolver.Resolver(filename=str(resolv_conf))
    resolver.lifetime = timeout_s
    resolver.timeout = timeout_s
    return resolver


def make_ssl_context(extra_ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if extra_ca_file:
        context.load_verify_locations(cafile=extra_ca_file)
    return context


async def resolve(resolver: dns.asyncresolver.Resolver, name: str) -> tuple[list[str], str | None]:
    """IPv4 addresses of ``name`` (IPv6 when there are none), or ([], why)."""
    error: str | None = None
    for rdtype in ("A", "AAAA"):
        try:
            answer = await resolver.resolve(name, rdtype)
        except dns.resolver.NXDOMAIN:
            return [], f"{name}: no such name"
        except dns.resolver.NoAnswer:
            continue
        except dns.exception.Timeout:
            return [], f"{name}: no DNS answer in time"
        except dns.exception.DNSException as exc:
            error = f"{name}: {type(exc).__name__}"
            continue
        addrs = [r.address for r in answer][:MAX_ADDRESSES]
        if addrs:
            return addrs, None
    return [], error or f"{name}: no address"


def _url_for(svc: Service) -> str | None:
    if svc.check_url:
        return svc.check_url
    return f"https://{svc.hostnames[0]}/" if svc.hostnames else None


def _pinned(url: str, address: str) -> tuple[str, str]:
    """(url with the host replaced by ``address``, the Host header value)."""
    parts = urlsplit(url)
    host_header = parts.netloc.rsplit("@", 1)[-1]
    ip = ipaddress.ip_address(address)
    literal = f"[{address}]" if ip.version == 6 else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header


async def https_check(
    client: httpx.AsyncClient, url: str, address: str
) -> tuple[int | None, float | None, str | None]:
    """(status, latency to the response head in ms, error). The body is never read."""
    pinned, host_header = _pinned(url, address)
    host = urlsplit(url).hostname or ""
    start = time.perf_counter()
    try:
        async with client.stream(
            "GET", pinned, headers={"Host": host_header}, extensions={"sni_hostname": host}
        ) as response:
            return response.status_code, (time.perf_counter() - start) * 1000, None
    except httpx.HTTPError as exc:
        return None, None, f"{type(exc).__name__}: {str(exc)[:160]}" if str(exc) else type(exc).__name__
    except (ssl.SSLError, OSError) as exc:
        return None, None, f"{type(exc).__name__}: {str(exc)[:160]}"


async def check_service(
    check: _Check, resolver: dns.asyncresolver.Resolver, client: httpx.AsyncClient
) -> ServiceObservation:
    svc = check.service
    obs = ServiceObservation(id=svc.id, name=svc.name, category=svc.category, detected_by=check.detected_by)
    url = _url_for(svc)
    names = list(dict.fromkeys([*svc.hostnames, *([urlsplit(url).hostname or ""] if url else [])]))
    names = [n for n in names if n]
    if not names:
        obs.error = "nothing to check: its address is the office's own (a tenant, a VPN gateway)"
        return obs
    results = await asyncio.gather(*(resolve(resolver, n) for n in names))
    by_name = dict(zip(names, results, strict=True))
    for name, (addrs, _) in by_name.items():
        check.addresses[name] = set(addrs)
    obs.dns_ok = any(addrs for addrs, _ in results)
    errors = [err for _, err in results if err]
    if url is None:
        obs.error = errors[0] if errors else None
        return obs
    url_addrs, url_err = by_name[urlsplit(url).hostname or ""]
    if not url_addrs:
        obs.reachable = False
        obs.error = url_err
        return obs
    status, latency, error = await https_check(client, url, url_addrs[0])
    obs.reachable = status is not None
    obs.http_status = status
    obs.latency_ms = round(latency, 1) if latency is not None else None
    obs.error = error or (errors[0] if errors else None)
    return obs


async def check_services(
    checks: list[_Check],
    resolver: dns.asyncresolver.Resolver,
    *,
    tls_ca_file: str | None,
    timeout_s: float,
    budget_s: float,
) -> list[ServiceObservation]:
    """Check every service concurrently; one that overruns ``budget_s`` is reported as such."""
    sem = asyncio.Semaphore(MAX_CONCURRENT)
    limits = httpx.Limits(max_keepalive_connections=0, max_connections=MAX_CONCURRENT)
    async with httpx.AsyncClient(
        verify=make_ssl_context(tls_ca_file),
        timeout=httpx.Timeout(timeout_s),
        limits=limits,
        follow_redirects=False,
        trust_env=False,  # never through a proxy from the environment: we measure this path
    ) as client:

        async def guarded(check: _Check) -> ServiceObservation:
            async with sem:
                return await check_service(check, resolver, client)

        async def one(check: _Check) -> ServiceObservation:
            # The budget counts from the start, queueing included: all checks end together.
            try:
                return await asyncio.wait_for(guarded(check), budget_s)
            except TimeoutError:
                svc = check.service
                return ServiceObservation(
                    id=svc.id,
                    name=svc.name,
                    category=svc.category,
                    detected_by=check.detected_by,
                    error=f"not finished within {budget_s:.1f} s",
                )

        return list(await asyncio.gather(*(one(c) for c in checks)))


# --- the probe -----------------------------------------------------------------------------


def _plan(catalogue: Catalogue, detected: dict[str, list[str]], declared: set[str]) -> list[_Check]:
    plan: list[_Check] = []
    for svc in catalogue.services:
        evidence = list(detected.get(svc.id, []))
        if svc.id in declared:
            evidence.append("declared")
        if evidence:
            plan.append(_Check(svc, evidence))
    return plan


async def probe_services(ctx: ProbeContext) -> ProbeOutcome[list[ServiceObservation]]:
    try:
        return await _probe(ctx)
    except Exception as exc:  # the boundary: a probe never raises
        return ProbeOutcome.unknown(f"services probe failed: {type(exc).__name__}: {exc}")


async def _probe(ctx: ProbeContext) -> ProbeOutcome[list[ServiceObservation]]:
    started = time.monotonic()
    catalogue = ctx.catalogue or default_catalogue()
    diagnostics: list[str] = []
    declared = set(ctx.declared_services) | set(ctx.config.services)
    known = {s.id for s in catalogue.services}
    for unknown_id in sorted(declared - known):
        diagnostics.append(f"declared service {unknown_id!r} is not in the catalogue")

    try:
        processes = await asyncio.to_thread(running_process_names)
    except Exception as exc:  # psutil on an odd platform
        processes = {}
        diagnostics.append(f"cannot list processes: {exc}")
        detection_failed = True
    else:
        detection_failed = False
    plan = _plan(catalogue, detect(catalogue.services, processes), declared & known)

    if ctx.offline:
        observations = [
            ServiceObservation(
                id=c.service.id,
                name=c.service.name,
                category=c.service.category,
                detected_by=c.detected_by,
                error="offline: not checked",
            )
            for c in plan
        ]
        diagnostics.append("offline: services detected from processes only; nothing resolved or contacted")
        return _outcome(observations, diagnostics, [], detection_failed)

    timeouts = ctx.config.timeouts
    try:
        resolver = make_resolver(ctx.resolv_conf, timeouts.connect_s)
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        return ProbeOutcome.unknown(f"cannot read the resolver configuration {ctx.resolv_conf}: {exc}")
    observations = await check_services(
        plan,
        resolver,
        tls_ca_file=ctx.config.endpoints.tls_ca_file,
        timeout_s=timeouts.connect_s,
        # What is left of the probe's own limit, keeping a margin for the connection table.
        budget_s=max(timeouts.probe_s * 0.85 - (time.monotonic() - started), 0.2),
    )

    remote = await asyncio.to_thread(established_remote_addresses)
    if remote is None:
        diagnostics.append("the OS did not show the connection table: no connection evidence")
    else:
        for check, obs in zip(plan, observations, strict=True):
            for name, addrs in check.addresses.items():
                if addrs & remote:
                    obs.detected_by.append(f"connection:{name}")

    endpoints: list[Endpoint] = []
    for check in plan:
        for name in check.service.hostnames:
            endpoints.append(Endpoint(kind="dns", target=name, purpose=f"resolve {check.service.name}"))
        url = _url_for(check.service)
        if url:
            endpoints.append(Endpoint(kind="https", target=url, purpose=f"reach {check.service.name}"))
    return _outcome(observations, diagnostics, endpoints, detection_failed)


def _outcome(
    observations: list[ServiceObservation],
    diagnostics: list[str],
    endpoints: list[Endpoint],
    detection_failed: bool,
) -> ProbeOutcome[list[ServiceObservation]]:
    if detection_failed:
        return ProbeOutcome(
            value=observations,
            status=ProbeStatus.PARTIAL,
            reason="running programs could not be listed: only declared services were checked",
            diagnostics=diagnostics,
            endpoints=endpoints,
        )
    return ProbeOutcome(value=observations, diagnostics=diagnostics, endpoints=endpoints)
