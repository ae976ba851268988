"""``python -m claimcheck``: the command line of `claimcheck.cli`."""

import sys

from .cli import main

__all__: list[str] = []  # a script: its only use is to be run

if __name__ == "__main__":
    sys.exit(main())
