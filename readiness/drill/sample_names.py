"""The names of a drill's samples: ``KIND:TARGET``, the kind telling the analysis what a
sample says (see :mod:`readiness.drill.samplers` for what each kind sends).

One place for these prefixes: the samplers name their samples with them, and the
analysis, the chart and the runner read samples back by them. Nothing here imports a
network library, so the pure analysis can use it.
"""

from __future__ import annotations

REACH_PREFIXES = ("icmp:", "tcp:")  # reachability: these alone decide whether the line is up
ECHO_PREFIXES = ("echo:", "dnsecho:")  # the public address seen from outside (in ``detail``)
DNS_PREFIX = "dns:"  # a name resolved through the office's resolver
VPN_PREFIX = "vpn:"  # a local tunnel interface's up flag
UPS_PREFIX = "ups:"  # a NUT UPS status
