"""``python -m desktop.sandbox``: the same as ``badgedesk sandbox`` (which the app uses), for developers."""

import sys

from desktop.sandbox.cli import main

sys.exit(main(sys.argv[1:]))
