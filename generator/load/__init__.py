"""Stage 1, load: the only stage that reads the edition from disk (see edition.load_edition)."""
