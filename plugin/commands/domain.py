"""`/cop domain [adopt <text>]`: the CoP's domain statement, its versions, and adopting a new one
(admins and facilitators; the group can also adopt one by vote in the domain-definition workflow)."""

from __future__ import annotations

from plugin.commands.access import audit_action, is_admin_or_facilitator, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.cop import journal
from plugin.engine.inert import inert
from plugin.engine.journal import EntryKind
from plugin.texts import text


class DomainCommand(CommandBase):
    name = "domain"
    hint = "[adopt <text>]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self):
            return refused
        assert ctx.community is not None
        if ctx.args and ctx.args[0].lower() == "adopt":
            member = ctx.member
            if not is_admin_or_facilitator(ctx):
                return Reply(text("domain.need_facilitator", ctx.language), personal=True)
            statement = ctx.invocation.free_text(2)
            if not statement:
                return Reply(text("usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)
            entry = journal.add_entry(ctx.session, ctx.community.id, EntryKind.DOMAIN, statement, ctx.now,
                                      member_id=member.id if member else None, data={"adopted_by": "facilitators"})
            ctx.community.domain_statement = entry.text
            audit_action(ctx, "domain.adopt", version=entry.number)
            return Reply(text("domain.adopted", ctx.language, version=entry.number, statement=inert(entry.text)),
                         in_channel=True)
        versions = journal.entries(ctx.session, ctx.community.id, EntryKind.DOMAIN)
        if not versions:
            return Reply(text("domain.none", ctx.language))
        lines = [text("domain.current", ctx.language, version=versions[-1].number, statement=versions[-1].text)]
        lines += [text("domain.version", ctx.language, version=v.number, date=v.created_at.date().isoformat(),
                       statement=v.text) for v in reversed(versions[:-1])]
        return Reply("\n".join(lines))
