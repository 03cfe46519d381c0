"""``python -m iotsurvey check | keys <chapter> [prefix] | export <folder>``: see iotsurvey/cli/."""

from __future__ import annotations

import sys

COMMANDS = ("check", "keys", "export")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    from importlib import import_module

    return import_module(f"iotsurvey.cli.{argv[0]}").main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
