"""How a student's words become index terms: folding, synonyms, stop-words, French stems.

The same reduction runs on the course at index time and on questions at query time, so both
sides meet on Snowball stems of accent-free words ("redémarre", "redemarrer" → ``redemarr``).
Stop-words include the filler of spoken questions ("comment voir", "c'est quoi", "marche pas"):
left in, they match sections by accident ("voir" → « voire ») and drown the one word that counts.
The synonym table maps English and SMS words students type to the course's French terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import Stemmer as pystemmer

MAX_TERMS = 32
MAX_TERM_LENGTH = 40
SHORT_WORD = 3

STOP_WORDS = frozenset(
    """
    a ai as au aux avec avoir bah bien bjr bonjour c ca ce ces cest cet cette chose cmnt cmt
    combien comme comment d dans de des dois doit donc ds du elle elles en encore entre est et
    etre fai faire fais fait faut ils il j jai je jsp juste l la le les leur leurs lui m ma
    marche marchent marcher mais me merci mes moi mon n ne nous on ou par pas peut peux pk pkoi
    plus possible pour pourquoi pq pr prend prendre puis qd qu quand que quel quelle quelles
    quels qui quoi koi kwa s sa salut savoir se sert servent servir ses si son sont stp sur svp
    t ta te tes toi ton tous tout toute toutes tt truc tu un une veut veux voir vois vos votre
    vous vrai y besoin moyen genre vraiment exactement quelque quelqu
    about after an and are be can could do does doesnt dont for get how i im in into is its
    me my not of on or please see should show the there this to use used using want what when
    where which who why will with work works working you your
    """.split()
)

# Folded word → the course's words for it ("" drops the word). Keys are what students type.
SYNONYMS: dict[str, str] = {
    "container": "conteneur",
    "containers": "conteneur",
    "conteneurs": "conteneur",
    "ctn": "conteneur",
    "cont": "conteneur",
    "img": "image",
    "imgs": "image",
    "keep": "conserver garder survecu volume",
    "sans": "sans aucun",
    "perdre": "disparait ephemere",
    "perdu": "disparait ephemere",
    "perdues": "disparait ephemere",
    "disparaissent": "disparait ephemere",
    "persist": "persister volume",
    "persister": "persister volume survecu",
    "persistent": "persister volume",
    "persistence": "persister volume",
    "data": "donnees",
    "remove": "supprimer",
    "removing": "supprimer",
    "delete": "supprimer",
    "deleting": "supprimer",
    "del": "supprimer",
    "suppr": "supprimer",
    "log": "logs",
    "journal": "journal logs",
    "journaux": "journaux logs",
    "restart": "restart redemarrer",
    "reboot": "redemarrage restart",
    "disk": "espace disque",
    "space": "espace",
    "place": "espace disque",
    "size": "taille",
    "big": "taille",
    "grosse": "taille",
    "gros": "taille",
    "lourde": "taille",
    "lourd": "taille",
    "network": "reseau",
    "networks": "reseau",
    "net": "reseau",
    "start": "demarrer",
    "stop": "arreter",
    "list": "lister",
    "download": "telecharger pull",
    "dl": "telecharger",
    "install": "installer",
    "build": "build construire",
    "builder": "build construire",
    "stage": "etape",
    "stages": "etape",
    "multistage": "multi etape",
    "context": "contexte",
    "ignore": "dockerignore exclut",
    "health": "sante healthcheck",
    "file": "fichier",
    "files": "fichier",
    "copy": "copy copier",
    "folder": "dossier",
    "directory": "dossier",
    "background": "arriere plan",
    "detached": "arriere plan",
    "name": "nommer nom",
    "environment": "environnement",
    "env": "env environnement",
    "interactive": "interactif",
    "inspect": "inspecter",
    "history": "historique",
    "layer": "couche",
    "layers": "couche",
    "clean": "nettoyer",
    "cleanup": "nettoyer",
    "read": "lecture",
    "only": "seule",
    "address": "adresse",
    "virtual": "virtuelle",
    "vm": "vm machine virtuelle",
    "diff": "",
    "difference": "",
    "differences": "",
    "vs": "",
    "versus": "",
    "share": "partager",
    "backup": "sauvegarder",
    "password": "mot passe secret",
    "mdp": "mot passe secret",
    "certificate": "certificat",
    "mirror": "miroir",
    "registry": "registre",
    "k8s": "kubernetes",
    "yml": "yaml",
    "auto": "automatique",
    "running": "cours execution",
    "bdd": "base donnees",
    "mysql": "mariadb",
    "renommer": "etiqueter tag",
    "wait": "attendre",
    # Everyday verbs for what the course says in its own words.
    "virer": "supprimer",
    "vire": "supprimer",
    "degager": "supprimer",
    "enlever": "supprimer",
    "effacer": "supprimer",
    "efface": "supprimer",
    "retirer": "supprimer",
    "lancer": "lancer demarrer",
    "lance": "lancer demarrer",
    "demarrer": "demarrer lancer",
    "relancer": "redemarrer",
    "executer": "executer lancer",
    "afficher": "afficher lister",
    "affiche": "afficher lister",
    "montrer": "afficher lister",
    "lister": "lister afficher",
    "stopper": "arreter",
    "stoppe": "arreter",
    "eteindre": "arreter",
    "couper": "arreter",
    "tuer": "arreter kill",
    "plante": "erreur",
    "crash": "erreur",
    "bug": "erreur",
    "rentrer": "entrer",
    "appli": "application",
    "applis": "application",
    "app": "application",
    "tourne": "tourne cours execution",
    "tournent": "tourne cours execution",
}

ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’‘`´]")
WORD = re.compile(r"[^\W_]+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def fold(text: str) -> str:
    """Lowercase without accents, the way the index's tokenizer sees words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> Iterator[str]:
    """Folded words, elisions cut ("l'image" → "image"), control characters dropped."""
    for match in WORD.finditer(ELISION.sub(" ", fold(CONTROL.sub(" ", text)))):
        yield match.group(0)[:MAX_TERM_LENGTH]


def meaningful(text: str, synonyms: bool = True) -> Iterator[str]:
    """The words that carry meaning: synonyms expanded, stop-words dropped."""
    for word in words(text):
        replaced = SYNONYMS.get(word, word) if synonyms else word
        for part in replaced.split():
            if part not in STOP_WORDS:
                yield part


class Stemmer:
    """Snowball's French stemmer (PyStemmer, in C); one per index, as it is not thread-safe."""

    def __init__(self) -> None:
        self._snowball = pystemmer.Stemmer("french")

    def __call__(self, word: str) -> str:
        # Short words are command names ("ps", "ls", "dns"), not French plurals to trim.
        if len(word) <= SHORT_WORD or not word.isalpha():
            return word
        return str(self._snowball.stemWord(word))

    def text(self, text: str, synonyms: bool = False) -> str:
        """A text as its stems, for the index's stemmed columns."""
        return " ".join(self(word) for word in meaningful(text, synonyms=synonyms))


def query_words(query: str) -> list[str]:
    """The meaningful words of a question, in order, without duplicates, at most MAX_TERMS."""
    found: list[str] = []
    for word in meaningful(query):
        if word not in found:
            found.append(word)
            if len(found) == MAX_TERMS:
                break
    return found
