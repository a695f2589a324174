"""Exports of an Audit: Markdown for the owner, JSON (the audit itself), redaction and diff.

Everything here is a function of an Audit (and the catalogue's wording): nothing re-probes
or re-judges.
"""
