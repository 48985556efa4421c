"""``python -m helpers COMMAND``: the workbook's command-line tools.

Commands
--------
report
    The stratified equity report for a team's own file, or a database table or query counted
    in the database (:mod:`helpers.report`).
"""

from __future__ import annotations

import sys

_USAGE = """usage: python -m helpers COMMAND [options]

commands:
  report   write the stratified equity report for your own file or database table
           (python -m helpers report --help)
"""


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a command; return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:  # a usage error: the usage goes to stderr, as argparse does
        print(_USAGE, file=sys.stderr)
        return 2
    if args[0] in ("-h", "--help"):
        print(_USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command == "report":
        from helpers.report import main as report_main

        return report_main(rest)
    print(f"unknown command {command!r}\n\n{_USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
