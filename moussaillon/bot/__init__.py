"""The Telegram bot runtime: the PTB application, its request backend and lifecycle.

Handlers live in ``moussaillon.handlers.telegram``; this package wires them to PTB.
"""
