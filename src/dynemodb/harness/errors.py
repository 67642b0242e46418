"""Errors the harness expects and reports as one clear line, never as a traceback."""

import logging
import sys
from collections.abc import Callable


class HarnessError(Exception):
    """An expected failure: bad input, a missing tool, a failed terraform command. The message says what to do."""


def run_command(action: Callable[[], int]) -> int:
    """Run a command-line action whose children only read (plans, lint, the policy gate): an expected
    failure is one line on stderr and exit 2; Ctrl-C kills the children and exits 130 at once."""
    from dynemodb.harness.interrupts import ANNOUNCED, stop_at_once

    # tftest logs each failed command's whole output at CRITICAL; runner.py already puts what matters into
    # the HarnessError, so on a terminal that log is only noise (170 lines for a broken provider mirror).
    logging.getLogger("tftest").disabled = True
    try:
        with stop_at_once():
            return action()
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if not ANNOUNCED.is_set():
            print("interrupted", file=sys.stderr)
        return 130
