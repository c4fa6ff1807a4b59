"""The `gradviz` command line."""

from __future__ import annotations

import argparse
import sys

from gradviz import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradviz",
        description="See how gradients flow: run PyTorch-style scripts and step through backprop.",
    )
    parser.add_argument("--version", action="version", version=f"gradviz {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
