"""A REST caller without a key learns how to send one and where to get one, in both languages."""

import pytest


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_401_says_how_to_send_a_key_and_both_ways_to_get_one(api, lang):
    response = await api.get("/api/v1/me/progress", headers={"Accept-Language": lang})
    assert response.status_code == 401
    message = response.json()["error"]["message"]
    assert "Authorization: Bearer" in message
    assert "/token" in message  # from the bot
    assert "moussaillon token create --user" in message  # from the server, without Telegram
