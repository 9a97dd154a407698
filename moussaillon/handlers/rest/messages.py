"""Texts of the core services and of the REST API."""

MESSAGES: dict[str, dict[str, str]] = {
    "api.unauthorized": {
        "fr": "Clé d'API manquante ou invalide. Demandez-en une au bot avec /token.",
        "en": "Missing or invalid API key. Ask the bot for one with /token.",
    },
    "api.invalid": {
        "fr": "Requête invalide ({where}) : {detail}",
        "en": "Invalid request ({where}): {detail}",
    },
}
