"""Gloss: a static site generator for annotated reading editions."""

__version__ = "0.1.0"
