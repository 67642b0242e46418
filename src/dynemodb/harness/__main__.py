import sys

from dynemodb.harness.cli import main

sys.exit(main())
