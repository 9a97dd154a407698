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
# A question mark that ends a word ("quoi?", "?"), not one that starts a query ("?a=1").
ASKED = re.compile(r"\?(?![\w=&%])")


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
        if "://" in token:  # a URL's query (http://web/?note=1) is the command's own text
            continue
        if ASKED.search(token):
            return True
        # "c'est", "qu'est-ce" and plain words; flags and values ("-it", "8080:80") never match.
        if not token.startswith("-") and any(
            word in QUESTION_WORDS for word in WORD.findall(token.replace("'", ""))
        ):
            return True
    return False


ENGLISH_WORDS = frozenset(
    """
    a an the is are was be been do does did doesnt dont can cant could should would will how
    what why when where which who whats hows i im my me you your it its this that these those
    of to in on for with without from after before into about and or not no keep remove
    delete run running container containers list show see get use using make build stop
    start restart between difference work working works
    """.split()
)
FRENCH_WORDS = frozenset(
    """
    le la les un une des du de d l au aux et ou est c cest ce ces mon ma mes ton ta tes je j
    tu il on nous vous pour par avec sans dans sur pas ne quoi comment pourquoi quand quel
    quelle qui que qu faire voir lancer supprimer conteneur conteneurs marche veut sert
    """.split()
)


def looks_english(text: str) -> bool:
    """True when a question is written in English: its answer says the course is in French."""
    words = WORD.findall(fold(text.replace("'", " ").replace("’", " ")))
    english = sum(word in ENGLISH_WORDS for word in words)
    french = sum(word in FRENCH_WORDS for word in words)
    return english > french
