"""`python -m gradviz [SCRIPT]` opens the app (and `python -m gradviz run …` the command line)."""

import sys

from gradviz.cli import main

sys.exit(main())
