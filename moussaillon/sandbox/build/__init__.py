"""``docker build``'s pure half: the Dockerfile checked, the ``.dockerignore`` applied, the
context packed. Nothing here talks to an engine; the executor (``executor/build.py``) does."""
