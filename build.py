#!/usr/bin/env python3
"""Build the investigation in this folder into public/. Run `python build.py --help`."""

from threadline.cli import end, main

if __name__ == "__main__":
    end(main(ending=True))
