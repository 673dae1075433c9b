"""`kring member …`: a community's members, as an operator adds, changes and removes them."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from plugin.cli.app import ROW_ID, CliContext, pass_context
from plugin.storage.models import Community, Member
from plugin.storage.states import MemberRole, Orientation

community_option = click.option("--community", "community_id", type=ROW_ID, required=True,
                                help="Community id (`kring community list`).")
user_option = click.option("--user", "user_id", required=True, help="Platform user id (`kring member list`).")


@click.group(help="Manage the members of a community.")
def member() -> None:
    pass


@member.command("add", help="Add (or update) a member of a community.")
@community_option
@click.option("--user", "user_id", required=True, help="Platform user id.")
@click.option("--name", required=True, help="Display name.")
@click.option("--username", default=None, help="Platform user name (Discourse private messages use it).")
@click.option("--organisation", default=None, help="Home organisation (created if new).")
@click.option("--role", type=click.Choice([r.value for r in MemberRole]), default="member", show_default=True)
@pass_context
def member_add(cli: CliContext, community_id: int, user_id: str, name: str, username: str | None,
               organisation: str | None, role: str) -> None:
    from plugin.storage.communities import upsert_member

    with cli.database.session() as session:
        try:
            added = upsert_member(session, community_id=community_id, user_id=user_id, name=name, username=username,
                                  organisation=organisation, role=MemberRole(role), now=cli.clock.now())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Member {added.id} {added.name} ({added.role}) in community {community_id}.")


@member.command("list", help="A community's members: role, organisation and sector, orientation, core group.")
@community_option
@click.option("--all", "everyone", is_flag=True, help="Also those who left.")
@pass_context
def member_list(cli: CliContext, community_id: int, everyone: bool) -> None:
    import sqlalchemy as sa

    from plugin.storage.models import Member, Organisation

    with cli.database.session() as session:
        rows = session.execute(sa.select(Member, Organisation).outerjoin(
            Organisation, Organisation.id == Member.organisation_id).where(Member.community_id == community_id)
            .order_by(Member.id)).all()
        shown = [(m, o) for m, o in rows if everyone or m.left_at is None]
        if not shown:
            click.echo(f"No members in community {community_id}. Add them with `kring member add` or "
                       "`kring community sync`.")
        for person, organisation in shown:
            where = f"{organisation.name} ({organisation.sector or 'sector ?'})" if organisation else "organisation ?"
            extra = [person.orientation.value if person.orientation else "orientation ?",
                     *(["core group"] if person.core_group else []),
                     *([f"left {person.left_at:%Y-%m-%d}"] if person.left_at else [])]
            click.echo(f"{person.platform_user_id}\t{person.name}\t@{person.username or '?'}\t{person.role.value}\t"
                       f"{where}\t{', '.join(extra)}")


@member.command("update", help="Change a member: role, organisation and its sector, orientation, core group.")
@community_option
@user_option
@click.option("--name", default=None)
@click.option("--username", default=None)
@click.option("--role", type=click.Choice([r.value for r in MemberRole]), default=None)
@click.option("--organisation", default=None, help="Home organisation (created if new).")
@click.option("--sector", default=None, help="The sector of the member's organisation (the composition report).")
@click.option("--orientation", type=click.Choice([o.value for o in Orientation]), default=None)
@click.option("--core/--no-core", "core_group", default=None, help="In the core group, or not.")
@pass_context
def member_update(cli: CliContext, community_id: int, user_id: str, name: str | None, username: str | None,
                  role: str | None, organisation: str | None, sector: str | None, orientation: str | None,
                  core_group: bool | None) -> None:
    from plugin.storage.communities import find_member, organisation_named
    from plugin.storage.models import Organisation

    with cli.database.session() as session:
        person = find_member(session, community_id, user_id)
        if person is None:
            raise click.ClickException(f"no member {user_id} in community {community_id} (see `kring member list`)")
        if organisation is not None:
            person.organisation_id = organisation_named(session, community_id, organisation).id
        if sector is not None:
            if person.organisation_id is None:
                raise click.UsageError("the member has no organisation: give --organisation with --sector")
            session.get_one(Organisation, person.organisation_id).sector = sector
        for key, value in (("name", name), ("username", username), ("role", role and MemberRole(role)),
                           ("orientation", orientation and Orientation(orientation)), ("core_group", core_group)):
            if value is not None:
                setattr(person, key, value)
        session.flush()
        click.echo(f"Member {person.name} ({person.role.value}) of community {community_id} updated.")


@member.command("remove", help="A member left: kept with their contributions, never asked or assigned again.")
@community_option
@user_option
@pass_context
def member_remove(cli: CliContext, community_id: int, user_id: str) -> None:
    from plugin.queue.unit_of_work import unit_of_work
    from plugin.workflows.membership import mark_left

    runtime = cli.runtime()
    with unit_of_work(runtime) as session:
        person, found = _member_of(session, community_id, user_id)
        if person.left_at is not None:
            click.echo(f"{person.name} left on {person.left_at:%Y-%m-%d} already.")
            return
        mark_left(session, found, person, runtime.clock.now())
    click.echo(f"{person.name} has left community {community_id}: kept with their contributions, no longer "
               "asked, reminded or assigned (their coming facilitator roles are handed over).")


@member.command("forget", help="Erase a member's personal data (GDPR): a pseudonym instead of their name, their "
                               "private notes deleted, their contributions kept only as anonymous counts.")
@community_option
@user_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (it cannot be undone).")
@pass_context
def member_forget(cli: CliContext, community_id: int, user_id: str, yes: bool) -> None:
    from plugin.queue.unit_of_work import unit_of_work
    from plugin.storage.forget import forget_member
    from plugin.texts import text
    from plugin.workflows.membership import mark_left

    if not yes:  # asked before any transaction opens: no lock is held while the operator thinks
        with cli.database.session() as session:
            person, found = _member_of(session, community_id, user_id)
            click.confirm(f"Erase {person.name}'s personal data in {found.name}? This cannot be undone", abort=True)
    runtime = cli.runtime()
    with unit_of_work(runtime) as session:
        person, found = _member_of(session, community_id, user_id)
        if person.left_at is None:
            mark_left(session, found, person, runtime.clock.now())  # no longer asked; coming roles handed over
        forgotten = forget_member(session, person, text("member.pseudonym", found.language, number=person.id))
    click.echo(f"{user_id} is now '{forgotten.pseudonym}': {forgotten.private_notes} private notes deleted, the text "
               f"of {forgotten.answers} answers erased (still counted), {forgotten.public_entries} public entries "
               f"kept without an author, the name replaced in {forgotten.digests} archived digests. Posts already "
               "made on the platform are the platform's to remove.")


def _member_of(session: Session, community_id: int, user_id: str) -> tuple[Member, Community]:
    from plugin.storage.communities import find_member

    person, found = find_member(session, community_id, user_id), session.get(Community, community_id)
    if person is None or found is None:
        raise click.ClickException(f"no member {user_id} in community {community_id} (see `kring member list`)")
    return person, found
