import sys

from dynemodb.harness.cli import main

sys.exit(main(prog="python -m dynemodb.harness"))
