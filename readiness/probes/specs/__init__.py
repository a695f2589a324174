"""One module per probe, each with a ``SPEC``; see readiness/probes/spec.py."""
