"""What every area builds on: the SQLite store, users, tokens, the clock, errors, i18n.

Nothing here imports an area; areas register their schemas and texts from the app factory
(``moussaillon.areas``).
"""
