"""Builds: the Dockerfile and its context, checked and prepared before the engine sees them."""
