"""`kring install discourse` / `kring uninstall discourse` against the fake Discourse (spec-checked,
with Kring's documented expectation for the web hook admin API the spec lacks)."""

from __future__ import annotations

from plugin.config import load_config
from plugin.demo.standin import StandInPlatform
from plugin.runtime import build_runtime
from tests.support.cli import run
from tests.support.payloads import discourse_delivery
from webhooks import create_app


def install(env: dict[str, str], platform: StandInPlatform, category: int):  # type: ignore[no-untyped-def]
    return run(["install", "discourse", "--url", platform.url, "--api-key", "admin-key", "--category",
                str(category), "--public-url", "https://kring.example.org"], env)


def test_install_creates_the_bot_and_one_signed_webhook(process_env: dict[str, str],
                                                        platform: StandInPlatform) -> None:
    env = {k: v for k, v in process_env.items() if not k.startswith("KRING_DISCOURSE_")}
    del platform.users["kring"]  # a forum Kring was never installed on
    run(["db", "upgrade"], env)
    first = install(env, platform, 7)
    assert first.returncode == 0, first.stderr
    assert "bot user @kring: created" in first.stdout and "webhook" in first.stdout and "created" in first.stdout
    assert "made a moderator" in first.stdout and platform.users["kring"]["moderator"] is True
    [(bot_key, acts_as)] = platform.api_keys.items()  # a key of the bot's own, not the admin's
    assert acts_as == "kring" and "admin key is not stored" in first.stdout
    [hook] = platform.web_hooks.values()
    assert hook["payload_url"] == "https://kring.example.org/discourse/webhook"
    assert hook["content_type"] == 1 and hook["active"] is True
    assert sorted(hook["web_hook_event_type_ids"]) == [101, 102, 201, 202, 1401, 1402]
    assert hook["secret"] not in first.stdout

    second = install(env, platform, 9)  # another category: the same webhook, both categories, a new secret
    assert "bot user @kring: found" in second.stdout and "updated" in second.stdout
    [hook] = platform.web_hooks.values()
    # No category filter (under one Discourse drops group events and private messages); Kring keeps to
    # the categories it recorded.
    assert (hook["category_ids"], hook["group_ids"]) == ([], [])
    assert sorted(scope for scope, in stored_scopes(env)) == ["7", "9"]
    assert len(platform.api_keys) == 1  # the second install keeps the bot's key

    runtime = build_runtime(load_config(env))
    try:
        outbound = runtime.connector("discourse").outbound
        assert outbound is not None  # posts as @kring with the bot's own stored key
        assert outbound.client.http.session.headers["Api-Key"] == bot_key
        client = create_app(runtime=runtime).test_client()
        data, headers = discourse_delivery("ping", {"ping": "OK"}, "evt-1", hook["secret"])
        assert client.post("/discourse/webhook", data=data, headers=headers).status_code == 200
        data, headers = discourse_delivery("ping", {"ping": "OK"}, "evt-2", "an-old-or-wrong-secret")
        assert client.post("/discourse/webhook", data=data, headers=headers).status_code == 401
    finally:
        runtime.close()

    removed = run(["uninstall", "discourse", "--api-key", "admin-key"], env)
    assert removed.returncode == 0, removed.stderr
    assert platform.web_hooks == {}
    assert run(["uninstall", "discourse", "--api-key", "admin-key"], env).returncode == 1


def stored_scopes(env: dict[str, str]) -> list[tuple[str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text("SELECT scope FROM installation")).all()]
    engine.dispose()
    return rows
