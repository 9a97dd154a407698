"""What the quiz says to students, French first."""

MESSAGES: dict[str, dict[str, str]] = {
    "quiz.unknown_chapter": {
        "fr": "Je ne connais pas de quiz pour le chapitre « {chapter} ».",
        "en": "There is no quiz for the chapter “{chapter}”.",
    },
    "quiz.unknown_question": {
        "fr": "La question « {question_id} » n'existe pas (ou plus).",
        "en": "The question “{question_id}” does not exist (any more).",
    },
    "quiz.bank_invalid": {
        "fr": "La banque de questions est invalide ({file}) : {detail}",
        "en": "The question bank is invalid ({file}): {detail}",
    },
    "quiz.no_questions": {
        "fr": "Aucune question disponible pour l'instant.",
        "en": "No question available right now.",
    },
    "quiz.no_mistakes": {
        "fr": "Rien à réviser : vous n'avez aucune erreur en attente. Bravo !",
        "en": "Nothing to review: you have no pending mistakes. Well done!",
    },
    "quiz.start": {
        "fr": "Quiz « {chapter} » : {count} questions. C'est parti !",
        "en": "Quiz “{chapter}”: {count} questions. Let's go!",
    },
    "quiz.revision_start": {
        "fr": "Révision : {count} questions parmi vos erreurs.",
        "en": "Review: {count} questions from your mistakes.",
    },
    "quiz.question_header": {
        "fr": "Question {index}/{count}",
        "en": "Question {index}/{count}",
    },
    "quiz.correct": {
        "fr": "✅ Bonne réponse !",
        "en": "✅ Correct!",
    },
    "quiz.wrong": {
        "fr": "❌ Raté. La bonne réponse était : {answer}",
        "en": "❌ Wrong. The right answer was: {answer}",
    },
    "quiz.finished": {
        "fr": "Quiz terminé : {score}/{count} bonnes réponses.",
        "en": "Quiz over: {score}/{count} correct answers.",
    },
    "quiz.mistakes_pending": {
        "fr": "{count} question(s) à revoir : tapez /revision quand vous voulez.",
        "en": "{count} question(s) to review: send /revision whenever you like.",
    },
    "quiz.already_answered": {
        "fr": "Vous avez déjà répondu : seule la première réponse compte.",
        "en": "You already answered: only the first answer counts.",
    },
    "quiz.too_late": {
        "fr": "Trop tard : la question est close.",
        "en": "Too late: the question is closed.",
    },
    "quiz.live.lobby": {
        "fr": "Quiz en direct « {chapter} » : rejoignez la partie !",
        "en": "Live quiz “{chapter}”: join the game!",
    },
    "quiz.live.joined": {
        "fr": "{name} rejoint la partie.",
        "en": "{name} joined the game.",
    },
    "quiz.live.resumed": {
        "fr": "La partie reprend à la question {index}/{count}.",
        "en": "The game resumes at question {index}/{count}.",
    },
    "quiz.live.points": {
        "fr": "+{points} points",
        "en": "+{points} points",
    },
    "quiz.live.streak_bonus": {
        "fr": "+{bonus} de bonus de série ({streak} d'affilée)",
        "en": "+{bonus} streak bonus ({streak} in a row)",
    },
    "quiz.live.leaderboard_title": {
        "fr": "🏆 Classement",
        "en": "🏆 Leaderboard",
    },
    "quiz.live.leaderboard_line": {
        "fr": "{rank}. {name} — {points} pts",
        "en": "{rank}. {name} — {points} pts",
    },
    "quiz.live.rank_up": {
        "fr": "▲ {delta}",
        "en": "▲ {delta}",
    },
    "quiz.live.rank_down": {
        "fr": "▼ {delta}",
        "en": "▼ {delta}",
    },
    "quiz.live.finished": {
        "fr": "Partie terminée ! Bravo à {winners}.",
        "en": "Game over! Congratulations to {winners}.",
    },
    "quiz.live.not_host": {
        "fr": "Seul l'animateur de la partie peut faire cela.",
        "en": "Only the game host can do that.",
    },
    "quiz.live.already_running": {
        "fr": "Une partie est déjà en cours dans cette discussion.",
        "en": "A game is already running in this chat.",
    },
}
