import sys

from dynemodb.harness.policy.cli import main

sys.exit(main())
