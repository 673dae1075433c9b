"""Without an operator's exception, a digest webhook never reaches a loopback or private address."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.storage.models import Organisation, OutboxMessage
from plugin.storage.states import OutboxStatus
from tests.digests.conftest import WebhookReceiver
from tests.workflows.conftest import Cop


def test_webhooks_to_loopback_private_and_metadata_addresses_are_refused(cop: Cop,
                                                                         webhook_receiver: WebhookReceiver) -> None:
    for url in (webhook_receiver.url, "http://10.0.0.8/hook", "http://169.254.169.254/latest/meta-data/"):
        answer = cop.say(f"contact Waterschap {url}")
        assert f"`{url}` is not used:" in answer and "not a public address" in answer
    assert "Waterschap: nobody yet" in cop.say("contact")
    # A contact stored before the rules changed (or whose name now resolves inwards) is refused at sending.
    with cop.runtime.database.session() as session:
        organisation = session.scalars(sa.select(Organisation).where(Organisation.name == "Waterschap")).one()
        organisation.digest_contacts = [{"kind": "webhook", "value": webhook_receiver.url}]
    cop.say("digest send Waterschap")
    with cop.runtime.database.session() as session:
        message = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.operation == "digest")).one()
        assert message.status == OutboxStatus.FAILED and "not a public address" in (message.last_error or "")
    assert webhook_receiver.received == []
