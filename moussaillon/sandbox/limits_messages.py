"""Messages of the sandbox's limits (rate limit, fair queue); registered in ``moussaillon.areas``."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.rate_limited": {
        "fr": (
            "Doucement, moussaillon : trop de commandes d'affilée. Réessayez dans {retry_after} s."
        ),
        "en": "Easy there, sailor: too many commands in a row. Try again in {retry_after} s.",
    },
    "sandbox.queue.closing": {
        "fr": "Le bac à sable s'arrête pour redémarrer : réessayez dans un instant.",
        "en": "The sandbox is shutting down to restart: try again in a moment.",
    },
    "sandbox.subnets.exhausted": {
        "fr": (
            "Plus de place pour un nouveau réseau sur ce serveur : toutes les adresses réservées"
            " au bac à sable sont prises. Réessayez dans quelques minutes (les bacs à sable"
            " inactifs sont libérés) ; si cela dure, prévenez votre formateur."
        ),
        "en": (
            "No room for a new network on this server: every address set aside for the sandbox"
            " is taken. Try again in a few minutes (idle sandboxes are cleared); if it lasts,"
            " tell your instructor."
        ),
    },
    "sandbox.isolation.unavailable": {
        "fr": (
            "bac à sable désactivé : les réseaux des étudiants ne peuvent pas être isolés de"
            " l'hôte ({reason})"
        ),
        "en": "sandbox disabled: students' networks cannot be isolated from the host ({reason})",
    },
}
