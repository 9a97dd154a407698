"""One sender's messages are handled in order; other senders, buttons and floods are not held."""

import asyncio
import itertools
import time

from telegram import Update

from moussaillon.bot.ordering import MAX_PENDING, PerSenderOrder

_ids = itertools.count(1)


def message(user: int, chat: int | None = None) -> Update:
    chat_id = chat if chat is not None else user
    return Update.de_json(
        {
            "update_id": next(_ids),
            "message": {
                "message_id": next(_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": user, "is_bot": False, "first_name": "A"},
                "text": "docker ps",
            },
        },
        None,
    )


def button(user: int) -> Update:
    return Update.de_json(
        {
            "update_id": next(_ids),
            "callback_query": {
                "id": str(next(_ids)),
                "from": {"id": user, "is_bot": False, "first_name": "A"},
                "chat_instance": "1",
                "data": "x",
            },
        },
        None,
    )


async def run_all(processor, jobs):
    """Start the updates as PTB does (one task each, in order) and wait for them."""
    async with processor:
        tasks = [asyncio.create_task(processor.process_update(u, c)) for u, c in jobs]
        await asyncio.gather(*tasks)


async def test_one_senders_messages_finish_in_the_order_they_came():
    done = []

    async def handle(name, seconds):
        await asyncio.sleep(seconds)
        done.append(name)

    delays = [0.2, 0.0, 0.1, 0.0]
    jobs = [(message(1), handle(i, d)) for i, d in enumerate(delays)]
    await run_all(PerSenderOrder(256), jobs)
    assert done == [0, 1, 2, 3]


async def test_other_senders_chats_and_buttons_do_not_wait():
    done = []

    async def handle(name, seconds):
        await asyncio.sleep(seconds)
        done.append(name)

    jobs = [
        (message(1), handle("slow", 0.3)),
        (message(2), handle("other sender", 0.0)),
        (message(1, chat=-5), handle("same sender, a group", 0.0)),
        (button(1), handle("button", 0.0)),
        (message(1), handle("after slow", 0.0)),
    ]
    await run_all(PerSenderOrder(256), jobs)
    assert done[-2:] == ["slow", "after slow"]
    assert set(done[:3]) == {"other sender", "same sender, a group", "button"}


async def test_a_flood_beyond_the_waiting_limit_is_dropped_not_queued():
    done = []

    async def handle(name):
        await asyncio.sleep(0.05 if name == 0 else 0)
        done.append(name)

    jobs = [(message(7), handle(i)) for i in range(MAX_PENDING + 5)]
    await run_all(PerSenderOrder(256), jobs)
    assert done == list(range(MAX_PENDING))
