"""`/cop digest [preview|send] [<organisation>|field|initiator]` and `/cop digest list`: result digests.

A preview is shown only to whoever asked and changes nothing; sending (admins) archives the digest and
queues it to the audience's contacts, like the communication workflow does.
"""

from __future__ import annotations

import sqlalchemy as sa

from plugin.commands.access import audit_action, is_admin, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.digests import dispatch
from plugin.digests.content import FIELD, INITIATOR, gather
from plugin.digests.render import render
from plugin.storage.models import Digest, DigestDelivery, Organisation, OutboxMessage
from plugin.texts import label, text

SHOWN = 10


def _may_preview(ctx: CommandContext, audience: str) -> bool:
    """An organisation's digest holds the highlights its own members consented to share with it: only
    they and the admins preview it. The initiator's is for admins; the field's (consented and
    aggregated, for everyone) for every member."""
    if audience == FIELD or is_admin(ctx):
        return True
    member = ctx.member
    if audience == INITIATOR or member is None or member.organisation_id is None:
        return False
    organisation = ctx.session.get(Organisation, member.organisation_id)
    return organisation is not None and organisation.name == audience


class DigestCommand(CommandBase):
    name = "digest"
    hint = "[preview|send|list] [<organisation>|field|initiator]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.community is not None
        action = ctx.args[0].lower() if ctx.args else "preview"
        if action not in ("preview", "send", "list"):
            return Reply(text("usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)
        if action == "list":
            return self._archive(ctx)
        asked = ctx.invocation.free_text(2) or FIELD
        audience = dispatch.audience_named(ctx.session, ctx.community, asked)
        if audience is None:
            return Reply(text("digest.unknown_audience", ctx.language, name=asked), personal=True)
        if action == "preview":
            if not _may_preview(ctx, audience):
                return Reply(text("digest.preview_refused", ctx.language, audience=audience), personal=True)
            content = gather(ctx.session, ctx.community, audience, "last", ctx.now)
            return Reply(render(content, {}).markdown, personal=True)
        if not is_admin(ctx):
            return Reply(text("need.admin", ctx.language, command="digest send"), personal=True)
        digest = dispatch.archive(ctx.session, ctx.community, audience, "last", ctx.now)
        deliveries = dispatch.queue_deliveries(ctx.session, ctx.community, digest, ctx.now)
        audit_action(ctx, "digest.send", digest=digest.id, audience=audience, deliveries=len(deliveries))
        key = "digest.queued" if deliveries else "digest.no_contacts"
        return Reply(text(key, ctx.language, number=digest.id, audience=audience, count=len(deliveries)),
                     personal=True)

    def _archive(self, ctx: CommandContext) -> Reply:
        assert ctx.community is not None
        digests = list(ctx.session.scalars(sa.select(Digest).where(Digest.community_id == ctx.community.id)
                                           .order_by(Digest.id.desc()).limit(SHOWN)))
        if not digests:
            return Reply(text("digest.none", ctx.language), personal=True)
        rows = ctx.session.execute(sa.select(DigestDelivery, OutboxMessage.status).join(
            OutboxMessage, DigestDelivery.outbox_message_id == OutboxMessage.id).where(
            DigestDelivery.digest_id.in_([d.id for d in digests])))
        statuses: dict[int, list[str]] = {}
        for delivery, status in rows:
            statuses.setdefault(delivery.digest_id, []).append(
                f"{label('channel', delivery.channel, ctx.language)} {label('outbox', status.value, ctx.language)}")
        lines = [text("digest.archive_title", ctx.language)]
        lines += [text("digest.archive_line", ctx.language, number=d.id, date=d.created_at.date().isoformat(),
                       audience=d.audience, deliveries=", ".join(statuses.get(d.id, [])) or "-") for d in digests]
        return Reply("\n".join(lines), personal=True)
