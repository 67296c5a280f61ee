"""threadline: publish an investigation (sources, annotations, events) as a static website."""

__version__ = "0.1.0"

from pathlib import Path

# The package's own folder: the schemas and the code the build stamps are found from it.
PACKAGE = Path(__file__).resolve().parent
