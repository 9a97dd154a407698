"""The student's own terminal: a TLS endpoint speaking the Docker Engine API to the real CLI.

Nothing else in the app imports this package; ``moussaillon serve`` starts it only when
``MOUSSAILLON_TERMINAL_PORT`` is set. Every request it accepts goes through the sandbox's
public surface (``SandboxService.engine_api``), so the policy, scope, limits and journal are
the chat's own.
"""
