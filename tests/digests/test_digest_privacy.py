"""What a member can get out of a digest: member text never becomes live HTML, and an organisation's
digest (with the highlights its members consented to share) is previewed only by them and the admins."""

from __future__ import annotations

from plugin.digests.content import gather
from plugin.digests.dispatch import audience_named
from plugin.digests.render import render
from plugin.storage.models import Community
from tests.workflows.conftest import Cop

ATTACK = "<img src=https://evil.example/t.gif><a href=https://evil.example/login>Log in</a>"


def test_member_text_is_escaped_in_the_html_digest(cop: Cop) -> None:
    cop.say(f"coalition add Waterschap Ingenieursbureau {ATTACK}", user="anna")
    cop.say(f"signal {ATTACK}", user="bram")
    with cop.runtime.database.session() as session:
        community = session.get_one(Community, cop.community_id)
        audience = audience_named(session, community, "Waterschap")
        assert audience is not None
        rendered = render(gather(session, community, audience, "start", cop.clock.now()), {})
    assert "evil.example" in rendered.html  # the text is there…
    assert "<img" not in rendered.html and "<a href=https://evil" not in rendered.html  # …but never live HTML
    assert "&lt;img src=https://evil.example/t.gif&gt;" in rendered.html


def test_an_organisations_digest_is_previewed_only_by_its_members_and_the_admins(cop: Cop) -> None:
    # The test community: anna and chidi work for Ingenieursbureau, bram and dewi for Waterschap.
    assert "only for the admins and Waterschap's own members" in cop.say("digest preview Waterschap", user="chidi")
    assert "Results of CoP Water for Waterschap" in cop.say("digest preview Waterschap", user="dewi")
    assert "Results of CoP Water for Waterschap" in cop.say("digest preview Waterschap")  # an admin
    assert "only for the admins" in cop.say("digest preview initiator", user="dewi")
    assert "Results of CoP Water for the field" in cop.say("digest preview field", user="chidi")
