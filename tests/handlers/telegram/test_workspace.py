"""The student's files through the Bot API stand-in, as a student on a phone would do it."""

from __future__ import annotations

import tarfile

from moussaillon.core.i18n import t
from tests.workspace.conftest import member, tar_of, zip_of

DOCKERFILE = b'FROM alpine\nCMD ["echo", "bonjour"]\n'


async def test_a_document_is_stored_listed_shown_and_removed(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice", language_code="fr")
    [saved] = await stub.wait_for(stub.send_document(alice, DOCKERFILE, "Dockerfile"))
    assert saved.text.startswith("✅") and "Dockerfile" in saved.text
    assert await bot.services.workspace.read(alice.id, "Dockerfile") == DOCKERFILE

    [listing] = await stub.wait_for(stub.send_text(alice, "/fichiers"))
    assert "1/64 fichiers" in listing.text and "256 Kio" in listing.text
    assert "Dockerfile" in listing.text and "36 o" in listing.text

    [shown] = await stub.wait_for(stub.send_text(alice, "/voir Dockerfile"))
    assert 'CMD ["echo", "bonjour"]' in shown.text
    assert "<pre>" in shown.source_text and "&quot;" not in shown.text

    [gone] = await stub.wait_for(stub.send_text(alice, "/supprimer Dockerfile"))
    assert gone.text.startswith("🗑")
    [empty] = await stub.wait_for(stub.send_text(alice, "/fichiers"))
    assert "vide" in empty.text


async def test_fichier_with_a_fenced_block_writes_the_code_inside(bot):
    stub = bot.stub
    alice = stub.user(language_code="fr")
    text = "/fichier app/index.php\n```php\n<?php echo '<b>ok</b>';\n```"
    [saved] = await stub.wait_for(stub.send_text(alice, text))
    assert "app/index.php" in saved.text
    stored = await bot.services.workspace.read(alice.id, "app/index.php")
    assert stored == b"<?php echo '<b>ok</b>';\n"
    [shown] = await stub.wait_for(stub.send_text(alice, "/voir app/index.php"))
    assert "<?php echo '<b>ok</b>';" in shown.text  # escaped on the way out, shown as typed
    [tree] = await stub.wait_for(stub.send_text(alice, "/fichiers"))
    assert "app/\n  index.php" in tree.text


async def test_an_archive_sent_as_a_document_is_unpacked_into_the_captioned_folder(bot):
    stub = bot.stub
    alice = stub.user(language_code="fr")
    data = zip_of({"Dockerfile": DOCKERFILE, "src/prime.c": b"int main(void){return 0;}\n"})
    [saved] = await stub.wait_for(stub.send_document(alice, data, "c.zip", caption="prime/"))
    assert saved.text.startswith("📦") and "2 fichiers" in saved.text
    assert sorted(await bot.services.workspace.snapshot(alice.id)) == [
        "prime/Dockerfile",
        "prime/src/prime.c",
    ]


async def test_the_caption_names_the_path_or_the_folder(bot):
    stub = bot.stub
    alice = stub.user(language_code="fr")
    php = b"<?php phpinfo();\n"
    await stub.wait_for(stub.send_document(alice, php, "x.php", caption="web/index.php"))
    await stub.wait_for(stub.send_document(alice, php, "info.php", caption="/fichier web/"))
    await stub.wait_for(stub.send_document(alice, DOCKERFILE, "Dockerfile", caption="  "))
    assert sorted(await bot.services.workspace.snapshot(alice.id)) == [
        "Dockerfile",
        "web/index.php",
        "web/info.php",
    ]


async def test_hostile_archives_are_refused_with_the_reason_and_nothing_is_added(bot):
    stub = bot.stub
    alice = stub.user(language_code="fr")
    link = tar_of([(member("passwd", tarfile.SYMTYPE, linkname="/etc/passwd"), None)])
    [refusal] = await stub.wait_for(stub.send_document(alice, link, "evil.tar.gz"))
    assert refusal.text.startswith("⛔") and "lien symbolique" in refusal.text
    assert "/etc/passwd" in refusal.text
    escape = zip_of({"../../etc/passwd": b"x"})
    [refusal] = await stub.wait_for(stub.send_document(alice, escape, "evil.zip"))
    assert "remonte" in refusal.text
    assert await bot.services.workspace.list(alice.id) == []


async def test_a_file_over_the_limit_is_refused_before_it_is_downloaded(bot):
    stub = bot.stub
    alice = stub.user(language_code="en")
    before = len(stub.calls("getFile"))
    [refusal] = await stub.wait_for(stub.send_document(alice, bytes(1024 * 1024), "big.bin"))
    assert refusal.text.startswith("⛔") and "64 KiB" in refusal.text
    assert len(stub.calls("getFile")) == before


async def test_a_long_file_comes_as_a_document_and_a_binary_is_not_shown(bot):
    stub = bot.stub
    alice = stub.user(language_code="fr")
    long_text = "".join(f"ligne {i}\n" for i in range(1000)).encode()
    await bot.services.workspace.write(alice.id, "long.txt", long_text)
    await bot.services.workspace.write(alice.id, "tool", b"\x7fELF\x00\x01\x02")
    [note, document] = await stub.wait_for(stub.send_text(alice, "/voir long.txt"), count=2)
    assert "document" in note.text
    assert (document.document, document.filename) == (long_text, "long.txt")
    [binary] = await stub.wait_for(stub.send_text(alice, "/voir tool"))
    assert "binaire" in binary.text


async def test_reset_fichiers_asks_then_erases_and_plain_reset_keeps_them(bot):
    stub = bot.stub
    alice = stub.user(language_code="fr")
    await bot.services.workspace.write(alice.id, "Dockerfile", DOCKERFILE)
    await bot.services.workspace.write(alice.id, "app.js", b"1\n")
    [question] = await stub.wait_for(stub.send_text(alice, "/reset fichiers"))
    assert "2" in question.text
    assert len(await bot.services.workspace.list(alice.id)) == 2  # nothing before the tap
    stub.click(alice, question, text=t("workspace.tg.reset_yes", "fr"))
    done = await stub.wait_for_edit(question)
    assert "2 fichiers supprimés" in done.text
    assert await bot.services.workspace.list(alice.id) == []
    [nothing] = await stub.wait_for(stub.send_text(alice, "/reset fichiers"))
    assert "déjà vide" in nothing.text


async def test_usage_errors_and_english(bot):
    stub = bot.stub
    john = stub.user(first_name="John", language_code="en")
    [usage] = await stub.wait_for(stub.send_text(john, "/fichier"))
    assert "/fichier Dockerfile" in usage.text
    [usage] = await stub.wait_for(stub.send_text(john, "/voir"))
    assert "Which file" in usage.text
    [missing] = await stub.wait_for(stub.send_text(john, "/voir nope.txt"))
    assert missing.text.startswith("⛔") and "no file" in missing.text
    [bad] = await stub.wait_for(stub.send_text(john, "/fichier /etc/passwd\nroot"))
    assert "absolute" in bad.text
    [escaped] = await stub.wait_for(stub.send_text(john, "/supprimer <b>x"))
    assert "<b>x" in escaped.text  # echoed back escaped: the stand-in's strict HTML parsed it


async def test_documents_in_a_group_are_not_taken(bot):
    stub = bot.stub
    alice = stub.user(language_code="fr")
    group = stub.group()
    sent = stub.send_document(alice, DOCKERFILE, "Dockerfile", chat=group)
    [reply] = await stub.wait_for(stub.send_text(alice, "/fichiers"))  # in private, after it
    assert sent.marker < reply.seq and "vide" in reply.text
    assert await bot.services.workspace.list(alice.id) == []
