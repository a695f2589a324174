"""Probes: each reads one part of the machine or the network and returns typed facts."""
