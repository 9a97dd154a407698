"""Quizzes: the question bank, the pure rules (checking, shuffling, repetition, scoring), the
solo and live services over SQLite (tables in ``schema.py``), and the live game loop.

Where to look: how live points are computed, ``scoring.py``; how a live game runs (questions,
closes, leaderboards, podium, restarts), ``runner.py``; which answers are stored, ``live.py``;
where a poll answer goes, ``service.py``. Nothing here imports Telegram: the runner reaches a chat
through the protocols of ``transport.py``, which ``handlers/telegram/quiz_runtime.py`` implements.
"""

from moussaillon.quiz.bank import BUNDLED_BANK, BankError, Question, QuestionBank, load_bank
from moussaillon.quiz.repetition import QuestionState, pick_questions, update_state
from moussaillon.quiz.scoring import answer_points, leaderboard, rank_changes, score_question
from moussaillon.quiz.shuffle import ShuffledQuestion, shuffled

__all__ = [
    "BUNDLED_BANK",
    "BankError",
    "Question",
    "QuestionBank",
    "QuestionState",
    "ShuffledQuestion",
    "answer_points",
    "leaderboard",
    "load_bank",
    "pick_questions",
    "rank_changes",
    "score_question",
    "shuffled",
    "update_state",
]
