"""Messages of the sandbox's limits (rate limit); listed in ``i18n.MESSAGE_MODULES``."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.rate_limited": {
        "fr": (
            "Doucement, moussaillon : trop de commandes d'affilée. Réessaie dans {retry_after} s."
        ),
        "en": "Easy there, sailor: too many commands in a row. Try again in {retry_after} s.",
    },
}
