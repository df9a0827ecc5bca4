"""The bundle's entry point: the same ``ui.app:main`` as the ``badgedesk`` command of a pip install."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
