"""Messages of the sandbox's limits (rate limit, fair queue); registered in ``moussaillon.areas``."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.rate_limited": {
        "fr": (
            "Doucement, moussaillon : trop de commandes d'affilée. Réessaie dans {retry_after} s."
        ),
        "en": "Easy there, sailor: too many commands in a row. Try again in {retry_after} s.",
    },
    "sandbox.queue.closing": {
        "fr": "Le bac à sable s'arrête pour redémarrer : réessaie dans un instant.",
        "en": "The sandbox is shutting down to restart: try again in a moment.",
    },
}
