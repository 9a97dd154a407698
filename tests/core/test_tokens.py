from moussaillon.areas import migrations
from moussaillon.core.store import Store
from moussaillon.core.tokens import TokenService


async def test_tokens_are_hashed_verifiable_and_revocable(tmp_path):
    store = Store(tmp_path / "t.db", migrations())
    try:
        tokens = TokenService(store, instructors=frozenset({7}))
        secret = await tokens.create(42, label="phone")
        stored = await store.read(lambda db: [r["token_hash"] for r in db["api_tokens"].rows])
        assert secret not in stored and len(stored[0]) == 64
        owner = await tokens.verify(secret)
        assert owner is not None and owner.user_id == 42 and not owner.instructor
        assert await tokens.verify(secret + "x") is None
        assert await tokens.verify("garbage") is None
        assert (await tokens.verify(await tokens.create(7))).instructor
        assert await tokens.revoke(owner.token_id, user_id=99) is False  # not theirs
        assert await tokens.revoke(owner.token_id) is True
        assert await tokens.verify(secret) is None
    finally:
        store.close()
