"""`/cop contact [<organisation> <@user | e-mail | https://webhook> | <organisation> remove]` (admins):
who at each home organisation receives its digests (step 3 of the toolbox)."""

from __future__ import annotations

import re
import shlex

import sqlalchemy as sa

from plugin.channels.ssrf import check_url, is_allowed
from plugin.channels.webhook import webhook_secret
from plugin.commands.access import audit_action, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.errors import UnsafeTarget
from plugin.storage.models import Organisation
from plugin.texts import text

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEBHOOK = re.compile(r"^https?://[^\s/]+(/\S*)?$")
#: `http://` only for a host the operator allowed (KRING_WEBHOOK_ALLOWED_HOSTS: an internal receiver).
PLAIN_HTTP = "http://"
USER = re.compile(r"^@[\w.\-]{1,64}$")


def contact_kind(value: str) -> str | None:
    """user, email or webhook; None for anything else."""
    if USER.match(value):
        return "user"
    if EMAIL.match(value):
        return "email"
    if WEBHOOK.match(value):
        return "webhook"
    return None


class ContactCommand(CommandBase):
    name = "contact"
    hint = "[<organisation> <@user|e-mail|https://…> | <organisation> remove]"
    private = True  # a webhook address may hold a token

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True):
            return refused
        assert ctx.community is not None
        organisations = list(ctx.session.scalars(sa.select(Organisation).where(
            Organisation.community_id == ctx.community.id).order_by(Organisation.name)))
        if not ctx.args:
            lines = [text("contact.line", ctx.language, name=o.name, contacts=", ".join(
                c["value"] for c in o.digest_contacts) or text("contact.missing", ctx.language))
                for o in organisations]
            return Reply("\n".join([text("contact.title", ctx.language), *lines]), personal=True)
        try:
            words = shlex.split(ctx.invocation.text)[1:]
        except ValueError:
            words = []
        if len(words) != 2:
            return Reply(text("usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)
        name, value = words
        organisation = next((o for o in organisations if o.name.lower() == name.lower()), None)
        if organisation is None:
            return Reply(text("coalition.unknown_org", ctx.language, names=name,
                              known=", ".join(o.name for o in organisations) or "-"), personal=True)
        if value.lower() in ("remove", "verwijder"):
            organisation.digest_contacts = []
            audit_action(ctx, "contact.remove", organisation=organisation.name)
            return Reply(text("contact.removed", ctx.language, name=organisation.name), personal=True)
        kind = contact_kind(value)
        if kind is None:
            return Reply(text("contact.invalid", ctx.language, value=value), personal=True)
        if kind == "webhook":
            try:
                check_url(value, ctx.config.webhook_allowed_hosts)
            except UnsafeTarget as exc:
                return Reply(text("contact.unsafe", ctx.language, value=value, reason=exc), personal=True)
            if value.lower().startswith(PLAIN_HTTP) and not is_allowed(value, ctx.config.webhook_allowed_hosts):
                return Reply(text("contact.https_only", ctx.language, value=value), personal=True)
        contacts = [c for c in organisation.digest_contacts if c["value"] != value]
        organisation.digest_contacts = [*contacts, {"kind": kind, "value": value}]
        audit_action(ctx, "contact.add", organisation=organisation.name, kind=kind)
        added = text("contact.added", ctx.language, name=organisation.name, value=value)
        if kind == "webhook":
            added += " " + text("contact.webhook_secret", ctx.language,
                                secret=webhook_secret(ctx.config.secret_key, ctx.community.id, value))
        return Reply(added, personal=True)
