"""Errors the harness expects and reports as one clear line, never as a traceback."""

import sys
from collections.abc import Callable


class HarnessError(Exception):
    """An expected failure: bad input, a missing tool, a failed terraform command. The message says what to do."""


def run_command(action: Callable[[], int]) -> int:
    """Run a command-line action: an expected failure is one line on stderr and exit 2, Ctrl-C exit 130."""
    try:
        return action()
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
