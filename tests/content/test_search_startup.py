"""Words-only search starts without what only the model or a typo needs."""

import subprocess
import sys

PROBE = """
import sys
from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from moussaillon.content.service import CourseService
from moussaillon.content.typos import french_words
index = CourseService(load_course(BUNDLED_COURSE).course).index
index.search("comment lancer un conteneur")
print("numpy" in sys.modules, french_words.cache_info().currsize)
index.search("comment lancer un conteneru")
print(french_words.cache_info().currsize, [h.section_id for h in index.search("conteneru", 1)])
"""


def test_words_only_start_up_reads_neither_numpy_nor_the_french_word_list() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "False 0"
    # A typo then loads the word list on demand, and is still corrected.
    loaded, found = out[1].split(" ", 1)
    assert loaded == "1"
    assert found != "[]"


def test_warm_up_reads_the_word_list_in_its_thread() -> None:
    from moussaillon.config import BUNDLED_COURSE
    from moussaillon.content.deck import load_course
    from moussaillon.content.service import CourseService

    service = CourseService(load_course(BUNDLED_COURSE).course)
    thread = service.warm_up_in_background()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert service.index.search("conteneru", 1)
    assert service.index._vocabulary.is_word("stopper")
