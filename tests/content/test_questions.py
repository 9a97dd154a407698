from __future__ import annotations

import pytest

from moussaillon.content.questions import MAX_QUESTION_LENGTH, looks_like_question


@pytest.mark.parametrize(
    "text",
    [
        "docker compose up marche pas",
        "docker ps sert à quoi ?",
        "docker ps sert a quoi",
        "docker run c quoi",
        "Docker run c'est quoi",
        "docker volume ?",
        "docker logs comment ça marche",
        "docker exec how does it work",
        "docker pull ne fonctionne pas derrière le proxy",
        "docker network pourquoi",
    ],
)
def test_questions(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "docker ps",
        "docker ps -a",
        "docker run --rm alpine echo comment ça marche ?",
        "docker run --rm alpine sh -c 'echo quoi'",
        "docker ps --format '{{.Names}}?'",
        "docker ps -f name=quoi",
        "docker run -it --name web -p 8080:80 nginx",
        "docker logs -f web",
        'docker run --rm alpine printf "pourquoi?"',
        "docker run --rm --network lamp_default alpine/curl -s http://web/?note=premier",
        "docker run --rm alpine wget -qO- web/index.php?page=2",
        "docker",
        "",
    ],
)
def test_commands(text: str) -> None:
    assert not looks_like_question(text)


def test_a_huge_message_is_not_scanned_as_a_question() -> None:
    assert not looks_like_question("docker run " + "quoi " * MAX_QUESTION_LENGTH)
