"""`/cop notes` (a member's own notes: intake, learning goals, highlights, logbook) and
`/cop consent yes|no` (may Kring share what you did and learned with your home organisation?)."""

from __future__ import annotations

from plugin.commands.access import refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.commands.journal import entry_line
from plugin.cop import journal
from plugin.cop.member_data import member_record
from plugin.engine.journal import EntryKind
from plugin.localized import duration
from plugin.pages.links import LINK_VALIDITY, MEMBER, make_link
from plugin.runtime import signer_for
from plugin.texts import label, text

PERSONAL_KINDS = (EntryKind.GOAL, EntryKind.HIGHLIGHT, EntryKind.LOG)
SHOWN_PER_KIND = 10
YES, NO = ("yes", "ja", "y", "j"), ("no", "nee", "n")


class NotesCommand(CommandBase):
    name = "notes"
    hint = "[export]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        member = ctx.member
        if ctx.args and ctx.args[0].lower() == "export":
            return Reply("\n".join(member_record(ctx.session, member, ctx.language)), personal=True)
        lines = [text("notes.title", ctx.language, name=member.name)]
        if member.profile:
            lines.append(text("notes.intake", ctx.language))
            lines += [f"- {label('profile', field, ctx.language)}: {value}"
                      for field, value in sorted(member.profile.items())]
        for kind in PERSONAL_KINDS:
            own = [e for e in journal.entries(ctx.session, ctx.community.id, kind, reader=member.id)
                   if e.member_id == member.id]
            if own:
                lines.append(text(f"notes.{kind.value}", ctx.language, count=len(own)))
                lines += [entry_line(e, {}) for e in own[-SHOWN_PER_KIND:]]
        lines.append(text("notes.consent_yes" if member.consent else "notes.consent_no", ctx.language))
        if ctx.config.public_url:
            token = make_link(signer_for(ctx.config), ctx.community.id, member.platform_user_id, ctx.now, MEMBER)
            lines.append(text("notes.own_page", ctx.language, within=duration(LINK_VALIDITY, ctx.language),
                              url=f"{ctx.config.public_url.rstrip('/')}/pages/login?t={token}"))
        return Reply("\n".join(lines), personal=True)


class ConsentCommand(CommandBase):
    name = "consent"
    hint = "[yes|no]"
    private = True

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.member is not None
        if not ctx.args:
            return Reply(text("consent.explain", ctx.language,
                              now=text("consent.given" if ctx.member.consent else "consent.not_given", ctx.language)),
                         personal=True)
        word = ctx.args[0].lower()
        if word not in YES + NO:
            return Reply(text("usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)
        ctx.member.consent = word in YES
        return Reply(text("consent.given" if ctx.member.consent else "consent.not_given", ctx.language),
                     personal=True)
