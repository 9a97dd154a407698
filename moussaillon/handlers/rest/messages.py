"""Texts of the REST API: authentication, validation and the transport's own guards."""

MESSAGES: dict[str, dict[str, str]] = {
    "api.unauthorized": {
        "fr": "Clé d'API manquante ou invalide. Demandez-en une au bot avec /token.",
        "en": "Missing or invalid API key. Ask the bot for one with /token.",
    },
    "api.invalid": {
        "fr": "Requête invalide ({where}) : {detail}",
        "en": "Invalid request ({where}): {detail}",
    },
    "api.too_large": {
        "fr": "Corps de requête trop volumineux : {limit_kb} Ko au plus.",
        "en": "Request body too large: {limit_kb} KB at most.",
    },
    "api.metrics_unauthorized": {
        "fr": "Jeton manquant ou invalide pour /metrics (en-tête Authorization: Bearer).",
        "en": "Missing or invalid token for /metrics (Authorization: Bearer header).",
    },
}
