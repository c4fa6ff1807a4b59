"""The `gradviz` command line: the app's script runner, headless.

Each subcommand is one `add_parser` call and one handler in `COMMANDS`; add `export` the same
way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace

from gradviz import __version__
from gradviz.script import Limits, Run, run_script
from gradviz.script.step_records import step_line, step_record


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradviz",
        description="See how gradients flow: run PyTorch-style scripts and step through backprop.",
    )
    parser.add_argument("--version", action="version", version=f"gradviz {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="run a script and print what it prints",
                              description="Run SCRIPT as gradviz runs it and print its output "
                                          "exactly as PyTorch would. On error, print "
                                          "SCRIPT:LINE:COL: message to stderr and exit 1.")
    _add_script_arguments(run)

    steps = commands.add_parser("steps", help="list the backward steps of a script",
                                description="Run SCRIPT and list every step of every backward "
                                            "pass. With --json, one JSON object per line: step "
                                            "(1-based in the run), backward (1-based pass), "
                                            "index (0-based edge in its pass), op, output, "
                                            "input, upstream, local_formula, local, "
                                            "contribution, grad_before, grad_after, "
                                            "total_after.")
    _add_script_arguments(steps)
    steps.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def _add_script_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", metavar="SCRIPT", help="a PyTorch-style Python file")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help="wall-clock budget of the script (default 10)")


def _run_script(args: argparse.Namespace) -> Run | None:
    """Read and run the script; None (with a message on stderr) if it cannot be read."""
    try:
        with open(args.script, encoding="utf-8") as file:
            source = file.read()
    except (OSError, UnicodeDecodeError) as error:
        print(f"gradviz: cannot read {args.script}: {error}", file=sys.stderr)
        return None
    limits = Limits()
    if args.time_limit is not None:
        limits = replace(limits, time_seconds=args.time_limit)
    return run_script(source, args.script, limits)


def _report(run: Run) -> int:
    """Warnings and the error on stderr; the exit status."""
    for warning in run.warnings:
        print(warning, file=sys.stderr)
    if run.error is not None:
        print(run.error, file=sys.stderr)
        return 1
    return 0


def command_run(args: argparse.Namespace) -> int:
    run = _run_script(args)
    if run is None:
        return 2
    sys.stdout.write(run.output)
    sys.stdout.flush()
    return _report(run)


def command_steps(args: argparse.Namespace) -> int:
    run = _run_script(args)
    if run is None:
        return 2
    for position, step in enumerate(run.steps, start=1):
        record = step_record(step, position, run.backward_of(position))
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(step_line(record))
    sys.stdout.flush()
    return _report(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": command_run,
    "steps": command_steps,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
