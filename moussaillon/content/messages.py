"""What students and instructors read about the course content, in French and English.

Problems reported by ``moussaillon course check`` stay in English: they are for the instructor's
terminal, next to file names and line numbers.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "content.section_not_found": {
        "fr": "Je ne trouve pas la section « {id} » dans le cours.",
        "en": "There is no section “{id}” in the course.",
    },
    "content.chapter_not_found": {
        "fr": "Je ne trouve pas le chapitre « {id} » dans le cours.",
        "en": "There is no chapter “{id}” in the course.",
    },
    "content.search_empty": {
        "fr": "Posez-moi une question avec au moins un mot-clé, par exemple : "
        "« comment supprimer un conteneur ? »",
        "en": "Ask me a question with at least one keyword, for example: "
        "“how do I remove a container?”",
    },
    "content.search_in_french": {
        "fr": "Le cours est en français : voici les sections qui répondent à votre question.",
        "en": "The course is in French: here are the sections that answer your question.",
    },
    "content.course_missing": {
        "fr": "Le cours est introuvable : {path}",
        "en": "The course cannot be found: {path}",
    },
    "content.course_empty": {
        "fr": "Le cours {path} ne contient aucune section (titres « # Chapitre # » "
        "et « ## Section ## » attendus).",
        "en": "The course {path} holds no section (expected “# Chapter #” "
        "and “## Section ##” headings).",
    },
}
