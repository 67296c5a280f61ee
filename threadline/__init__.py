"""threadline: publish an investigation (sources, annotations, events) as a static website."""

__version__ = "0.1.0"
