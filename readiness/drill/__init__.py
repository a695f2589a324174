"""The live failover and power drills: probe loop, timeline, numbers, verdict.

Headless: nothing here imports Textual. The TUI runs :class:`DrillSession` in a thread
worker and listens through :class:`DrillListener`; the CLI does the same in a plain terminal.
"""
