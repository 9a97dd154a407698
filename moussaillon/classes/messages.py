"""Texts of classes, roles, releases, broadcasts, progress and token management."""

MESSAGES: dict[str, dict[str, str]] = {
    # errors
    "classes.name_missing": {"fr": "Donnez un nom à la classe : /classe_creer <i>nom</i>",
                             "en": "Give the class a name: /classe_creer <i>name</i>"},
    "classes.name_too_long": {"fr": "Nom trop long ({max} caractères au plus).",
                              "en": "Name too long (at most {max} characters)."},
    "classes.unknown": {"fr": "Classe inconnue.", "en": "Unknown class."},
    "classes.none_yet": {"fr": "Vous n'avez pas de classe ouverte : /classe_creer <i>nom</i>",
                         "en": "You have no open class: /classe_creer <i>name</i>"},
    "classes.bad_code": {"fr": "Ce code ne correspond à aucune classe ouverte.",
                         "en": "This code matches no open class."},
    "classes.bad_when": {
        "fr": "Heure illisible : « {text} ». Écrivez <code>maintenant</code>, <code>HH:MM</code>"
              " ou <code>AAAA-MM-JJ HH:MM</code>.",
        "en": "Unreadable time: “{text}”. Write <code>maintenant</code>, <code>HH:MM</code>"
              " or <code>YYYY-MM-DD HH:MM</code>."},
    "classes.already_released": {"fr": "La correction de « {lab} » est déjà publiée.",
                                 "en": "The correction of “{lab}” is already released."},
    "classes.unknown_broadcast": {"fr": "Diffusion inconnue.", "en": "Unknown broadcast."},
    "classes.instructors_only": {
        "fr": "Cette commande est réservée aux formateurs. /help montre ce que vous pouvez faire.",
        "en": "This command is for instructors only. /help shows what you can do."},
    "classes.forbidden": {"fr": "Réservé aux formateurs de cette classe.",
                          "en": "For this class's instructors only."},
    # broadcasts as received
    "classes.announcement_broadcast": {"fr": "📣 <b>{name}</b>\n\n{text}",
                                       "en": "📣 <b>{name}</b>\n\n{text}"},
    "classes.correction_broadcast": {
        "fr": "✅ <b>{name}</b> : la correction du TP « {title} » est disponible.\n\n"
              "{explanation}\n\n<pre>{commands}</pre>",
        "en": "✅ <b>{name}</b>: the correction of lab “{title}” is available.\n\n"
              "{explanation}\n\n<pre>{commands}</pre>"},
    # classes
    "classes.created": {
        "fr": "Classe <b>{name}</b> créée.\nCode : <code>{code}</code>\nLien à partager :"
              " {link}\n\nDans le groupe Telegram de la classe, envoyez /lier.",
        "en": "Class <b>{name}</b> created.\nCode: <code>{code}</code>\nLink to share: {link}"
              "\n\nIn the class's Telegram group, send /lier."},
    "classes.joined": {"fr": "Bienvenue dans la classe <b>{name}</b> ! /progres montre où vous"
                             " en êtes.",
                       "en": "Welcome to class <b>{name}</b>! /progres shows where you stand."},
    "classes.join_usage": {"fr": "Envoyez /rejoindre <i>CODE</i> (le code donné par votre"
                                 " formateur).",
                           "en": "Send /rejoindre <i>CODE</i> (the code your instructor gave)."},
    "classes.left": {"fr": "Vous avez quitté la classe <b>{name}</b>.",
                     "en": "You left class <b>{name}</b>."},
    "classes.not_in_class": {"fr": "Vous n'êtes dans aucune classe.",
                             "en": "You are in no class."},
    "classes.link_only_group": {"fr": "Envoyez /lier dans le groupe Telegram de la classe.",
                                "en": "Send /lier in the class's Telegram group."},
    "classes.linked": {"fr": "Ce groupe est lié à la classe <b>{name}</b> : il recevra ses"
                             " annonces et corrections.",
                       "en": "This group is linked to class <b>{name}</b>: it will receive its"
                             " announcements and corrections."},
    "classes.members_one": {"fr": "<b>{name}</b> : {count} membre\n{lines}",
                            "en": "<b>{name}</b>: {count} member\n{lines}"},
    "classes.members_other": {"fr": "<b>{name}</b> : {count} membres\n{lines}",
                              "en": "<b>{name}</b>: {count} members\n{lines}"},
    "classes.remove_usage": {"fr": "Répondez à un message de l'élève avec /retirer, ou"
                                   " /retirer <i>id</i>.",
                             "en": "Reply to the student's message with /retirer, or"
                                   " /retirer <i>id</i>."},
    "classes.removed": {"fr": "{user} ne fait plus partie de <b>{name}</b>.",
                        "en": "{user} is no longer in <b>{name}</b>."},
    "classes.not_member": {"fr": "{user} n'est pas dans <b>{name}</b>.",
                           "en": "{user} is not in <b>{name}</b>."},
    "classes.renamed": {"fr": "La classe s'appelle désormais <b>{name}</b>.",
                        "en": "The class is now called <b>{name}</b>."},
    "classes.closed": {"fr": "La classe <b>{name}</b> est fermée : son code ne marche plus.",
                       "en": "Class <b>{name}</b> is closed: its code no longer works."},
    "classes.close_confirm": {
        "fr": "🔒 Fermer la classe <b>{name}</b> ? Son code ne marchera plus. Ce bouton reste"
              " valable {minutes} min.",
        "en": "🔒 Close class <b>{name}</b>? Its code will stop working. This button stays valid"
              " for {minutes} min."},
    "classes.close_yes": {"fr": "🔒 Oui, fermer", "en": "🔒 Yes, close it"},
    "classes.name_taken": {"fr": "Vous avez déjà une classe ouverte de ce nom.",
                           "en": "You already have an open class with this name."},
    "classes.current": {"fr": "📌 Classe courante : <b>{name}</b>",
                        "en": "📌 Current class: <b>{name}</b>"},
    "classes.current_of": {"fr": "📌 Classe courante : <b>{name}</b> ({count} classes ouvertes)",
                           "en": "📌 Current class: <b>{name}</b> ({count} open classes)"},
    "classes.current_none": {"fr": "📌 Aucune classe ouverte.", "en": "📌 No open class."},
    # roles
    "classes.promote_usage": {"fr": "Répondez à un message avec /promouvoir, ou /promouvoir"
                                    " <i>id</i>.",
                              "en": "Reply to a message with /promouvoir, or /promouvoir"
                                    " <i>id</i>."},
    "classes.promoted": {"fr": "{user} est maintenant formateur.",
                         "en": "{user} is now an instructor."},
    "classes.already_instructor": {"fr": "{user} est déjà formateur.",
                                   "en": "{user} is already an instructor."},
    # releases and broadcasts
    "classes.release_usage": {
        "fr": "/corriger <i>tp</i> [maintenant | HH:MM | AAAA-MM-JJ HH:MM]\nTP : {labs}",
        "en": "/corriger <i>lab</i> [maintenant | HH:MM | YYYY-MM-DD HH:MM]\nLabs: {labs}"},
    "classes.released_now": {"fr": "Correction de « {lab} » publiée pour <b>{name}</b> : envoi"
                                   " en cours (/diffusions).",
                             "en": "Correction of “{lab}” released for <b>{name}</b>: sending"
                                   " (/diffusions)."},
    "classes.release_scheduled": {"fr": "Correction de « {lab} » programmée pour <b>{name}</b>"
                                        " le {when}.",
                                  "en": "Correction of “{lab}” scheduled for <b>{name}</b> on"
                                        " {when}."},
    "classes.announce_usage": {"fr": "/annonce <i>texte</i>", "en": "/annonce <i>text</i>"},
    "classes.announce_queued": {"fr": "Annonce en cours d'envoi (destinataires : {total}) :"
                                      " /diffusions pour suivre.",
                                "en": "Announcement being sent (recipients: {total}):"
                                      " /diffusions to follow it."},
    "classes.no_broadcasts": {"fr": "Aucune diffusion pour <b>{name}</b>.",
                              "en": "No broadcast for <b>{name}</b>."},
    "classes.report_line": {
        "fr": "#{id} {kind} ({created_at}) : {sent} envoyés · {blocked} bloqués · {failed}"
              " échecs · {pending} en attente · {unknown} incertains",
        "en": "#{id} {kind} ({created_at}): {sent} sent · {blocked} blocked · {failed} failed"
              " · {pending} pending · {unknown} uncertain"},
    "classes.report_head": {"fr": "<b>Diffusions de {name}</b>", "en": "<b>Broadcasts of {name}</b>"},
    # progress
    "classes.progress_text": {
        "fr": "<b>Votre progression</b>\n{chapters}\n\nQuiz : {quiz}\nTP : {labs_done}/{labs_total}"
              " terminés, {steps_done}/{steps_total} étapes\nCommandes docker : {commands}",
        "en": "<b>Your progress</b>\n{chapters}\n\nQuiz: {quiz}\nLabs: {labs_done}/{labs_total}"
              " done, {steps_done}/{steps_total} steps\nDocker commands: {commands}"},
    "classes.quiz_none": {"fr": "pas encore de réponse", "en": "no answer yet"},
    "classes.quiz_score": {"fr": "{correct}/{answers} bonnes réponses ({pct})",
                           "en": "{correct}/{answers} right ({pct})"},
    # the /progres picture and its caption (numbers come formatted: "12", "80 %")
    "classes.png_title": {"fr": "Votre progression", "en": "Your progress"},
    "classes.png_sections": {"fr": "Sections lues par chapitre : {read} sur {total}",
                             "en": "Sections read per chapter: {read} of {total}"},
    "classes.png_quiz_one": {"fr": "Quiz : {correct} bonne réponse sur {answers}",
                             "en": "Quiz: {correct} right answer out of {answers}"},
    "classes.png_quiz_other": {"fr": "Quiz : {correct} bonnes réponses sur {answers}",
                               "en": "Quiz: {correct} right answers out of {answers}"},
    "classes.png_quiz_head": {"fr": "Quiz", "en": "Quiz"},
    "classes.png_right_one": {"fr": "{n} juste", "en": "{n} right"},
    "classes.png_right_other": {"fr": "{n} justes", "en": "{n} right"},
    "classes.png_wrong_one": {"fr": "{n} fausse", "en": "{n} wrong"},
    "classes.png_wrong_other": {"fr": "{n} fausses", "en": "{n} wrong"},
    "classes.png_quiz_none": {"fr": "Pas encore de réponse : essayez /quiz",
                              "en": "No answer yet: try /quiz"},
    "classes.png_labs_head": {"fr": "Travaux pratiques", "en": "Labs"},
    "classes.png_labs": {"fr": "TP terminés", "en": "Labs done"},
    "classes.png_steps": {"fr": "Étapes validées", "en": "Steps done"},
    "classes.caption": {"fr": "Votre progression : {sections} · {quiz} · {labs}, {steps}",
                        "en": "Your progress: {sections} · {quiz} · {labs}, {steps}"},
    "classes.caption_sections_one": {"fr": "{read} section lue sur {total}",
                                     "en": "{read} section read of {total}"},
    "classes.caption_sections_other": {"fr": "{read} sections lues sur {total}",
                                       "en": "{read} sections read of {total}"},
    "classes.caption_quiz_one": {"fr": "{correct} bonne réponse sur {answers} au quiz ({pct})",
                                 "en": "{correct} right answer out of {answers} ({pct})"},
    "classes.caption_quiz_other": {"fr": "{correct} bonnes réponses sur {answers} au quiz ({pct})",
                                   "en": "{correct} right answers out of {answers} ({pct})"},
    "classes.caption_quiz_none": {"fr": "pas encore de quiz", "en": "no quiz yet"},
    "classes.caption_labs_one": {"fr": "{done} TP terminé sur {total}",
                                 "en": "{done} lab done of {total}"},
    "classes.caption_labs_other": {"fr": "{done} TP terminés sur {total}",
                                   "en": "{done} labs done of {total}"},
    "classes.caption_steps_one": {"fr": "{done} étape sur {total}", "en": "{done} step of {total}"},
    "classes.caption_steps_other": {"fr": "{done} étapes sur {total}",
                                    "en": "{done} steps of {total}"},
    "classes.stats": {
        "fr": "<b>{name}</b> : {students}\n{sections}\n"
              "Quiz : {quiz}\nTP terminés (total) : {labs}\nActifs ces 7 jours : {active}\n"
              "Tableau de bord : /tableau",
        "en": "<b>{name}</b>: {students}\n{sections}\n"
              "Quiz: {quiz}\nLabs done (total): {labs}\nActive in the last 7 days: {active}\n"
              "Dashboard: /tableau"},
    "classes.stats_students_one": {"fr": "{count} élève", "en": "{count} student"},
    "classes.stats_students_other": {"fr": "{count} élèves", "en": "{count} students"},
    "classes.stats_sections_one": {"fr": "{read} section lue en moyenne sur {total}",
                                   "en": "{read} section read on average out of {total}"},
    "classes.stats_sections_other": {"fr": "{read} sections lues en moyenne sur {total}",
                                     "en": "{read} sections read on average out of {total}"},
    "classes.dashboard_link": {"fr": "Tableau de bord de <b>{name}</b> (lien valable {ttl} min) :"
                                     "\n{url}",
                               "en": "Dashboard of <b>{name}</b> (link valid {ttl} min):\n{url}"},
    # tokens
    "classes.tokens_none": {"fr": "Aucune clé API active. /token en crée une.",
                            "en": "No active API key. /token creates one."},
    "classes.tokens_list": {"fr": "<b>Vos clés API</b>\n{lines}\n\nRévoquer : /tokens revoquer"
                                  " <i>id</i>",
                            "en": "<b>Your API keys</b>\n{lines}\n\nRevoke: /tokens revoquer"
                                  " <i>id</i>"},
    "classes.token_revoked": {"fr": "Clé {id} révoquée.", "en": "Key {id} revoked."},
    "classes.token_unknown": {"fr": "Aucune clé active n°{id} à votre nom.",
                              "en": "No active key #{id} of yours."},
    # menus
    "classes.cmd_rejoindre": {"fr": "Rejoindre une classe avec son code",
                              "en": "Join a class with its code"},
    "classes.cmd_quitter": {"fr": "Quitter sa classe", "en": "Leave your class"},
    "classes.cmd_progres": {"fr": "Ma progression", "en": "My progress"},
    "classes.cmd_tokens": {"fr": "Mes clés API (lister, révoquer)",
                           "en": "My API keys (list, revoke)"},
    "classes.cmd_promouvoir": {"fr": "Nommer un formateur", "en": "Make someone an instructor"},
    "classes.cmd_classe_creer": {"fr": "Créer une classe", "en": "Create a class"},
    "classes.cmd_classe_renommer": {"fr": "Renommer la classe", "en": "Rename the class"},
    "classes.cmd_classe_fermer": {"fr": "Fermer la classe", "en": "Close the class"},
    "classes.cmd_lier": {"fr": "Lier ce groupe à la classe", "en": "Link this group to the class"},
    "classes.cmd_membres": {"fr": "Membres de la classe", "en": "Class members"},
    "classes.cmd_retirer": {"fr": "Retirer un élève", "en": "Remove a student"},
    "classes.cmd_corriger": {"fr": "Publier la correction d'un TP", "en": "Release a lab correction"},
    "classes.cmd_annonce": {"fr": "Annonce à la classe", "en": "Announcement to the class"},
    "classes.cmd_diffusions": {"fr": "Rapport d'envoi des diffusions",
                               "en": "Broadcast delivery report"},
    "classes.cmd_classe_stats": {"fr": "Statistiques de la classe", "en": "Class statistics"},
    "classes.cmd_tableau": {"fr": "Lien vers le tableau de bord", "en": "Link to the dashboard"},
    # dashboard page
    "classes.dash_title": {"fr": "Classe {name}", "en": "Class {name}"},
    "classes.dash_columns": {
        "fr": "Élève|Sections lues|Quiz|TP terminés|Étapes|Commandes|Dernière activité",
        "en": "Student|Sections read|Quiz|Labs done|Steps|Commands|Last activity"},
    "classes.dash_csv": {"fr": "Exporter en CSV", "en": "Export as CSV"},
    "classes.dash_expired": {"fr": "Lien expiré ou invalide : redemandez /tableau au bot.",
                             "en": "Expired or invalid link: ask the bot for /tableau again."},
    "classes.dash_count_one": {"fr": "{count} élève", "en": "{count} student"},
    "classes.dash_count_other": {"fr": "{count} élèves", "en": "{count} students"},
    "classes.dash_chart": {"fr": "Sections lues par chapitre (moyenne de la classe)",
                           "en": "Sections read per chapter (class mean)"},
    "classes.dash_students": {"fr": "Élèves", "en": "Students"},
    "classes.dash_legend": {
        "fr": "Colonnes 1 à {n} : sections lues dans chaque chapitre, numérotés comme ci-dessus.",
        "en": "Columns 1 to {n}: sections read in each chapter, numbered as above."},
    "classes.dash_empty": {"fr": "Aucun élève pour l'instant : donnez-leur le code de la classe,"
                                 " <code>{code}</code> (/rejoindre {code}).",
                           "en": "No student yet: give them the class's code, <code>{code}</code>"
                                 " (/rejoindre {code})."},
    "classes.dash_refused_title": {"fr": "Ce lien ne s'ouvre plus",
                                   "en": "This link no longer opens"},
    "classes.dash_refused_help": {
        "fr": "Un lien de tableau de bord est valable {ttl} minutes et ne s'ouvre que pour le"
              " formateur de la classe. Pour en recevoir un nouveau, envoyez <code>/tableau</code>"
              " au bot dans Telegram, en conversation privée.",
        "en": "A dashboard link is valid for {ttl} minutes and opens only for the class's"
              " instructor. To get a new one, send <code>/tableau</code> to the bot in a private"
              " Telegram chat."},
}
