"""``python -m imgbalance``: the same as the ``imgbalance`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
