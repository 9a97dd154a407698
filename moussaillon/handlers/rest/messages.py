"""Texts of the REST transport's own guards (body cap, metrics token); see ``i18n.MESSAGE_MODULES``."""

MESSAGES: dict[str, dict[str, str]] = {
    "api.too_large": {
        "fr": "Corps de requête trop volumineux : {limit_kb} Ko au plus.",
        "en": "Request body too large: {limit_kb} KB at most.",
    },
    "api.metrics_unauthorized": {
        "fr": "Jeton manquant ou invalide pour /metrics (en-tête Authorization: Bearer).",
        "en": "Missing or invalid token for /metrics (Authorization: Bearer header).",
    },
}
