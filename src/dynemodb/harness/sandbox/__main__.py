import sys

from dynemodb.harness.sandbox.cli import main

sys.exit(main())
