"""Quizzes: the question bank and the pure rules (checking, shuffling, repetition, scoring)."""
