"""Digests delivered for real: e-mail to a local SMTP server, signed webhooks, direct messages and
group posts with their charts uploaded — and a failing channel retried without holding up the others."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from plugin.channels.webhook import signature, webhook_secret
from plugin.cop import journal
from plugin.digests.content import build, meeting_range
from plugin.engine.journal import EntryKind
from plugin.storage.models import Community, DigestDelivery, Member, Organisation, OutboxMessage
from plugin.storage.states import OutboxStatus
from tests.digests.conftest import SmtpServer, WebhookReceiver
from tests.workflows.conftest import Cop

HIGHLIGHT_OF_BRAM = "Bram learned to read dike sensors"
HIGHLIGHT_OF_DEWI = "Dewi private thought about her manager"


@pytest.fixture
def env(env: dict[str, str], smtp_server: SmtpServer) -> dict[str, str]:
    return {**env, "KRING_SMTP_URL": smtp_server.url, "KRING_SMTP_FROM": "kring@cop.example",
            "KRING_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}


def record_a_season(cop: Cop) -> None:
    """Evaluations, a coalition and two private highlights — Bram consents, Dewi does not."""
    cop.say("consent yes", user="bram")
    cop.say("domain adopt Keep the delta safe")
    cop.say("coalition add Waterschap Ingenieursbureau Joint sensor pilot", user="anna")
    now = cop.clock.now()
    with cop.runtime.database.session() as session:
        members = {m.username: m.id for m in session.scalars(sa.select(Member))}
        for number, average in ((1, 3.2), (2, 3.8), (3, 4.1)):
            journal.add_entry(session, cop.community_id, EntryKind.EVALUATION, str(average), now,
                              data={"average": average, "votes": 4}, meeting_number=number)
        journal.add_entry(session, cop.community_id, EntryKind.HIGHLIGHT, HIGHLIGHT_OF_BRAM, now,
                          member_id=members["bram"], private=True)
        journal.add_entry(session, cop.community_id, EntryKind.HIGHLIGHT, HIGHLIGHT_OF_DEWI, now,
                          member_id=members["dewi"], private=True)


def deliveries(cop: Cop) -> dict[str, OutboxMessage]:
    with cop.runtime.database.session() as session:
        rows = session.execute(sa.select(DigestDelivery.channel, OutboxMessage).join(
            OutboxMessage, DigestDelivery.outbox_message_id == OutboxMessage.id)).all()
        session.expunge_all()
        return {channel: message for channel, message in rows}


def test_an_organisation_digest_by_e_mail_and_direct_message(any_cop: Cop, smtp_server: SmtpServer) -> None:
    cop = any_cop
    cop.platform.mm_users["anna"] = "user-anna"
    record_a_season(cop)
    assert "receives the digests via digest@waterschap.example" in cop.say(
        "contact Waterschap digest@waterschap.example")
    cop.say("contact Waterschap @anna")
    smtp_server.start()
    preview = cop.say("digest preview Waterschap", user="dewi")
    assert preview.startswith("#### Results of CoP Water for Waterschap") and HIGHLIGHT_OF_DEWI not in preview
    assert "Only admins" in cop.say("digest send Waterschap", user="dewi")
    assert "goes to 2 recipients" in cop.say("digest send Waterschap")
    cop.settle()
    [mail] = smtp_server.mailbox.messages
    assert mail["To"] == "digest@waterschap.example" and mail["From"] == "kring@cop.example"
    subject = str(mail["Subject"]).strip()  # a long subject is folded; unfolding leaves a leading space
    assert subject == "Results of CoP Water for Waterschap (Over the whole run up to 2027-01-04)"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    for body in (text, markup):
        assert "Keep the delta safe" in body
        assert "Bram: learned: " + HIGHLIGHT_OF_BRAM in body  # consented: named, with what he learned
        assert HIGHLIGHT_OF_DEWI not in body  # did not consent: never in any output
        assert "2 participants from your organisation are not named" in body
    images = [part for part in mail.walk() if part.get_content_type() == "image/png"]
    assert {part["Content-ID"].strip("<>").split(".")[0] for part in images} == {"evaluation", "social-map"}
    for part in images:
        assert f'src="cid:{part["Content-ID"].strip("<>")}"' in markup
    direct = cop.private_to("anna")[-1]
    assert direct.startswith("#### Results of CoP Water for Waterschap")
    assert len(cop.platform.uploads) == 2  # the two charts, uploaded with the direct message
    if cop.kind == "discourse":
        assert "![evaluation.png](upload://" in direct
    statuses = cop.say("digest list")
    assert "1. 2027-01-04 for Waterschap: " in statuses
    assert "e-mail sent" in statuses and "direct message sent" in statuses


def test_a_field_digest_is_posted_in_the_group_with_its_charts(any_cop: Cop) -> None:
    cop = any_cop
    record_a_season(cop)
    cop.say("digest send field")
    cop.settle()
    post = cop.texts()[-1]
    assert post.startswith("#### Results of CoP Water for the field")
    assert "Waterschap + Ingenieursbureau: Joint sensor pilot" in post
    assert HIGHLIGHT_OF_BRAM not in post and "learned" not in post  # personal contributions only go home
    uploads = cop.platform.uploads
    assert len(uploads) == 2
    if cop.kind == "mattermost":
        assert all(u["files"].endswith("image/png>") and "channel_id" in u for u in uploads)
        assert len(cop.platform.posts()[-1].body["file_ids"]) == 2
    else:
        assert all(u["upload_type"] == "composer" for u in uploads)


def test_a_signed_webhook_and_a_failing_mail_server_that_is_retried(cop: Cop, smtp_server: SmtpServer,
                                                                     webhook_receiver: WebhookReceiver) -> None:
    record_a_season(cop)
    added = cop.say(f"contact Waterschap {webhook_receiver.url}")
    secret = webhook_secret(cop.runtime.config.secret_key, cop.community_id, webhook_receiver.url)
    assert f"using this secret: `{secret}`" in added
    cop.say("contact Waterschap digest@waterschap.example")
    webhook_receiver.statuses.extend([503])  # the receiver fails once, then accepts
    cop.say("digest send Waterschap")  # the mail server is down
    state = deliveries(cop)
    assert state["email"].status == OutboxStatus.PENDING and "mail server" in (state["email"].last_error or "")
    assert state["webhook"].status == OutboxStatus.PENDING and "503" in (state["webhook"].last_error or "")
    cop.advance(timedelta(seconds=10))
    state = deliveries(cop)
    assert state["webhook"].status == OutboxStatus.SENT  # not held up by the mail server
    assert state["email"].status == OutboxStatus.PENDING and state["email"].attempts >= 2
    first, second = webhook_receiver.received
    assert first.headers["X-Kring-Delivery"] == second.headers["X-Kring-Delivery"]  # one delivery, retried
    stamp = second.headers["X-Kring-Timestamp"]
    assert second.headers["X-Kring-Signature"] == signature(secret, stamp, second.body)
    assert abs(int(stamp) - time.time()) < 600
    assert second.headers["X-Kring-Event"] == "digest"
    payload = second.json()
    assert payload["audience"] == "Waterschap" and HIGHLIGHT_OF_DEWI not in second.body.decode()
    assert [e["average"] for e in payload["content"]["evaluations"]] == [3.2, 3.8, 4.1]
    smtp_server.start()
    cop.advance(timedelta(minutes=5))
    assert deliveries(cop)["email"].status == OutboxStatus.SENT
    assert len(smtp_server.mailbox.messages) == 1


def test_a_digest_over_a_range_of_meetings(cop: Cop) -> None:
    cop.say("enable cop-lifecycle")
    cop.advance(timedelta(weeks=13))  # meetings 1 (2027-01-12) and 2 (2027-02-23) are held, 3 is ahead
    with cop.runtime.database.session() as session:
        community = session.get_one(Community, cop.community_id)
        now = cop.clock.now()
        first = build(session, community, "field", *meeting_range(session, community, 1, 1, now))
        both = build(session, community, "field", *meeting_range(session, community, 1, 2, now))
        assert [m["number"] for m in first.meetings_held] == [1]
        assert first.period_end.startswith("2027-02-23")  # until meeting 2 starts: meeting 1's evaluation is in
        assert [m["number"] for m in both.meetings_held] == [1, 2]
        with pytest.raises(ValueError, match="this community has meetings 1-14"):
            meeting_range(session, community, 3, 20, now)


def test_each_webhook_contact_has_its_own_secret_and_plain_http_is_refused(cop: Cop) -> None:
    """One organisation's secret does not sign another's digests; a digest never travels unencrypted
    (unless the operator allowed the host: an internal receiver)."""
    first = cop.say("contact Waterschap https://93.184.215.14/waterschap")
    second = cop.say("contact Ingenieursbureau https://93.184.215.14/bureau")
    assert first.split("`")[-2] != second.split("`")[-2]  # the secrets shown
    refused = cop.say("contact Waterschap http://93.184.215.14/waterschap")
    assert "https:// only" in refused
    with cop.runtime.database.session() as session:
        contacts = session.scalar(sa.select(Organisation.digest_contacts).where(Organisation.name == "Waterschap"))
    assert [c["value"] for c in contacts] == ["https://93.184.215.14/waterschap"]
