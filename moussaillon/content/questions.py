"""Is a message that starts with ``docker`` a command to run, or a question about one?

Students write "docker compose up marche pas" or "docker ps sert à quoi ?" and expect an
answer, not a refusal from the sandbox's parser. A real command never contains a question mark
outside quotes nor French or English question words as bare arguments, so either marks a
question. Words after ``echo``, ``sh -c`` or a ``--format``/``-f`` value are the program's own
text, not the student's: ``docker run alpine echo comment`` stays a command.
"""

from __future__ import annotations

import re

from moussaillon.content.lexicon import fold

MAX_QUESTION_LENGTH = 500

QUESTION_WORDS = frozenset(
    """
    quoi koi kwa c cest comment cmt pourquoi pk pq pkoi quel quelle quels quelles marche
    marchent fonctionne fonctionnent sert servent signifie veut bloque plante bug erreur
    probleme aide
    what how why does doesnt dont work works working mean means wrong broken
    """.split()
)
# After these, the rest of the line belongs to the program run in the container.
PROGRAM_TEXT = frozenset({"echo", "printf", "sh", "bash", "-c", "--format", "-f", "--filter"})
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
TOKEN = re.compile(r"\S+")
WORD = re.compile(r"[a-z]+")


def looks_like_question(text: str) -> bool:
    """True when ``text`` (starting with ``docker`` or not) reads as a question to answer."""
    if len(text) > MAX_QUESTION_LENGTH:
        return False
    bare = QUOTED.sub(" ", fold(text.replace("’", "'")))
    tokens = TOKEN.findall(bare)
    if tokens and tokens[0] == "docker":
        tokens = tokens[1:]
    if not tokens:
        return False
    for token in tokens:
        if token in PROGRAM_TEXT:
            return False
        if "?" in token:
            return True
        # "c'est", "qu'est-ce" and plain words; flags and values ("-it", "8080:80") never match.
        if not token.startswith("-") and any(
            word in QUESTION_WORDS for word in WORD.findall(token.replace("'", ""))
        ):
            return True
    return False
