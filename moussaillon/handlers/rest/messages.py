"""Texts of the REST API: authentication, validation and the transport's own guards."""

MESSAGES: dict[str, dict[str, str]] = {
    "api.unauthorized": {
        "fr": "Clé d'API manquante ou invalide. Envoyez-la dans l'en-tête « Authorization: Bearer CLÉ ». Pour en obtenir une : /token dans Telegram, auprès du bot ; sans Telegram, la personne qui gère le serveur la crée avec « moussaillon token create --user VOTRE_ID ». L'API REST ne crée pas de clé.",
        "en": "Missing or invalid API key. Send it in the header 'Authorization: Bearer KEY'. To get one: /token in Telegram, to the bot; without Telegram, whoever runs the server creates it with 'moussaillon token create --user YOUR_ID'. The REST API does not create keys.",
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
