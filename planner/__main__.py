"""``python -m planner`` runs the modernise command line."""

import sys

from planner.cli import main

sys.exit(main())
