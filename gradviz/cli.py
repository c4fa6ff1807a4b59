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
from pathlib import Path

from gradviz import __version__
from gradviz.script import Limits, Run, run_script


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradviz",
        description="See how gradients flow: run PyTorch-style scripts and step through backprop.",
    )
    parser.add_argument("--version", action="version", version=f"gradviz {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    app = commands.add_parser("open", help="open the desktop app (the default)",
                              description="Open the gradviz window on SCRIPT, or on the last "
                                          "script (the tutorial the first time). `gradviz` "
                                          "alone and `gradviz SCRIPT.py` do the same.")
    app.add_argument("script", nargs="?", type=Path, help="a .py file to open")

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

    export = commands.add_parser("export", help="draw a script's graph to PNG, SVG, PDF or JSON",
                                 description="Run SCRIPT and draw its graph, headless, with the "
                                             "app's own drawing code. -o writes one picture "
                                             "(.png, .svg, .pdf) or the laid-out graph (.json) "
                                             "at --step; --deck writes one page before the "
                                             "backward pass and one after each step (.pdf: one "
                                             "multi-page PDF; .png: numbered frames OUT-000.png"
                                             "...; .gif: an animation, needs Pillow). Files are "
                                             "written atomically; a script error writes "
                                             "nothing and exits 1.")
    _add_script_arguments(export)
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", metavar="OUT", help="OUT.png, OUT.svg, OUT.pdf or "
                                                              "OUT.json")
    target.add_argument("--deck", metavar="OUT", help="OUT.pdf, OUT.png (frames) or OUT.gif")
    export.add_argument("--step", type=_step, default="end", metavar="start|end|N",
                        help="the step shown: start (before backward), end (default) or N, "
                             "the state after N steps")
    export.add_argument("--theme", choices=("light", "dark", "print"), default="light")
    export.add_argument("--direction", choices=("TB", "LR", "auto"), default="TB",
                        help="top-to-bottom (default), left-to-right, or auto: whichever "
                             "draws the graph larger on the page (with --aspect, its shape)")
    export.add_argument("--scale", type=float, default=1.0, metavar="S",
                        help="pixels per unit for PNG and GIF (2 for high-DPI slides)")
    export.add_argument("--font-scale", type=float, default=1.0, metavar="F",
                        help="larger type for the back of the room, e.g. 1.5")
    export.add_argument("--transparent", action="store_true",
                        help="no background (PNG, SVG, PDF)")
    export.add_argument("--aspect", type=_aspect, metavar="W:H",
                        help="widen or heighten the picture around the graph to this shape, "
                             "e.g. 16:9 to fill a slide (decks: every page)")
    return parser


def _step(text: str) -> str | int:
    if text in ("start", "end"):
        return text
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected start, end or a step number, not {text!r}"
                                         ) from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"a step number is 0 or more, not {number}")
    return number


def _aspect(text: str) -> float:
    """`16:9`, `4:3` or a plain ratio such as `1.78`, as width / height."""
    try:
        width, _, height = text.partition(":")
        value = float(width) / float(height) if height else float(width)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"expected W:H such as 16:9, not {text!r}") from None
    if not 0.1 <= value <= 10:
        raise argparse.ArgumentTypeError(f"an aspect between 1:10 and 10:1, not {text!r}")
    return value


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
    # imported here: it loads numpy, and `gradviz` alone opens the window before numpy loads
    from gradviz.script.step_records import step_line, step_record

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


def command_export(args: argparse.Namespace) -> int:
    # Qt is imported only here, so `run` and `steps` start fast and need no display libraries.
    from gradviz.canvas.style import Style
    from gradviz.export.base import ExportOptions
    from gradviz.export.headless import export_run, exporter_for

    path = args.deck or args.output
    try:
        exporter_for(path, deck=args.deck is not None)
        options = ExportOptions(scale=args.scale, transparent=args.transparent,
                                aspect=args.aspect)
        Style.named(args.theme, args.font_scale)
    except ValueError as error:
        print(f"gradviz: {error}", file=sys.stderr)
        return 2
    run = _run_script(args)
    if run is None:
        return 2
    status = _report(run)
    if status:
        return status
    count = len(run.steps)
    step = {"start": 0, "end": count}.get(args.step, args.step)
    if step > count:
        print(f"gradviz: --step {step} is past the last step; the script has {count} "
              f"step{'s' if count != 1 else ''}", file=sys.stderr)
        return 2
    try:
        notes = export_run(run, path, deck=args.deck is not None, step=step, theme=args.theme,
                           direction=args.direction, options=options,
                           font_scale=args.font_scale)
    except (OSError, RuntimeError) as error:
        print(f"gradviz: cannot write {path}: {error}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"gradviz: note: {path}: {note}", file=sys.stderr)
    return 0


def command_open(args: argparse.Namespace) -> int:
    """The desktop app; Qt is imported only now, so the other commands start fast."""
    from gradviz.app.launch import launch

    return launch(args.script)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "open": command_open,
    "run": command_run,
    "steps": command_steps,
    "export": command_export,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        argv = ["open", *argv]
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # `gradviz steps x.py | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
