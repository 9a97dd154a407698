"""A command's answer in the chat: one message, its tail when long and the whole output as a
file; a build's output live in that message while it runs (once builds exist)."""

from __future__ import annotations

import itertools

from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner

DOCKERFILE = b"""FROM alpine
RUN for i in 1 2 3 4 5 6 7 8; do echo "layer $i"; sleep 1; done
RUN echo done > /done
CMD ["cat", "/done"]
"""


async def test_a_long_output_shows_its_tail_and_comes_whole_as_a_file(sandbox_bot):
    stub = sandbox_bot.stub
    ada = stub.user(first_name="Ada")
    try:
        sent = stub.send_text(ada, "docker run --rm alpine seq 1 3000")
        answer, document = await stub.wait_for(sent, count=2, timeout=60)
        assert answer.text.startswith("…") and answer.text.split("\n")[-1].startswith(
            "La sortie complète est dans le fichier joint ("
        )
        assert "2999\n3000" in answer.text and "\n1\n" not in answer.text
        assert document.filename == "output.txt"
        whole = "".join(f"{n}\n" for n in range(1, 3001))
        assert document.document == whole.encode()
        assert not stub.calls("editMessageText")  # nothing streamed: one answer, no edit
    finally:
        await purge_owner(sandbox_bot.services.sandbox.engine, labels.owner_key(ada.id))


async def test_a_build_is_shown_live_in_one_message_then_its_result(sandbox_bot):
    stub = sandbox_bot.stub
    stub.enforce_rate_limits(per_chat_per_second=1)
    services = sandbox_bot.services
    bob = stub.user(first_name="Bob")
    await services.workspace.write(bob.id, "Dockerfile", DOCKERFILE)
    try:
        sent = stub.send_text(bob, "docker build -t lent:1 .")
        [live] = await stub.wait_for(sent, timeout=120)
        assert "⏳ En cours…" in live.text
        final = live
        while "⏳" in (final.text or ""):
            final = await stub.wait_for_edit(final, timeout=120)
        assert "Successfully tagged lent:1" in final.text
        edits = [c for c in stub.calls("editMessageText") if c.params["chat_id"] == bob.id]
        assert all(c.ok for c in edits) and len(edits) >= 2
        assert any("Step 1/4 : FROM alpine" in c.params["text"] for c in edits[:-1])
        gaps = [b.at - a.at for a, b in itertools.pairwise(edits)]
        assert min(gaps) >= 1.0
        assert [m.message_id for m in stub.messages(bob)] == [live.message_id]
    finally:
        await services.sandbox.reset(bob.id)
        await purge_owner(services.sandbox.engine, labels.owner_key(bob.id))
