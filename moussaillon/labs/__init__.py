"""Hands-on labs (TP): lab files, the declarative check language and the progress service."""
