"""`kring community …`: link platform groups to communities, look at and change them."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import click
from sqlalchemy.orm import Session

from plugin.cli.app import ROW_ID, CliContext, pass_context
from plugin.errors import PlatformError
from plugin.platforms.base import GroupJoin, GroupLookup, GroupMember, MemberDirectory
from plugin.platforms.connector import Capability
from plugin.platforms.registry import CONNECTORS
from plugin.storage.models import Community
from plugin.storage.states import MemberRole, Openness

Feature = TypeVar("Feature")


def _feature(cli: CliContext, platform: str, kind: type[Feature], needed_for: str) -> Feature:
    """The platform's ``kind`` with Kring's credentials, for looking names up; a clear error without."""
    connector = cli.connectors[platform]
    found = connector.feature(kind)
    if found is None:
        missing = (f"Kring's {platform} credentials (`kring install {platform}` or {connector.settings})"
                   if connector.outbound is None else f"a platform that can do it; {connector.title} cannot")
        raise click.ClickException(f"{needed_for} needs {missing}")
    return found


def _group(cli: CliContext, platform: str, group: str, team_id: str | None) -> tuple[str, str | None]:
    """`--group team/channel` (the names in the group's URL) as the group's id and its team's id."""
    if "/" not in group:
        return group, team_id
    lookup = _feature(cli, platform, GroupLookup, "a group given by name")
    try:
        group_id, its_team = lookup.group_named(group)
    except PlatformError as exc:
        kind = CONNECTORS[platform]
        raise click.ClickException(f"no {kind.title} {kind.group_noun} {group} ({exc})") from exc
    return group_id, team_id or its_team


def _admins(cli: CliContext, platform: str, given: tuple[str, ...]) -> list[GroupMember]:
    """The admins named by `--admin`: an @username is looked up on the platform, anything else is a user id."""
    directory = (_feature(cli, platform, MemberDirectory, "an admin given as @username")
                 if any(value.startswith("@") for value in given) else None)
    found = []
    for value in given:
        if directory is None or not value.startswith("@"):
            found.append(GroupMember(value, "", value, True))
            continue
        try:
            found.append(directory.user_named(value[1:]))
        except PlatformError as exc:
            raise click.ClickException(f"no {platform} user {value} ({exc})") from exc
    return found


@click.group(help="Link platform groups to Kring communities.")
def community() -> None:
    pass


@community.command("add", help="Make a Mattermost channel or Discourse category a Kring community.")
@click.option("--platform", type=click.Choice(sorted(CONNECTORS)), required=True)
@click.option("--group", "group_id", required=True,
              help="Mattermost channel id or team/channel (the names in its URL); Discourse category id.")
@click.option("--name", required=True, help="The community's name.")
@click.option("--team", "team_id", default=None, help="Mattermost team id.")
@click.option("--language", type=click.Choice(["nl", "en"]), default=None, help="Default: KRING_LANGUAGE.")
@click.option("--timezone", default=None, help="IANA time zone; default: KRING_TIMEZONE.")
@click.option("--start", "start_date", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First meeting date.")
@click.option("--cadence", type=click.IntRange(1, 52), default=6, show_default=True, help="Weeks between meetings.")
@click.option("--months", type=click.IntRange(1, 120), default=18, show_default=True, help="Length of the run.")
@click.option("--open", "is_open", is_flag=True, help="An open CoP (anyone interested may join).")
@click.option("--admin", "admins", multiple=True,
              help="An admin: @username (looked up on the platform) or platform user id (repeatable).")
@click.option("--member-group", default=None, help="Discourse: the group whose users are the members.")
@pass_context
def community_add(cli: CliContext, platform: str, group_id: str, name: str, team_id: str | None,
                  language: str | None, timezone: str | None, start_date: datetime | None, cadence: int, months: int,
                  is_open: bool, admins: tuple[str, ...], member_group: str | None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from plugin.storage.communities import add_community, upsert_member

    config = cli.config
    zone = timezone or config.timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise click.BadParameter(f"unknown time zone {zone!r}", param_hint="--timezone") from exc
    group_id, team_id = _group(cli, platform, group_id, team_id)
    people = _admins(cli, platform, admins)
    with cli.database.session() as session:
        try:
            created = add_community(
                session, platform=platform, group_id=group_id, name=name, team_id=team_id,
                language=language or config.language, timezone=zone, now=cli.clock.now(),
                start_date=start_date.date() if start_date is not None else None,
                cadence_weeks=cadence, run_months=months, openness=Openness.OPEN if is_open else Openness.CLOSED,
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        created.member_group = member_group
        for person in people:
            upsert_member(session, community_id=created.id, user_id=person.user_id, name=person.name,
                          username=person.username or None, organisation=None, role=MemberRole.ADMIN,
                          now=cli.clock.now())
        click.echo(f"Community {created.id} '{created.name}' linked to {platform} group {group_id}"
                   + (f", admins {', '.join(admins)}." if admins else "."))
    _join(cli, platform, group_id)


def _join(cli: CliContext, platform: str, group_id: str) -> None:
    """Kring's bot joins the group where the platform needs that; what went wrong is said, not fatal."""
    joiner = cli.connectors[platform].feature(GroupJoin)
    if joiner is None:
        return
    try:
        joiner.join(group_id)
    except PlatformError as exc:
        click.echo(f"  Kring's bot could not join {group_id} ({exc}); add it to the channel by hand "
                   "(a private channel needs a channel admin).", err=True)
    else:
        click.echo(f"  Kring's bot is in {group_id}.")


@community.command("sync", help="Add the platform group's users as members (channel admins become admins).")
@click.argument("community_id", type=ROW_ID)
@pass_context
def community_sync(cli: CliContext, community_id: int) -> None:
    from plugin.queue.unit_of_work import unit_of_work
    from plugin.storage.models import Community
    from plugin.workflows.membership import member_source, sync_members

    runtime = cli.runtime()
    with unit_of_work(runtime) as session:
        found = session.get(Community, community_id)
        if found is None:
            raise click.ClickException(f"there is no community {community_id} (see `kring community list`)")
        connector = runtime.connector(found.platform)
        if connector.outbound is None:
            raise click.ClickException(f"Kring has no {found.platform} credentials; "
                                       f"run `kring install {found.platform}`")
        directory = connector.feature(MemberDirectory)
        if directory is None:
            raise click.ClickException(f"listing group members is not available on {found.platform}; "
                                       "add members with `kring member add`")
        if Capability.MEMBER_GROUPS in connector.capabilities and not found.member_group:
            raise click.ClickException(f"this {connector.title} community has no member group; link one with "
                                       "`kring community add … --member-group NAME`")
        synced = sync_members(session, found, directory.group_members(member_source(found)), runtime.clock.now())
    click.echo(f"{found.name}: {synced.added} member(s) added, {synced.updated} updated, "
               f"{synced.left} left the group (kept with their contributions, no longer asked), "
               f"{synced.returned} back.")


@community.command("list", help="List the communities Kring knows.")
@pass_context
def community_list(cli: CliContext) -> None:
    from plugin.storage.communities import list_communities

    with cli.database.session() as session:
        communities = list_communities(session)
        if not communities:
            click.echo("No communities yet. Add one with `kring community add`.")
        for item in communities:
            click.echo(f"{item.id}\t{item.platform}\t{item.external_group_id}\t{item.language}\t{item.name}")


def _community(session: Session, community_id: int) -> Community:
    found = session.get(Community, community_id)
    if found is None:
        raise click.ClickException(f"there is no community {community_id} (see `kring community list`)")
    return found


@community.command("show", help="Show a community: its settings, members, organisations and workflows.")
@click.argument("community_id", type=ROW_ID)
@pass_context
def community_show(cli: CliContext, community_id: int) -> None:
    from plugin.cop.calendar_feed import feed_path
    from plugin.storage.communities import community_counts

    with cli.database.session() as session:
        found = _community(session, community_id)
        counts = community_counts(session, found.id)
        click.echo(f"{found.id} {found.name}: {found.platform} group {found.external_group_id}"
                   + (f" (team {found.team_id})" if found.team_id else ""))
        click.echo(f"  language {found.language}, time zone {found.timezone}, {found.openness} CoP")
        click.echo(f"  a meeting every {found.meeting_cadence_weeks} weeks for {found.run_length_months} months"
                   + (f", from {found.start_date}" if found.start_date else ", no start date yet"))
        click.echo(f"  {counts.members} members from {counts.organisations} organisations; "
                   f"workflows: {', '.join(counts.workflows) or 'none'}")
        path = feed_path(cli.config.secret_key, found.id)
        click.echo(f"  calendar feed: {cli.config.public_url.rstrip('/') + path if cli.config.public_url else path} "
                   "(secret: members subscribe to it; a new KRING_SECRET_KEY gives a new address)")


@community.command("update", help="Change a community's name, language, time zone, calendar or openness.")
@click.argument("community_id", type=ROW_ID)
@click.option("--name", default=None)
@click.option("--language", type=click.Choice(["nl", "en"]), default=None)
@click.option("--timezone", default=None, help="IANA time zone.")
@click.option("--start", "start_date", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First meeting date.")
@click.option("--cadence", type=click.IntRange(1, 52), default=None, help="Weeks between meetings.")
@click.option("--months", type=click.IntRange(1, 120), default=None, help="Length of the run.")
@click.option("--open/--closed", "is_open", default=None, help="Anyone interested may join, or by invitation.")
@pass_context
def community_update(cli: CliContext, community_id: int, name: str | None, language: str | None,
                     timezone: str | None, start_date: datetime | None, cadence: int | None, months: int | None,
                     is_open: bool | None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from plugin.queue.unit_of_work import unit_of_work
    from plugin.workflows.meetings import plan_meetings

    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise click.BadParameter(f"unknown time zone {timezone!r}", param_hint="--timezone") from exc
    changes = {"name": name, "language": language, "timezone": timezone, "meeting_cadence_weeks": cadence,
               "run_length_months": months, "start_date": start_date.date() if start_date else None,
               "openness": None if is_open is None else Openness.OPEN if is_open else Openness.CLOSED}
    given = {key: value for key, value in changes.items() if value is not None}
    if not given:
        raise click.UsageError("nothing to change: give at least one option (see --help)")
    runtime = cli.runtime()
    calendar = {"start_date", "meeting_cadence_weeks", "run_length_months", "timezone"} & given.keys()
    with unit_of_work(runtime) as session:
        found = _community(session, community_id)
        for key, value in given.items():
            setattr(found, key, value)
        planned = len(plan_meetings(session, found, runtime.clock.now())) if calendar else 0
    click.echo(f"Community {community_id} updated: {', '.join(f'{k}={v}' for k, v in given.items())}.")
    if calendar:
        click.echo(f"  {planned} meetings in the calendar; those planned before keep their dates "
                   "(move one with `/cop meeting move`).")


@community.command("remove", help="Delete a community and everything Kring recorded of it (asks for --yes).")
@click.argument("community_id", type=ROW_ID)
@click.option("--yes", is_flag=True, help="Yes: delete its members, records, polls, digests and workflows.")
@pass_context
def community_remove(cli: CliContext, community_id: int, yes: bool) -> None:
    import sqlalchemy as sa

    from plugin.storage.undelivered import unsent as unsent_of

    with cli.database.session() as session:
        found = _community(session, community_id)
        if not yes:
            raise click.ClickException(f"this deletes {found.name} and all Kring recorded of it; "
                                       "say so with --yes (the platform's channel or category stays)")
        unsent = unsent_of(session, community_id)
        for message in unsent:
            session.delete(message)
        session.execute(sa.delete(Community).where(Community.id == community_id))  # the database cascades
    click.echo(f"Community {community_id} '{found.name}' removed, with {len(unsent)} unsent message(s).")
