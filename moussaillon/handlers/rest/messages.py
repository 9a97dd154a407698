"""Texts of the REST transport's own guards (the body cap); see ``i18n.MESSAGE_MODULES``."""

MESSAGES: dict[str, dict[str, str]] = {
    "api.too_large": {
        "fr": "Corps de requête trop volumineux : {limit_kb} Ko au plus.",
        "en": "Request body too large: {limit_kb} KB at most.",
    },
}
