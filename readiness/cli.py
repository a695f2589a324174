"""The `readiness` command line.

    readiness                      the interactive walkthrough (TUI)
    readiness open AUDIT.json      resume a saved audit in the TUI
    readiness audit ...            discovery (or --replay), answers, rules, export: headless
    readiness report AUDIT.json    render a saved audit as Markdown, HTML or JSON
    readiness checks               list the checklist
    readiness diff OLD NEW         what changed between two audits of a site
    readiness drill ...            the live failover / power drill
    readiness watch ...            watch the line for days; --summary reports on it

Exit codes: 0 ok; 1 ``--fail-on`` found a failed check at or above that severity;
2 usage or input error (one line on stderr); 130 interrupted (Ctrl-C).

Data goes to stdout, progress and diagnostics to stderr. Everything heavy (Textual, the
probes, the engine, the drill) is imported inside the command that needs it, so a
headless command never imports Textual and a missing piece breaks only its own command.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from readiness.errors import InputError, ReadinessError, Terminated
from readiness.export.formats import EXPORTERS, SETS, Part, choices, exporter, resolve
from readiness.export.outputs import output_plan, preflight_output
from readiness.version import __version__
from readiness.watch.options import register as register_watch

if TYPE_CHECKING:
    from readiness.catalogue import Catalogue
    from readiness.config import Config
    from readiness.model import Audit, Facts, Waiver
    from readiness.probes.base import ProbeProgress

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
SEVERITIES = ("critical", "high", "medium", "low", "info")
REDACT_HELP = "mask public IPs, MACs, host names, people, phone numbers, e-mails and contract numbers"
EXIT_CODES_HELP = """exit codes:
  0    ok
  1    `audit --fail-on SEVERITY`: a check failed at that severity or above
  2    usage or input error (one line on stderr naming the file and the field)
  130  interrupted (Ctrl-C); no partial output file is left behind"""


class UsageError(ReadinessError):
    """A command line that cannot run as given."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _stderr(message: str) -> None:
    print(f"readiness: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ parser


def build_parser(*, with_drill: bool = False) -> argparse.ArgumentParser:
    p = _Parser(
        prog="readiness",
        description="Will this office keep working when its internet line fails? "
        "Run without a command for the interactive walkthrough.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"readiness {__version__}")
    _tui_options(p, prefix="tui_")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    op = sub.add_parser("open", help="resume a saved audit in the interactive walkthrough")
    op.add_argument("audit", type=Path, metavar="AUDIT.json")
    _tui_options(op, prefix="")

    au = sub.add_parser(
        "audit",
        help="discover (or replay), apply answers, judge and export, without the TUI",
        description="Headless audit. Without -o, one format goes to stdout; --format both writes "
        "STEM.md and STEM.json in the current folder (STEM = readiness-<site>-<date>).",
    )
    au.add_argument("--answers", type=Path, metavar="FILE", help="answers file (TOML, examples/README.md)")
    _format_options(au)
    au.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="one format: the file to write ('-' = stdout); both/all: a path stem (STEM.md, "
        "STEM.html, STEM.json) or an existing folder",
    )
    au.add_argument("--offline", action="store_true", help="contact nothing beyond the local network")
    au.add_argument("--redact", action="store_true", help=REDACT_HELP)
    au.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        help="exit 1 when a check fails at this severity or above (critical, high, medium, low, info); "
        "warnings, unknowns and waived checks never trigger it",
    )
    au.add_argument(
        "--replay",
        type=Path,
        metavar="FACTS.json",
        help="judge recorded facts, do not probe; a whole saved audit keeps its drills, notes, "
        "waivers and answers, and --answers goes over them (each change noted)",
    )
    au.add_argument("--config", type=Path, metavar="FILE", help="config file (endpoints, timeouts)")
    au.add_argument("--site", metavar="NAME", help="site name (overrides the answers file)")
    au.add_argument("--technician", metavar="NAME", help="who ran the audit (overrides the answers file)")
    au.add_argument("--history", type=Path, metavar="DB",
                    help="a `readiness watch` database: measured outages and failovers beat the answers")

    rp = sub.add_parser("report", help="render a saved audit (never re-probes or re-judges)")
    rp.add_argument("audit", type=Path, metavar="AUDIT.json")
    _format_options(rp)
    rp.add_argument("-o", "--output", metavar="PATH",
                    help="one format: the file to write (default: stdout); both/all: a path stem or a folder")
    rp.add_argument("--redact", action="store_true", help=REDACT_HELP)

    ck = sub.add_parser("checks", help="list the checklist")
    ck.add_argument("--format", choices=("text", "json"), default="text", help="default: text")

    df = sub.add_parser("diff", help="what was fixed, what is new, what regressed between two audits")
    df.add_argument("old", type=Path, metavar="OLD.json")
    df.add_argument("new", type=Path, metavar="NEW.json")
    df.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    df.add_argument("--force", action="store_true", help="compare even when the sites differ")

    register_watch(sub)

    if with_drill:
        # late: the drill's parser and what it loads add 417 ms to every other command
        from readiness.drill import cli as drill_cli

        drill_cli.register(sub)
    else:
        # A light stand-in so `--help` lists the command without importing the drill.
        dr = sub.add_parser("drill", help="run a live failover or power drill (see `readiness drill --help`)")
        dr.add_argument("rest", nargs=argparse.REMAINDER)
    return p


def _format_options(p: argparse.ArgumentParser) -> None:
    """``--format`` and ``--part``, both from the exporters' registry (readiness/export/formats.py)."""
    names = ", ".join(f"{e.name}" + (f" (or {'/'.join(e.aliases)})" if e.aliases else "") for e in EXPORTERS)
    sets = "; ".join(f"{name} = {' + '.join(members)}" for name, members in SETS.items())
    p.add_argument("--format", choices=choices(aliases=True), default="markdown", metavar="FORMAT",
                   help=f"{names}; {sets} (default: markdown)")
    p.add_argument("--part", choices=[part.value for part in Part], default=Part.ALL.value,
                   help="owner: the one-page decision; technician: the annex; all: both (default). "
                   "The JSON is always the whole audit")


def _tui_options(p: argparse.ArgumentParser, prefix: str) -> None:
    p.add_argument("--replay", dest=f"{prefix}replay", type=Path, metavar="FACTS.json",
                   help="walk through recorded facts instead of probing")
    p.add_argument("--config", dest=f"{prefix}config", type=Path, metavar="FILE", help="config file")
    p.add_argument("--offline", dest=f"{prefix}offline", action="store_true",
                   help="contact nothing beyond the local network")
    p.add_argument("--site", dest=f"{prefix}site", metavar="NAME", help="site name for a new audit")


# ------------------------------------------------------------------ helpers


def _config(path: Path | None) -> Config:
    # late: the config's models (pydantic) add 222 ms to `readiness --version` and --help
    from readiness.config import load_config

    return load_config(path)


def _catalogue() -> Catalogue:
    # late: the checklist and its models add 204 ms to `readiness --version` and --help
    from readiness.catalogue import default_catalogue

    return default_catalogue()


def plan_catalogue(catalogue: Catalogue, config: Config, path: Path | None) -> Catalogue:
    """The catalogue with the plan's costs from the config; an unknown action is an error."""
    known = {a.id for a in catalogue.actions}
    for aid in config.plan.costs:
        if aid not in known:
            # late: the config's models add 222 ms to `readiness --version` (loaded by now)
            from readiness.config import default_config_path

            where = path or default_config_path()
            raise InputError(where, f"plan.costs.{aid}", "unknown action id (see checks/plan.toml)")
    return catalogue.with_action_costs(config.plan.overrides())


def _emit(fmt: str, output: str | None, audit: Audit, catalogue: Catalogue | None, part: str = "all") -> None:
    """Render every output first, then write them all-or-nothing (stdout last)."""
    # late: 225 ms on `readiness --version` (the audit model it writes)
    from readiness.export.write import write_all

    plan = output_plan(fmt, output, audit)
    rendered = [(path, exporter(name).render(audit, catalogue, Part(part))) for name, path in plan]
    files = [(path, data) for path, data in rendered if path is not None]
    for written in write_all(files):
        _stderr(f"wrote {written}")
    for target, data in rendered:
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()


def _discover(args: argparse.Namespace, config: Config) -> Facts:
    if args.replay is not None:
        # late: 209 ms on `readiness --version` (the audit model)
        from readiness.replay import load_facts

        facts = load_facts(args.replay)  # an error is the only line: no progress line before it
        _stderr(f"replaying recorded facts from {args.replay}")
        return facts
    try:
        # late: discovery and its probe framework add 271 ms to `readiness --version`
        from readiness.discovery import discover_sync
    except ImportError as exc:
        raise UsageError(f"discovery is not available in this build ({exc}); use --replay") from exc

    def progress(event: ProbeProgress) -> None:
        if event.state == "done" and event.report is not None:
            reason = f" ({event.report.reason})" if event.report.reason else ""
            _stderr(f"{event.title}: {event.report.status.value}{reason}")

    _stderr("discovering" + (" (offline)" if args.offline else ""))
    return discover_sync(config, offline=args.offline, declared_services=tuple(config.services),
                         on_progress=progress)


def failing_at(audit: Audit, threshold: str) -> list[str]:
    """Ids of checks whose verdict is fail with a severity at or above ``threshold``."""
    # late: the audit model (pydantic) adds 187 ms to `readiness --version`
    from readiness.model import Severity, Verdict

    floor = Severity(threshold).rank
    return [f.check_id for f in audit.findings if f.verdict is Verdict.FAIL and f.severity.rank >= floor]


# ------------------------------------------------------------------ commands


def _replayed_audit(args: argparse.Namespace) -> Audit | None:
    """The whole saved audit given to --replay, or None (no replay, or bare facts)."""
    if args.replay is None:
        return None
    # late: the audit model and its reader add 209 ms to `readiness --version`
    from readiness.model import Audit
    from readiness.replay import load_replay

    loaded = load_replay(args.replay)
    if not isinstance(loaded, Audit):
        return None
    _stderr(f"replaying recorded facts from {args.replay}, a whole audit judged again with its drills,"
            " notes and waivers")
    return loaded


def _warn_expired_waivers(path: Path, waivers: Mapping[str, Waiver]) -> None:
    """An expired waiver no longer applies (the engine judges the check as it is); say so
    rather than let the owner believe the check is still accepted."""
    today = datetime.now(UTC).date()
    for check_id, waiver in sorted(waivers.items()):
        if waiver.expires < today:
            _stderr(f"{path}: waivers.{check_id}.expires: expired on {waiver.expires.isoformat()}; "
                    "the check is judged as if it were not waived")


def cmd_audit(args: argparse.Namespace) -> int:
    # late: answers, store and their models add 222 ms to `readiness --version`
    from readiness.answers_file import apply_answers, load_answers, reapply_answers
    from readiness.store import new_audit

    # Every input is checked before anything is probed: a typo must not cost a discovery.
    preflight_output(args.format, args.output)
    config = _config(args.config)
    catalogue = plan_catalogue(_catalogue(), config, args.config)
    answers = load_answers(args.answers, catalogue) if args.answers else None
    if answers is not None:
        _warn_expired_waivers(args.answers, answers.waivers)
    history = None
    if args.history is not None:
        # late: the watcher's summary adds 215 ms to `readiness --version`
        from readiness.watch.summary import load_history

        history = load_history(args.history, datetime.now(UTC).timestamp())
    now = datetime.now(UTC)
    recorded = _replayed_audit(args)
    if recorded is not None:
        # A visit recorded earlier, judged again: what was measured on site (drills) and
        # said there (notes, waivers, answers) stays; the file's answers go over it.
        audit = recorded.model_copy(update={"updated_at": now})
        if answers is not None:
            audit = reapply_answers(audit, answers, catalogue, now)
        if args.site:
            audit = audit.model_copy(update={"site": audit.site.model_copy(update={"name": args.site})})
    else:
        facts = _discover(args, config)
        if args.offline and args.replay is None:
            facts = facts.model_copy(update={"offline": True})
        site = args.site or (answers.site.name if answers and answers.site else None) or "Unnamed site"
        # late: the config's models add 222 ms to `readiness --version` (loaded by now)
        from readiness.config import CONFIG_SOURCE, config_answers

        audit = new_audit(
            site,
            technician=args.technician,
            defaults=config_answers(config),
            defaults_from=CONFIG_SOURCE,
        )
        audit = audit.model_copy(update={"facts": facts})
        if answers is not None:
            audit = apply_answers(audit, answers, now)
            if answers.site is not None and args.site:
                audit = audit.model_copy(update={"site": audit.site.model_copy(update={"name": args.site})})
    if history is not None:
        audit = audit.model_copy(update={"history": history})
    if args.technician:
        audit = audit.model_copy(update={"technician": args.technician})
    try:
        # late: the rules engine adds 244 ms to `readiness --version`
        from readiness.judgement.engine import evaluate
    except ImportError as exc:
        raise UsageError(f"the rules engine is not available in this build ({exc})") from exc
    audit = evaluate(audit, catalogue)
    if args.redact:
        # late: redaction adds 197 ms to `readiness --version`
        from readiness.export.redact import redact

        audit = redact(audit, catalogue)
    _emit(args.format, args.output, audit, catalogue, args.part)
    if args.fail_on:
        failing = failing_at(audit, args.fail_on)
        if failing:
            _stderr(f"{len(failing)} check(s) failed at {args.fail_on} or above: {', '.join(failing)}")
            return EXIT_FAIL_ON
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    # late: the audit store and its models add 206 ms to `readiness --version`
    from readiness.store import load_audit

    preflight_output(args.format, args.output)
    audit = load_audit(args.audit)
    if args.redact:
        # late: redaction adds 197 ms to `readiness --version`
        from readiness.export.redact import redact

        audit = redact(audit)
    elif audit.redacted:
        # late: redaction adds 197 ms to `readiness --version`
        from readiness.export.redact import leftover_identifiers

        if leftover_identifiers(audit):  # hand-set: the banner would vouch for clear addresses
            _stderr(f"{args.audit}: redacted: the file says so but it is not redacted (use --redact); "
                    "the report leaves out the 'redacted' banner")
            audit = audit.model_copy(update={"redacted": False})
    needs_catalogue = any(e.needs_catalogue for e in resolve(args.format))
    _emit(args.format, args.output, audit, _catalogue() if needs_catalogue else None, args.part)
    return EXIT_OK


def cmd_checks(args: argparse.Namespace) -> int:
    catalogue = _catalogue()
    if args.format == "json":
        sys.stdout.write(json.dumps(catalogue.model_dump(mode="json"), indent=2) + "\n")
        return EXIT_OK
    lines = []
    for cat in catalogue.categories:
        checks = [c for c in catalogue.checks if c.category == cat.id]
        if not checks:
            continue
        lines.append(f"{cat.title}")
        for c in checks:
            cap = f" (caps the score at {c.cap:g})" if c.cap is not None else ""
            lines.append(f"  {c.id}  {c.severity.value:<8}  {c.title}{cap}")
        lines.append("")
    lines.append("Interview questions (answers file keys):")
    for q in catalogue.questions:
        kind = q.type.value
        if q.choices:
            kind += ": " + ", ".join(ch.value for ch in q.choices)
        lines.append(f"  {q.id}  [{kind}]  {q.text}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    # late: the diff and the audit store add 191 ms to `readiness --version`
    from readiness.export.diff import diff_audits, diff_json, diff_text
    from readiness.store import load_audit

    old = load_audit(args.old)
    new = load_audit(args.new)
    result = diff_audits(old, new, force=args.force, source=str(args.new))
    sys.stdout.write(diff_json(result) if args.format == "json" else diff_text(result))
    return EXIT_OK


def cmd_drill(args: argparse.Namespace) -> int:
    if getattr(args, "tui_replay", None) is not None:
        # Recorded facts describe another office's line: a drill here would cut and measure
        # this machine's own network and file the result as if it were theirs.
        raise UsageError("--replay: a drill measures the live line, so it cannot run on recorded facts")
    # late: the drill adds 417 ms to `readiness --version`
    from readiness.drill import cli as drill_cli

    return drill_cli.run(args)


def cmd_watch(args: argparse.Namespace) -> int:
    reads_only = args.summary or args.print_unit or args.install_unit
    if getattr(args, "tui_replay", None) is not None and not reads_only:
        # Like the drill: the watcher measures the line this computer is on, not a recorded one.
        raise UsageError("--replay: the watcher measures the live line, so it cannot run on recorded facts")
    # late: the watcher's command and its database (sqlite3) add 28 ms to `readiness --version`
    from readiness.watch import cli as watch_cli

    return watch_cli.run(args)


def cmd_tui(args: argparse.Namespace, *, audit_path: Path | None, prefix: str) -> int:
    config = _config(getattr(args, f"{prefix}config"))
    if audit_path is not None:
        # Checked before the TUI starts: a refused file is one line and exit 2, left as it
        # is unless it cannot be parsed at all (then moved aside, and the line says where).
        # late: the audit store and its models add 206 ms to `readiness --version`
        from readiness.store import load_or_keep_aside

        load_or_keep_aside(audit_path)
    # Start-up (Textual's modules, the catalogue, the first screen) makes objects that
    # live as long as the app: a full collection among them is ~20 ms spent for nothing
    # before the first frame. The app turns the collector back on once that frame is
    # out (readiness/tui/heap.py); this turns it on in any case when the app is done.
    gc.disable()
    try:
        try:
            # late: Textual and the TUI add 508 ms to `readiness --version`, and
            # a headless command must not load Textual at all
            from readiness.tui.app import run_tui
        except ImportError as exc:
            raise UsageError(f"the interactive walkthrough is not available in this build ({exc})") from exc

        return run_tui(
            audit_path=audit_path,
            replay=getattr(args, f"{prefix}replay"),
            config=config,
            offline=getattr(args, f"{prefix}offline"),
            site=getattr(args, f"{prefix}site"),
        )
    finally:
        gc.enable()


def _wants_drill(argv: Sequence[str]) -> bool:
    """True when `drill` is on the command line at all: only then is the drill's own parser
    imported. Looking for the command word itself would have to know which global options
    take a value, and their abbreviations (`--config FILE drill`, `--rep F drill`); a value
    that happens to be "drill" (a site so named) only loads that parser for nothing."""
    return "drill" in argv


def _merge_global_options(args: argparse.Namespace) -> None:
    """`readiness --replay F audit` means the same as `readiness audit --replay F`."""
    for name in ("replay", "config", "offline", "site"):
        if hasattr(args, name) and not getattr(args, name):
            setattr(args, name, getattr(args, f"tui_{name}"))


TEXT_OPTIONS = ("site", "technician", "tui_site")


def _check_text_options(args: argparse.Namespace) -> None:
    """A name typed on a terminal set to another encoding (Latin-1) reaches Python as
    undecodable bytes (surrogate escapes) that no report can encode: refuse it here."""
    for name in TEXT_OPTIONS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                option = "--" + name.removeprefix("tui_")
                raise UsageError(
                    f"{option}: not valid UTF-8 text (is the terminal set to another encoding?)"
                ) from exc


def _dispatch(args: argparse.Namespace) -> int:
    _merge_global_options(args)
    _check_text_options(args)
    command = args.command
    if command is None:
        return cmd_tui(args, audit_path=None, prefix="tui_")
    if command == "open":
        return cmd_tui(args, audit_path=args.audit, prefix="")
    handlers = {"audit": cmd_audit, "report": cmd_report, "checks": cmd_checks, "diff": cmd_diff,
                "drill": cmd_drill, "watch": cmd_watch}
    return handlers[command](args)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `readiness` script and `python -m readiness`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        with_drill = _wants_drill(argv)
        args = build_parser(with_drill=with_drill).parse_args(argv)
        if args.command == "drill" and not with_drill:  # `drill` came after global options
            args = build_parser(with_drill=True).parse_args(argv)
        return _dispatch(args)
    except KeyboardInterrupt:
        _stderr("interrupted")
        return EXIT_INTERRUPTED
    except Terminated as exc:  # SIGTERM/SIGHUP while writing: staged files are gone
        _stderr("terminated; nothing was written")
        return 128 + exc.signum
    except InputError as exc:
        _stderr(exc.one_line())
        return EXIT_USAGE
    except ReadinessError as exc:
        _stderr(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:  # `readiness report ... | head`: the reader left, nothing to say
        return EXIT_OK
