#!/usr/bin/env python3
"""Build the investigation in this folder into public/. Run `python build.py --help`."""

import sys

from threadline.cli import main

if __name__ == "__main__":
    sys.exit(main(ending=True))
