"""Errors the harness expects and reports as one clear line, never as a traceback."""


class HarnessError(Exception):
    """An expected failure: bad input, a missing tool, a failed terraform command. The message says what to do."""
