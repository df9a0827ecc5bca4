"""``python -m desktop.sandbox``: run the bundled community server."""

import sys

from desktop.sandbox.cli import main

sys.exit(main())
