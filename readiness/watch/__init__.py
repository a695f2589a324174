"""`readiness watch`: the line's history over days, in an embedded database.

Parts, one job each: :mod:`clock` (injected clocks), :mod:`detector` (a pure state
machine: ticks and echoes in, events out), :mod:`store` (SQLite, WAL, one writer),
:mod:`loop` (the drill's samplers at the watch rate), :mod:`summary` (availability,
outages, failovers, yearly figures with their uncertainty), :mod:`alerts` (a command or a
webhook, bounded in time), :mod:`metrics` (Prometheus text format), :mod:`unit` (systemd).
The watcher's own downtime (asleep, stopped) is recorded as a gap, never as the line's.
"""
