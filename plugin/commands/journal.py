"""Commands that add to the community's journal and list it: `/cop signal`, `/cop coalition`,
`/cop log`, `/cop goal`. With text they record; without, they list (private entries to their owner only)."""

from __future__ import annotations

import re
import shlex

import sqlalchemy as sa

from plugin.commands.access import refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.cop import journal
from plugin.engine.inert import inert
from plugin.engine.journal import EntryKind
from plugin.storage.models import JournalEntry, Organisation
from plugin.texts import text

SHOWN = 15
LINK = re.compile(r"^https?://\S+$")


def listing(ctx: CommandContext, kind: EntryKind, title_key: str, empty_key: str) -> Reply:
    assert ctx.community is not None
    member = ctx.member
    found = journal.entries(ctx.session, ctx.community.id, kind, reader=member.id if member else None)
    names = journal.member_names(ctx.session, ctx.community.id)
    if not found:
        return Reply(text(empty_key, ctx.language), personal=True)
    lines = [text(title_key, ctx.language, count=len(found))]
    lines += [entry_line(entry, names) for entry in found[-SHOWN:]]
    return Reply("\n".join(lines), personal=True)


def entry_line(entry: JournalEntry, names: dict[int, str]) -> str:
    by = f" — {inert(names[entry.member_id])}" if entry.member_id in names and not entry.private else ""
    link = f" ({inert(entry.link)})" if entry.link else ""
    return f"{entry.number}. {entry.created_at.date().isoformat()}: {inert(entry.text)}{link}{by}"


class SignalCommand(CommandBase):
    name = "signal"
    hint = "[<text> [link]]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        if not ctx.args:
            return listing(ctx, EntryKind.SIGNAL, "signal.list", "signal.none")
        said = ctx.invocation.free_text(1)
        last = said.split()[-1]
        link = last if len(said.split()) > 1 and LINK.match(last) else None
        body = said[:said.rfind(last)].strip() if link else said
        entry = journal.add_entry(ctx.session, ctx.community.id, EntryKind.SIGNAL, body, ctx.now,
                                  member_id=ctx.member.id, link=link)
        return Reply(text("signal.recorded", ctx.language, number=entry.number), in_channel=True)


class CoalitionCommand(CommandBase):
    name = "coalition"
    hint = 'add <organisation> <organisation> <what> | list'

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        if not ctx.args or ctx.args[0].lower() == "list":
            return listing(ctx, EntryKind.COALITION, "coalition.list", "coalition.none")
        try:
            words = shlex.split(ctx.invocation.text)[2:] if ctx.args[0].lower() == "add" else []
        except ValueError:
            words = []
        if len(words) < 3:
            return Reply(text("coalition.usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)
        organisations = {o.name.lower(): o for o in ctx.session.scalars(
            sa.select(Organisation).where(Organisation.community_id == ctx.community.id))}
        pair = [organisations.get(word.lower()) for word in words[:2]]
        unknown = [word for word, found in zip(words[:2], pair, strict=True) if found is None]
        if unknown:
            known = ", ".join(sorted(o.name for o in organisations.values())) or "-"
            return Reply(text("coalition.unknown_org", ctx.language, names=", ".join(unknown), known=known),
                         personal=True)
        first, second = (o for o in pair if o is not None)
        if first.id == second.id:
            return Reply(text("coalition.same_org", ctx.language), personal=True)
        what = " ".join(words[2:]) + (f"\n{ctx.invocation.more}" if ctx.invocation.more else "")
        entry = journal.add_entry(ctx.session, ctx.community.id, EntryKind.COALITION,
                                  f"{first.name} + {second.name}: {what}", ctx.now, member_id=ctx.member.id,
                                  data={"organisations": [first.name, second.name], "what": what})
        return Reply(text("coalition.recorded", ctx.language, number=entry.number, first=first.name,
                          second=second.name), in_channel=True)


class PersonalEntryCommand(CommandBase):
    """A private journal line of the invoking member: a logbook entry or a learning goal."""

    hint = "[<text>]"
    private = True

    def __init__(self, name: str, kind: EntryKind) -> None:
        self.name = name
        self.kind = kind

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        if not ctx.args:
            return listing(ctx, self.kind, f"{self.name}.list", f"{self.name}.none")
        entry = journal.add_entry(ctx.session, ctx.community.id, self.kind, ctx.invocation.free_text(1), ctx.now,
                                  member_id=ctx.member.id, private=True)
        return Reply(text(f"{self.name}.recorded", ctx.language, number=entry.number), personal=True)
