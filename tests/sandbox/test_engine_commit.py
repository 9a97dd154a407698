"""``docker commit`` on the real engine: the student's scope, quota, limits and clean-up."""

from __future__ import annotations

import aiodocker
import pytest

from moussaillon.sandbox.build import records
from moussaillon.sandbox.labels import OWNER, SANDBOX, owner_key
from tests.sandbox.transfer_support import Bench, bench_fixture

pytestmark = pytest.mark.usefixtures("standin_images")
__all__ = ["bench_fixture"]


async def _gone(bench: Bench, ref: str) -> bool:
    try:
        await bench.service.engine.get(f"images/{ref}/json")
    except aiodocker.DockerError as exc:
        return exc.status == 404
    return False


async def test_a_committed_image_runs_in_its_owner_s_scope_only(bench: Bench, make_user_id) -> None:
    user, other = make_user_id(), make_user_id()
    owner = owner_key(user)
    await bench.ok(user, "docker run -d --name web nginx")
    made = await bench.ok(
        user, "docker commit -m 'my page' -a me -c 'CMD [\"echo\", \"committed\"]' web myweb:v2"
    )
    assert made.output.startswith("sha256:") and len(made.output) == 71

    image = await bench.service.engine.get(f"images/m-{owner}/myweb:v2/json")
    assert image["Id"] == made.output
    assert image["Comment"] == "my page" and image["Author"] == "me"
    assert image["Config"]["Labels"][SANDBOX] == "1"
    assert image["Config"]["Labels"][OWNER] == owner
    assert made.output in await records.recorded(bench.store, owner)

    listed = await bench.ok(user, "docker images myweb")
    assert "v2" in listed.output
    ran = await bench.ok(user, "docker run --name again myweb:v2")
    assert ran.output.strip() == "committed"
    again = await bench.service.engine.get(f"containers/m-{owner}-again/json")
    assert again["HostConfig"]["Memory"] == bench.service.settings.sandbox_memory_mb * 1024 * 1024
    assert again["HostConfig"]["ReadonlyRootfs"] or again["HostConfig"].get("StorageOpt")

    assert "myweb" not in (await bench.ok(other, "docker images")).output
    theirs = await bench.run(other, "docker run --rm myweb:v2")
    assert theirs.refused
    stolen = await bench.run(other, "docker commit web stolen")
    assert stolen.output == "Error response from daemon: No such container: web"

    await bench.ok(user, "docker rm -f again web")
    await bench.service.reset(user)
    assert await _gone(bench, f"m-{owner}/myweb:v2") and await _gone(bench, made.output)
    assert await records.recorded(bench.store, owner) == []


async def test_an_untagged_commit_is_removed_by_the_reaper_s_purge(
    bench: Bench, clean_user_id: int
) -> None:
    owner = owner_key(clean_user_id)
    await bench.ok(clean_user_id, "docker run -d --name web nginx")
    made = await bench.ok(clean_user_id, "docker commit web")
    assert made.output in await records.recorded(bench.store, owner)
    await bench.ok(clean_user_id, "docker rm -f web")
    assert owner in await records.owners(bench.store)
    assert await records.purge_images(bench.service.engine, bench.store, owner) >= 1
    assert await _gone(bench, made.output)


async def test_commits_count_in_the_image_quota(bench: Bench, clean_user_id: int) -> None:
    user = clean_user_id
    await bench.ok(user, "docker run -d --name web nginx")
    await bench.ok(user, "docker commit web one:1")
    await bench.ok(user, "docker commit web two:1")  # the bench allows 2 images
    await bench.ok(user, "docker commit web two:1")  # moving a tag makes no new one
    third = await bench.run(user, "docker commit web three:1")
    assert third.refused and "2 images" in third.reason
    assert await _gone(bench, f"m-{owner_key(user)}/three:1")
    await bench.ok(user, "docker rm -f web")
    await bench.service.reset(user)


async def test_changes_outside_the_allowed_set_are_refused(
    bench: Bench, clean_user_id: int
) -> None:
    user = clean_user_id
    for line in (
        "docker commit -c 'RUN rm -rf /' web",
        "docker commit -c 'VOLUME /data' web",
        "docker commit -c 'LABEL moussaillon.owner=u1' web",
        "docker commit web nginx:mine",
    ):
        result = await bench.run(user, line)
        assert result.refused or result.exit_code == 1, (line, result)
    await bench.ok(user, "docker run -d --name web nginx")
    upper = await bench.run(user, "docker commit web BAD")
    assert upper.exit_code == 1
    assert (
        upper.output == "invalid reference format: repository name (library/BAD) must be lowercase"
    )
    await bench.ok(user, "docker rm -f web")
    bad = await bench.run(user, "docker commit -c 'ONBUILD RUN x' web")
    assert bad.refused and "CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR" in bad.reason
