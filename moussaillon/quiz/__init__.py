"""Quizzes: the question bank and the pure rules (checking, shuffling, repetition, scoring).

Nothing here talks to Telegram or SQLite: handlers load rows, call these functions and store
the results (tables in ``schema.py``).
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
