"""Stage 2, match: finding mentions of entities in text, and anchoring sidecar quotes."""
