"""`python -m streams.cli`: the `sitrep` command without the console script (tests, bench, demo)."""

import sys

from streams.cli.main import main

sys.exit(main())
