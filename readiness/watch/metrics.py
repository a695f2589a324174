"""The watcher's figures in the Prometheus text format (prometheus_client).

Either served on ``--metrics PORT`` (loopback unless told otherwise) for Prometheus to
scrape, or written to a file for node_exporter's textfile collector (written whole:
prometheus_client writes a temp file and renames it).
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server, write_to_textfile

from readiness.watch.detector import Event, Tick


class Metrics:
    def __init__(self, textfile: str | None = None) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.textfile = textfile
        self.up = Gauge("readiness_watch_up", "1 when the last tick reached the internet", registry=r)
        self.rtt = Gauge("readiness_watch_rtt_seconds", "Median round trip of the last tick", registry=r)
        self.gateway_up = Gauge("readiness_watch_gateway_up", "1 when the router answered", registry=r)
        self.dns_up = Gauge("readiness_watch_dns_up", "1 when the office resolver answered", registry=r)
        self.in_outage = Gauge(
            "readiness_watch_outage", "1 while an outage is going on", ["cause"], registry=r
        )
        self.outages = Counter("readiness_watch_outages", "Outages seen by this run", ["cause"], registry=r)
        self.down_seconds = Counter(
            "readiness_watch_down_seconds", "Seconds offline in ended outages", registry=r
        )
        self.switches = Counter(
            "readiness_watch_line_switches", "Public address changes", ["kind"], registry=r
        )
        self.on_backup = Gauge(
            "readiness_watch_on_backup", "1 while traffic leaves by the backup line", registry=r
        )
        self.line = Gauge(
            "readiness_watch_line_info", "The line carrying traffic", ["address", "asn"], registry=r
        )
        self.last_tick = Gauge(
            "readiness_watch_last_tick_timestamp_seconds", "Wall time of the last tick", registry=r
        )
        self.ticks = Counter("readiness_watch_ticks", "Ticks sampled", registry=r)
        self.alerts_failed = Gauge(
            "readiness_watch_alerts_failed", "Alerts that failed or timed out", registry=r
        )
        for cause in ("gateway", "upstream", "dns", "unknown"):
            self.in_outage.labels(cause).set(0)
        self._server: Any = None

    def serve(self, port: int, address: str = "127.0.0.1") -> None:
        self._server = start_http_server(port, addr=address, registry=self.registry)

    def on_tick(self, t: Tick) -> None:
        self.ticks.inc()
        self.up.set(1 if t.up else 0)
        if t.rtt_ms is not None:
            self.rtt.set(t.rtt_ms / 1000)
        if t.gateway_ok is not None:
            self.gateway_up.set(int(t.gateway_ok))
        if t.dns_ok is not None:
            self.dns_up.set(int(t.dns_ok))
        self.last_tick.set(t.wall)

    def on_event(self, e: Event) -> None:
        if e.kind == "outage":
            cause = e.cause or "unknown"
            if e.open:
                self.outages.labels(cause).inc()
                self.in_outage.labels(cause).set(1)
            else:
                self.in_outage.labels(cause).set(0)
                if cause != "dns" and e.length_s:
                    self.down_seconds.inc(e.length_s)
        elif e.kind in ("failover", "failback", "address_change"):
            self.switches.labels(e.kind).inc()
            if e.kind == "failover":
                self.on_backup.set(1)
            elif e.kind == "failback":
                self.on_backup.set(0)

    def on_address(self, address: str, asn: int | None) -> None:
        self.line.clear()
        self.line.labels(address, str(asn) if asn is not None else "").set(1)

    def write(self) -> None:
        if self.textfile:
            write_to_textfile(self.textfile, self.registry)

    def close(self) -> None:
        if self._server is not None:
            server = self._server[0] if isinstance(self._server, tuple) else None
            if server is not None:
                server.shutdown()
                server.server_close()
