"""Entry point for `python -m dynemodb.ledger`."""

import sys

from .cli import main

sys.exit(main())
