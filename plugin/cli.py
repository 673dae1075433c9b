"""The `kring` command line: thin commands that wire things together and hold no business logic."""

from __future__ import annotations

import atexit
import logging
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plugin import __version__
from plugin.cli_digest import digest
from plugin.config import Config, load_config
from plugin.errors import ConfigError, KringError, PlatformError
from plugin.logs import configure_logging
from plugin.runtime import PLATFORM_SETTINGS, Runtime, build_runtime, platform_clients, sealer_for
from plugin.storage.states import MemberRole, Openness, Platform

if TYPE_CHECKING:
    from plugin.platforms.base import GroupMember, PlatformClient
    from plugin.storage.database import Database

EXIT_USAGE = 2


class KringGroup(click.Group):
    """Turns Kring's own errors into one clear message and exit code 2, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo("kring: invalid configuration:", err=True)
            for problem in exc.problems:
                click.echo(f"  - {problem}", err=True)
            sys.exit(EXIT_USAGE)
        except KringError as exc:
            click.echo(f"kring: {exc}", err=True)
            sys.exit(EXIT_USAGE)


def _started_runtime(config: Config, for_worker: bool = False) -> Runtime:
    """A migrated runtime whose connections close at exit, before an embedded Redis decides whether
    it is still in use (it stops when its last client leaves)."""
    runtime = build_runtime(config, for_worker=for_worker)
    atexit.register(runtime.close)
    runtime.database.ensure_migrated()
    return runtime


def _config() -> Config:
    config = load_config()
    configure_logging(config.log_level, config.log_format)
    return config


@click.group(cls=KringGroup, help="Kring: a Community of Practice toolbox inside Mattermost and Discourse.")
@click.version_option(__version__, prog_name="kring")
def main() -> None:
    pass


@main.command(help="Serve the webhook endpoints over HTTP (waitress).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Worker threads.")
def serve(host: str, port: int, threads: int) -> None:
    import waitress

    from webhooks import create_app
    from webhooks.metrics import RequestIdFilter

    runtime = _started_runtime(_config())
    for handler in logging.getLogger().handlers:
        handler.addFilter(RequestIdFilter())
    # Exit normally on SIGTERM so clean-up (the embedded Redis) runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"Kring {__version__} listening on http://{host}:{port} (database {runtime.database.display_url})")
    waitress.serve(create_app(runtime=runtime), host=host, port=port, threads=threads, ident="Kring")


@main.command(help="Run the background worker: RQ jobs plus the sweeper that queues due work.")
@click.option("--burst", is_flag=True, help="Work until the queue is empty, then stop.")
def worker(burst: bool) -> None:
    from rq import SimpleWorker

    from plugin.queue.jobs import use_runtime
    from plugin.queue.sweeper import Sweeper, sweep_once

    config = _config()
    runtime = _started_runtime(config, for_worker=True)
    use_runtime(runtime)
    click.echo(f"Kring worker on queue {config.queue_name!r} (database {runtime.database.display_url})")
    rq_worker = SimpleWorker([runtime.queue], connection=runtime.redis)
    if burst:
        sweep_once(runtime)
        rq_worker.work(burst=True, logging_level=config.log_level)
        return
    sweeper = Sweeper(runtime, config.sweep_interval)
    sweeper.start()
    try:
        rq_worker.work(logging_level=config.log_level)
    finally:
        sweeper.stop()


@main.group(help="Database schema: migrate and inspect.")
def db() -> None:
    pass


@db.command(help="Create or migrate the database schema to this version of Kring.")
def upgrade() -> None:
    from plugin.storage.database import Database

    config = _config()
    database = Database(config.database_url)
    before = database.current_revision()
    database.upgrade(sealer=sealer_for(config))
    after = database.current_revision()
    click.echo(f"Database {database.display_url}: {before or 'empty'} -> {after}")


@db.command(help="Show the schema revision of the database and the one this Kring needs.")
def status() -> None:
    from plugin.storage.database import Database

    database = Database(_config().database_url)
    current, head = database.current_revision(), database.head_revision()
    click.echo(f"Database {database.display_url}: at {current or 'empty'}, needs {head}"
               + ("" if current == head else " - run `kring db upgrade`"))
    if current != head:
        sys.exit(1)


@main.command("config", help="Print the effective configuration (secrets masked).")
def show_config() -> None:
    config = load_config()
    rows = config.described()
    width = max(len(variable) for variable, _ in rows)
    for variable, value in rows:
        click.echo(f"{variable.ljust(width)}  {value}")


@main.group(help="Link platform groups to Kring communities.")
def community() -> None:
    pass


def _platform_client(config: Config, database: Database, platform: Platform, needed_for: str) -> PlatformClient:
    """The platform adapter with Kring's credentials, for looking names up; a clear error without them."""
    from plugin.storage.installations import load_all

    client = platform_clients(config, load_all(database, sealer_for(config))).get(platform)
    if client is None:
        raise click.ClickException(f"{needed_for} needs Kring's {platform} credentials (`kring install {platform}` "
                                   f"or {PLATFORM_SETTINGS[platform]})")
    return client


def _channel(config: Config, database: Database, group: str, team_id: str | None) -> tuple[str, str | None]:
    """`--group team/channel` (the names in the channel's URL) as a channel id and its team id."""
    from plugin.platforms.mattermost.adapter import MattermostAdapter

    if "/" not in group:
        return group, team_id
    team_name, channel_name = group.split("/", 1)
    client = _platform_client(config, database, Platform.MATTERMOST, "a channel given by name")
    assert isinstance(client, MattermostAdapter)
    try:
        channel_id, its_team = client.channel_named(team_name, channel_name)
    except PlatformError as exc:
        raise click.ClickException(f"no Mattermost channel {group} ({exc})") from exc
    return channel_id, team_id or its_team


def _admins(config: Config, database: Database, platform: Platform, given: tuple[str, ...]) -> list[GroupMember]:
    """The admins named by `--admin`: an @username is looked up on the platform, anything else is a user id."""
    from plugin.platforms.base import GroupMember, MemberDirectory

    client = (_platform_client(config, database, platform, "an admin given as @username")
              if any(value.startswith("@") for value in given) else None)
    assert client is None or isinstance(client, MemberDirectory)
    found = []
    for value in given:
        if client is None or not value.startswith("@"):
            found.append(GroupMember(value, "", value, True))
            continue
        try:
            found.append(client.user_named(value[1:]))
        except PlatformError as exc:
            raise click.ClickException(f"no {platform} user {value} ({exc})") from exc
    return found


@community.command("add", help="Make a Mattermost channel or Discourse category a Kring community.")
@click.option("--platform", type=click.Choice([p.value for p in Platform]), required=True)
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
def community_add(platform: str, group_id: str, name: str, team_id: str | None, language: str | None,
                  timezone: str | None, start_date: datetime | None, cadence: int, months: int, is_open: bool,
                  admins: tuple[str, ...], member_group: str | None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from plugin.clock import SystemClock
    from plugin.storage.communities import add_community, upsert_member
    from plugin.storage.database import Database

    config = _config()
    zone = timezone or config.timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise click.BadParameter(f"unknown time zone {zone!r}", param_hint="--timezone") from exc
    database = Database(config.database_url)
    database.ensure_migrated()
    if platform == Platform.MATTERMOST:
        group_id, team_id = _channel(config, database, group_id, team_id)
    with database.session() as session:
        try:
            created = add_community(
                session, platform=Platform(platform), group_id=group_id, name=name, team_id=team_id,
                language=language or config.language, timezone=zone, now=SystemClock().now(),
                start_date=start_date.date() if start_date is not None else None,
                cadence_weeks=cadence, run_months=months, openness=Openness.OPEN if is_open else Openness.CLOSED,
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        created.member_group = member_group
        for person in _admins(config, database, Platform(platform), admins):
            upsert_member(session, community_id=created.id, user_id=person.user_id, name=person.name,
                          username=person.username or None, organisation=None, role=MemberRole.ADMIN,
                          now=SystemClock().now())
        click.echo(f"Community {created.id} '{created.name}' linked to {platform} group {group_id}"
                   + (f", admins {', '.join(admins)}." if admins else "."))


@main.command("audit", help="Show the latest admin actions (enable, disable, run, cancel).")
@click.option("--community", "community_id", type=int, default=None, help="Only this community.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
def show_audit(community_id: int | None, limit: int) -> None:
    import json

    from plugin.storage.audit import recent
    from plugin.storage.database import Database

    database = Database(_config().database_url)
    database.ensure_migrated()
    with database.session() as session:
        entries = recent(session, community_id, limit)
        if not entries:
            click.echo("No admin actions recorded yet.")
        for entry in entries:
            click.echo(f"{entry.at:%Y-%m-%d %H:%M:%S} community {entry.community_id or '-'} {entry.actor} "
                       f"{entry.action} {json.dumps(entry.details, ensure_ascii=False)}")


@main.command(help="Check workflow files (default: the built-in ones and KRING_WORKFLOW_PATH).")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(paths: tuple[Path, ...], output: str) -> None:
    import json

    from plugin.engine.loader import load_catalog
    from plugin.workflows.catalog import catalog_paths

    catalog = load_catalog(list(paths) or catalog_paths(load_config()))
    if output == "json":
        click.echo(json.dumps({"valid": sorted(catalog.workflows), "problems": [p.as_dict() for p in
                                                                                catalog.problems]}, indent=2))
    else:
        for problem in catalog.problems:
            click.echo(str(problem))
        click.echo(f"{len(catalog.workflows)} valid workflow(s), {len(catalog.problems)} problem(s)")
    if catalog.problems:
        sys.exit(1)


@main.command(help="Run workflows for a simulated community on a virtual clock and write a transcript.")
@click.argument("workflows", nargs=-1, required=True)
@click.option("--community", "community_file", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML file describing the community, its members and what they type "
                   "(default: the demo's CoP Circulair Bouwen, 20 members from 8 organisations).")
@click.option("--months", type=click.IntRange(1, 120), default=None, help="Default: the community's run length.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("simulation"),
              show_default=True, help="Folder for transcript.json and transcript.txt.")
def simulate(workflows: tuple[str, ...], community_file: Path | None, months: int | None, out: Path) -> None:
    from plugin.simulation import DEMO_COMMUNITY
    from plugin.simulation import simulate as run_simulation

    ids, folders = [], []
    for item in workflows:
        path = Path(item)
        if path.suffix in (".yaml", ".yml") and path.is_file():
            from plugin.engine.loader import load_workflow

            workflow, problems = load_workflow(path.read_text(encoding="utf-8"), str(path))
            if workflow is None:
                raise click.ClickException("\n".join(str(p) for p in problems))
            ids.append(workflow.id)
            folders.append(path.resolve().parent)
        else:
            ids.append(item)
    summary = run_simulation(ids, community_file or DEMO_COMMUNITY, months, out, sorted(set(folders)))
    click.echo(f"Simulated {', '.join(ids)} for {summary['community']} ({summary['members']} members) in "
               f"{summary['seconds']} s: {summary['entries']} transcript entries {summary['by_kind']}.")
    click.echo(f"Transcript: {out / 'transcript.txt'} and {out / 'transcript.json'}")
    if summary["failed_runs"]:
        raise click.ClickException(f"{len(summary['failed_runs'])} run(s) failed:\n" + "\n".join(
            summary["failed_runs"]))


@main.group(help="Set Kring up on a platform: its command, bot account and webhooks.")
def install() -> None:
    pass


@main.group(help="Remove what `kring install` set up on a platform.")
def uninstall() -> None:
    pass


def _public_url(given: str | None, config: Config) -> str:
    url = given or config.public_url
    if not url:
        raise click.UsageError("Kring's public URL is needed: pass --public-url or set KRING_PUBLIC_URL.")
    return url.rstrip("/")


@install.command("mattermost", help="Create or update the /cop command and the bot account on Mattermost.")
@click.option("--url", required=True, help="Mattermost base URL, e.g. https://chat.example.org")
@click.option("--token", required=True, envvar="KRING_MATTERMOST_ADMIN_TOKEN",
              help="Personal access token of a system admin (or KRING_MATTERMOST_ADMIN_TOKEN).")
@click.option("--team", required=True, help="Team name or id.")
@click.option("--public-url", default=None, help="Where Mattermost reaches Kring; default KRING_PUBLIC_URL.")
@click.option("--channel", "channels", multiple=True,
              help="A public channel whose posts Kring should hear (outgoing webhook); repeatable.")
def install_mattermost(url: str, token: str, team: str, public_url: str | None, channels: tuple[str, ...]) -> None:
    from plugin.clock import SystemClock
    from plugin.platforms.mattermost.client import MattermostClient
    from plugin.platforms.mattermost.installer import BOT_USERNAME, watch_channel
    from plugin.platforms.mattermost.installer import install as run_install
    from plugin.storage import installations
    from plugin.storage.database import Database

    config = _config()
    sealer = sealer_for(config)
    reachable_at = _public_url(public_url, config)
    database = Database(config.database_url)
    database.ensure_migrated()
    client = MattermostClient(url.rstrip("/"), token, config.http_timeout)
    with database.session() as session:
        known = [i for i in installations.load_all(database, sealer) if i.platform == Platform.MATTERMOST]
        done = run_install(client, team, reachable_at, config.language,
                           need_bot_token=not any(i.bot_token for i in known) and not config.mattermost_bot_token)
        hooks = [watch_channel(client, done.team_id, channel, reachable_at) for channel in channels]
        for hook in hooks:
            installations.save(session, sealer, Platform.MATTERMOST, f"channel:{hook.channel_id}", url.rstrip("/"),
                               SystemClock().now(), webhook_id=hook.hook_id, webhook_secret=hook.token)
        values = {"command_id": done.command_id, "command_token": done.command_token,
                  "bot_user_id": done.bot_user_id}
        if done.bot_token:
            values["bot_token"] = done.bot_token
        installations.save(session, sealer, Platform.MATTERMOST, done.team_id, url.rstrip("/"), SystemClock().now(),
                           **values)
    click.echo(f"Mattermost {url}, team {done.team_id}:")
    click.echo(f"  bot @{BOT_USERNAME}: {'created' if done.bot_created else 'found'} ({done.bot_user_id})"
               + ("; a new access token is stored in Kring's database" if done.bot_token else ""))
    click.echo(f"  /cop command: {'created' if done.command_created else 'updated'} -> "
               f"{reachable_at}/mattermost/command (its token is stored in Kring's database)")
    for hook in hooks:
        click.echo(f"  outgoing webhook for channel {hook.channel_id}: {'created' if hook.created else 'updated'} -> "
                   f"{reachable_at}/mattermost/outgoing")
    click.echo("  Restart `kring serve` and `kring worker` if they run, then add the bot to the CoP's channel and "
               "link it with `kring community add`.")


@install.command("discourse", help="Create or update the signed webhook for a category, and the bot user.")
@click.option("--url", required=True, help="Discourse base URL, e.g. https://forum.example.org")
@click.option("--api-key", required=True, envvar="KRING_DISCOURSE_ADMIN_API_KEY",
              help="An admin API key for all users (or KRING_DISCOURSE_ADMIN_API_KEY).")
@click.option("--username", default="kring", show_default=True, help="Kring's bot user (created if absent).")
@click.option("--category", type=int, required=True, help="Id of the CoP's category.")
@click.option("--admin-username", default="system", show_default=True, help="The admin the API key acts as.")
@click.option("--public-url", default=None, help="Where Discourse reaches Kring; default KRING_PUBLIC_URL.")
def install_discourse(url: str, api_key: str, username: str, category: int, admin_username: str,
                      public_url: str | None) -> None:
    from plugin.clock import SystemClock
    from plugin.platforms.discourse.client import DiscourseClient
    from plugin.platforms.discourse.installer import install as run_install
    from plugin.storage import installations
    from plugin.storage.database import Database

    config = _config()
    sealer = sealer_for(config)
    reachable_at = _public_url(public_url, config)
    database = Database(config.database_url)
    database.ensure_migrated()
    done = run_install(DiscourseClient(url.rstrip("/"), api_key, admin_username, config.http_timeout), username,
                       category, reachable_at)
    with database.session() as session:
        for other in installations.of_platform(session, Platform.DISCOURSE):  # one webhook, one (new) secret
            installations.save(session, sealer, Platform.DISCOURSE, other.scope, other.base_url, other.installed_at,
                               webhook_secret=done.secret)
        installations.save(session, sealer, Platform.DISCOURSE, str(category), url.rstrip("/"), SystemClock().now(),
                           webhook_id=str(done.web_hook_id), webhook_secret=done.secret, bot_user_id=username,
                           bot_token=api_key)
    click.echo(f"Discourse {url}, category {category}:")
    click.echo(f"  bot user @{username}: {'created' if done.bot_created else 'found'}")
    click.echo(f"  webhook {done.web_hook_id}: {'created' if done.web_hook_created else 'updated'} -> "
               f"{reachable_at}/discourse/webhook, signed with a new secret stored in Kring's database")
    click.echo(f"  Kring posts as @{username} with this API key; link the category with `kring community add "
               f"--platform discourse --group {category} --name …`.")


@uninstall.command("discourse", help="Remove Kring's webhook from Discourse (the bot user stays).")
@click.option("--api-key", required=True, envvar="KRING_DISCOURSE_ADMIN_API_KEY", help="An admin API key.")
@click.option("--admin-username", default="system", show_default=True, help="The admin the API key acts as.")
def uninstall_discourse(api_key: str, admin_username: str) -> None:
    from plugin.platforms.discourse.client import DiscourseClient
    from plugin.platforms.discourse.installer import uninstall as run_uninstall
    from plugin.storage import installations
    from plugin.storage.database import Database

    config = _config()
    database = Database(config.database_url)
    database.ensure_migrated()
    with database.session() as session:
        found = installations.of_platform(session, Platform.DISCOURSE)
        if not found:
            raise click.ClickException("Kring is not installed on Discourse")
        for web_hook_id, base_url in sorted({(i.webhook_id, i.base_url) for i in found if i.webhook_id}):
            run_uninstall(DiscourseClient(base_url, api_key, admin_username, config.http_timeout), int(web_hook_id))
            click.echo(f"Removed webhook {web_hook_id} from {base_url}.")
        for installation in found:
            session.delete(installation)


@uninstall.command("mattermost", help="Remove the /cop command from a Mattermost team (the bot stays).")
@click.option("--token", required=True, envvar="KRING_MATTERMOST_ADMIN_TOKEN", help="A system admin's token.")
@click.option("--team", "team_id", default=None, help="Team id; default: every installed team.")
def uninstall_mattermost(token: str, team_id: str | None) -> None:
    from plugin.platforms.mattermost.client import MattermostClient
    from plugin.platforms.mattermost.installer import uninstall as run_uninstall
    from plugin.platforms.mattermost.installer import unwatch_channel
    from plugin.storage import installations
    from plugin.storage.database import Database

    config = _config()
    database = Database(config.database_url)
    database.ensure_migrated()
    with database.session() as session:
        found = [i for i in installations.of_platform(session, Platform.MATTERMOST)
                 if team_id is None or i.scope == team_id]
        if not found:
            raise click.ClickException("Kring is not installed on Mattermost" + (f" team {team_id}" if team_id else ""))
        for installation in found:
            client = MattermostClient(installation.base_url, token, config.http_timeout)
            if installation.command_id:
                run_uninstall(client, installation.command_id)
                click.echo(f"Removed the /cop command from team {installation.scope} on {installation.base_url}.")
            if installation.webhook_id:
                unwatch_channel(client, installation.webhook_id)
                click.echo(f"Removed the outgoing webhook of {installation.scope}.")
            session.delete(installation)


@main.group(help="Real-time connections to the platforms.")
def listen() -> None:
    pass


@listen.command("mattermost", help="Hear posts (replies, private channels) and joins over the bot's WebSocket.")
@click.option("--ws-url", default=None, help="Default: the WebSocket API of the configured Mattermost.")
def listen_mattermost(ws_url: str | None) -> None:
    from plugin.platforms.mattermost.adapter import MattermostAdapter
    from plugin.platforms.mattermost.listener import Listener, websocket_url

    runtime = _started_runtime(_config())
    adapter = runtime.platforms.get(Platform.MATTERMOST)
    if not isinstance(adapter, MattermostAdapter):
        raise click.ClickException("Kring has no Mattermost bot: set KRING_MATTERMOST_URL and "
                                   "KRING_MATTERMOST_BOT_TOKEN, or run `kring install mattermost`")
    listener = Listener(runtime, adapter, adapter.client.token, ws_url or websocket_url(adapter.client.base_url))
    signal.signal(signal.SIGTERM, lambda *_: listener.stop())
    click.echo(f"Listening to {listener.ws_url}")
    try:
        listener.run()
    except KeyboardInterrupt:
        listener.stop()


@main.group(help="Manage the members of a community.")
def member() -> None:
    pass


@member.command("add", help="Add (or update) a member of a community.")
@click.option("--community", "community_id", type=int, required=True, help="Community id (`kring community list`).")
@click.option("--user", "user_id", required=True, help="Platform user id.")
@click.option("--name", required=True, help="Display name.")
@click.option("--username", default=None, help="Platform user name (Discourse private messages use it).")
@click.option("--organisation", default=None, help="Home organisation (created if new).")
@click.option("--role", type=click.Choice([r.value for r in MemberRole]), default="member", show_default=True)
def member_add(community_id: int, user_id: str, name: str, username: str | None, organisation: str | None,
               role: str) -> None:
    from plugin.clock import SystemClock
    from plugin.storage.communities import upsert_member
    from plugin.storage.database import Database

    database = Database(_config().database_url)
    database.ensure_migrated()
    with database.session() as session:
        try:
            added = upsert_member(session, community_id=community_id, user_id=user_id, name=name, username=username,
                                  organisation=organisation, role=MemberRole(role), now=SystemClock().now())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Member {added.id} {added.name} ({added.role}) in community {community_id}.")


@community.command("sync", help="Add the platform group's users as members (channel admins become admins).")
@click.argument("community_id", type=int)
def community_sync(community_id: int) -> None:
    from plugin.platforms.base import MemberDirectory
    from plugin.queue.unit_of_work import unit_of_work
    from plugin.storage.models import Community
    from plugin.workflows.membership import member_source, sync_members

    runtime = _started_runtime(_config())
    with unit_of_work(runtime) as session:
        found = session.get(Community, community_id)
        if found is None:
            raise click.ClickException(f"there is no community {community_id} (see `kring community list`)")
        client = runtime.platforms.get(found.platform)
        if client is None:
            raise click.ClickException(f"Kring has no {found.platform} credentials; "
                                       f"run `kring install {found.platform}`")
        if not isinstance(client, MemberDirectory):
            raise click.ClickException(f"listing group members is not available on {found.platform}; "
                                       "add members with `kring member add`")
        if found.platform == Platform.DISCOURSE and not found.member_group:
            raise click.ClickException("this Discourse community has no member group; link one with "
                                       "`kring community add … --member-group NAME`")
        synced = sync_members(session, found, client.group_members(member_source(found)), runtime.clock.now())
    click.echo(f"{found.name}: {synced.added} member(s) added, {synced.updated} updated, "
               f"{synced.left} left the group (kept with their contributions, no longer asked), "
               f"{synced.returned} back.")


@community.command("list", help="List the communities Kring knows.")
def community_list() -> None:
    from plugin.storage.communities import list_communities
    from plugin.storage.database import Database

    database = Database(_config().database_url)
    database.ensure_migrated()
    with database.session() as session:
        communities = list_communities(session)
        if not communities:
            click.echo("No communities yet. Add one with `kring community add`.")
        for item in communities:
            click.echo(f"{item.id}\t{item.platform}\t{item.external_group_id}\t{item.language}\t{item.name}")


@main.command(help="A guided tour, with no configuration: a scripted exchange through the real HTTP app and "
                    "worker, then the whole toolbox in a simulated CoP of 20 members on a virtual clock.")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the demo's data here (default: a temporary directory).")
@click.option("--language", type=click.Choice(["nl", "en"]), default="en", show_default=True)
@click.option("--meetings", type=click.IntRange(0, 40), default=12, show_default=True,
              help="Meetings in the simulated CoP of part 2 (0 skips it).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep part 2's transcript (transcript.txt, transcript.json) in this folder.")
def demo(home: Path | None, language: str, meetings: int, out: Path | None) -> None:
    from plugin.demo.toolbox_tour import run_toolbox_tour
    from plugin.demo.tour import run_tour

    run_tour(home=home, language=language, echo=click.echo)
    if meetings:
        run_toolbox_tour(language, click.echo, meetings, out)


main.add_command(digest)
