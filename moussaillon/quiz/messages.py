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
    "quiz.start_one": {
        "fr": "Quiz « {chapter} » : {count} question. C'est parti !",
        "en": "Quiz “{chapter}”: {count} question. Let's go!",
    },
    "quiz.start_other": {
        "fr": "Quiz « {chapter} » : {count} questions. C'est parti !",
        "en": "Quiz “{chapter}”: {count} questions. Let's go!",
    },
    "quiz.revision_start_one": {
        "fr": "Révision : {count} question parmi vos erreurs.",
        "en": "Review: {count} question from your mistakes.",
    },
    "quiz.revision_start_other": {
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
    "quiz.finished_one": {
        "fr": "Quiz terminé : {score} bonne réponse sur {count}.",
        "en": "Quiz over: {score} correct answer out of {count}.",
    },
    "quiz.finished_other": {
        "fr": "Quiz terminé : {score} bonnes réponses sur {count}.",
        "en": "Quiz over: {score} correct answers out of {count}.",
    },
    "quiz.mistakes_pending_one": {
        "fr": "{count} question à revoir : tapez /revision quand vous voulez.",
        "en": "{count} question to review: send /revision whenever you like.",
    },
    "quiz.mistakes_pending_other": {
        "fr": "{count} questions à revoir : tapez /revision quand vous voulez.",
        "en": "{count} questions to review: send /revision whenever you like.",
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
    "quiz.bad_choice": {
        "fr": "Choix invalide : donnez le numéro d'une option, de 0 à {count} exclu.",
        "en": "Invalid choice: give an option number from 0 to {count} (excluded).",
    },
    "quiz.cmd_quiz": {
        "fr": "S'entraîner : un quiz sur un chapitre",
        "en": "Practise: a quiz on one chapter",
    },
    "quiz.cmd_revision": {
        "fr": "Réviser ses erreurs",
        "en": "Review your mistakes",
    },
    "quiz.cmd_quiz_live": {
        "fr": "Formateurs : lancer un quiz en direct",
        "en": "Instructors: start a live quiz",
    },
    "quiz.cmd_quiz_stop": {
        "fr": "Formateurs : arrêter le quiz en direct",
        "en": "Instructors: stop the live quiz",
    },
    "quiz.cmd_quiz_resultats": {
        "fr": "Résultats du dernier quiz du groupe",
        "en": "Results of the group's last quiz",
    },
    "quiz.choose_chapter": {
        "fr": "Sur quel chapitre voulez-vous vous entraîner ?",
        "en": "Which chapter do you want to practise?",
    },
    "quiz.mix": {
        "fr": "🎲 Mélange",
        "en": "🎲 Mix",
    },
    "quiz.mix_name": {
        "fr": "mélange",
        "en": "mix",
    },
    "quiz.private_only": {
        "fr": "Le quiz d'entraînement se joue en message privé : écrivez-moi /quiz directement.",
        "en": "Practice quizzes happen in a private chat: send me /quiz directly.",
    },
    "quiz.timeout": {
        "fr": "⏱ Temps écoulé. La bonne réponse était : {answer}",
        "en": "⏱ Time is up. The right answer was: {answer}",
    },
    "quiz.explanation": {
        "fr": "💡 {explanation}",
        "en": "💡 {explanation}",
    },
    "quiz.open_section": {
        "fr": "📖 Revoir la section",
        "en": "📖 Read the section again",
    },
    "quiz.live.usage": {
        "fr": "Usage : /quiz_live <chapitre|mix> [questions] [secondes]\nChapitres : {chapters}",
        "en": "Usage: /quiz_live <chapter|mix> [questions] [seconds]\nChapters: {chapters}",
    },
    "quiz.live.instructors_only": {
        "fr": "Désolé, seuls les formateurs peuvent lancer ou arrêter un quiz en direct.",
        "en": "Sorry, only instructors can start or stop a live quiz.",
    },
    "quiz.live.group_only": {
        "fr": "Le quiz en direct se lance dans un groupe, pas en privé.",
        "en": "Live quizzes are started in a group, not in a private chat.",
    },
    "quiz.live.starting": {
        "fr": "🎯 Quiz en direct « {chapter} » : {count} questions, {seconds} s chacune. "
        "Répondez aux sondages : plus vous êtes rapide, plus vous marquez !\n"
        "Écran de la classe : {url}",
        "en": "🎯 Live quiz “{chapter}”: {count} questions, {seconds} s each. "
        "Answer the polls: the faster, the more points!\nClassroom screen: {url}",
    },
    "quiz.live.reveal_rule": {
        "fr": "⏩ Dès la 2e question, la réponse s'affiche dès que tous ceux qui ont déjà joué "
        "ont répondu, sans attendre la fin du temps.",
        "en": "⏩ From question 2 on, the answer shows as soon as everyone who has played has "
        "answered, without waiting for the time to run out.",
    },
    "quiz.live.reveal_rule_class": {
        "fr": "⏩ La réponse s'affiche dès que tout le monde a répondu, sans attendre la fin du "
        "temps : à la 1re question, les élèves de la classe ({count}) ; ensuite, tous ceux qui "
        "ont déjà joué.",
        "en": "⏩ The answer shows as soon as everyone has answered, without waiting for the time "
        "to run out: for question 1, the class's students ({count}); then everyone who has "
        "played.",
    },
    "quiz.live.answer": {
        "fr": "✅ Réponse : {answer}",
        "en": "✅ Answer: {answer}",
    },
    "quiz.live.answered": {
        "fr": "Réponses : {answered} sur {players} · justes : {right}",
        "en": "Answers: {answered} of {players} · right: {right}",
    },
    "quiz.live.rank_new": {
        "fr": "🆕",
        "en": "🆕",
    },
    "quiz.live.others_title": {
        "fr": "Les autres :",
        "en": "Everyone else:",
    },
    "quiz.live.others_line": {
        "fr": "{name} {rank}",
        "en": "{name} {rank}",
    },
    "quiz.live.more": {
        "fr": "… et {count} de plus.",
        "en": "… and {count} more.",
    },
    "quiz.live.podium_title": {
        "fr": "🏁 Podium",
        "en": "🏁 Podium",
    },
    "quiz.live.no_players": {
        "fr": "Partie terminée : personne n'a répondu.",
        "en": "Game over: nobody answered.",
    },
    "quiz.live.stopped": {
        "fr": "⏹ Partie arrêtée par l'animateur.",
        "en": "⏹ The host stopped the game.",
    },
    "quiz.live.nothing_running": {
        "fr": "Aucun quiz en direct en cours ici.",
        "en": "No live quiz is running here.",
    },
    "quiz.live.no_results": {
        "fr": "Aucun résultat de quiz en direct dans ce groupe pour l'instant.",
        "en": "No live quiz results in this group yet.",
    },
    "quiz.live.results_title": {
        "fr": "Dernier quiz « {chapter} » ({asked}/{count} questions) :",
        "en": "Last quiz “{chapter}” ({asked}/{count} questions):",
    },
    "quiz.live.private_result": {
        "fr": "Quiz « {chapter} » terminé : {points} points, {rank} sur {players}. Merci !",
        "en": "Quiz “{chapter}” is over: {points} points, {rank} of {players}. Thanks!",
    },
    "quiz.live.unknown_session": {
        "fr": "Je ne connais pas la partie n°{session_id}.",
        "en": "There is no game number {session_id}.",
    },
    "quiz.screen.title": {
        "fr": "Quiz en direct",
        "en": "Live quiz",
    },
    "quiz.screen.answered": {
        "fr": "réponses",
        "en": "answers",
    },
    "quiz.screen.waiting": {
        "fr": "En attente de la prochaine question…",
        "en": "Waiting for the next question…",
    },
    "quiz.screen.finished": {
        "fr": "Partie terminée",
        "en": "Game over",
    },
}
