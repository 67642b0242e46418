import sys

from dynemodb.harness.integration.cli import main

sys.exit(main())
