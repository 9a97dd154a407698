"""The question bank over REST: chapters and questions are public, answers need a token.

Questions are listed without their answers (no ``correct``, no explanation) and with their
options in bank order; ``POST /quizzes/answers`` takes a bank index, says whether it was right,
and feeds the same spaced repetition as the Telegram quizzes.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from moussaillon.handlers.rest.deps import OwnerDep, ServicesDep
from moussaillon.quiz.service import QuizService

router = APIRouter(tags=["quizzes"])


class ChapterCount(BaseModel):
    id: str
    count: int


class QuizIndexOut(BaseModel):
    chapters: list[ChapterCount]
    total: int


class QuestionOut(BaseModel):
    id: str
    chapter: str
    section: str
    type: str
    difficulty: int
    question: str
    code: str
    options: list[str]


class ChapterQuestionsOut(BaseModel):
    chapter: str
    questions: list[QuestionOut]


class AnswerIn(BaseModel):
    question_id: str = Field(min_length=1, max_length=80)
    choice: int = Field(ge=0, le=9, description="Bank index of the chosen option (as listed).")


class AnswerOut(BaseModel):
    question_id: str
    correct: bool
    correct_index: int
    correct_option: str
    explanation: str
    section: str
    pending_mistakes: int


def quiz_of(services: ServicesDep) -> QuizService:
    return services.quiz


@router.get("/quizzes")
async def chapters(services: ServicesDep) -> QuizIndexOut:
    bank = quiz_of(services).bank
    counts = [ChapterCount(id=c, count=len(bank.by_chapter(c))) for c in bank.chapters]
    return QuizIndexOut(chapters=counts, total=len(bank))


@router.get("/quizzes/{chapter}", responses={404: {"description": "Unknown chapter"}})
async def chapter_questions(chapter: str, services: ServicesDep) -> ChapterQuestionsOut:
    questions = quiz_of(services).bank.by_chapter(chapter)
    return ChapterQuestionsOut(
        chapter=chapter,
        questions=[
            QuestionOut(
                id=q.id,
                chapter=q.chapter,
                section=q.section,
                type=q.type,
                difficulty=q.difficulty,
                question=q.question,
                code=q.code,
                options=list(q.options),
            )
            for q in questions
        ],
    )


@router.post(
    "/quizzes/answers",
    responses={401: {"description": "No or bad token"}, 404: {"description": "Unknown question"}},
)
async def answer(body: AnswerIn, services: ServicesDep, owner: OwnerDep) -> AnswerOut:
    result = await quiz_of(services).solo.answer_rest(owner.user_id, body.question_id, body.choice)
    return AnswerOut(**result.model_dump())
