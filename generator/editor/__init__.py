"""What an editor runs on an edition between builds: gloss rename, and the warnings that keep an edition from silent damage."""
