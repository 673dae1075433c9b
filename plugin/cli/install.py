"""`kring install …` and `kring uninstall …`: thin wrappers around each platform's installer."""

from __future__ import annotations

import click

from plugin.cli.app import CliContext, pass_context
from plugin.config import is_http_url
from plugin.runtime import sealer_for


@click.group(help="Set Kring up on a platform: its command, bot account and webhooks.")
def install() -> None:
    pass


@click.group(help="Remove what `kring install` set up on a platform.")
def uninstall() -> None:
    pass


def _public_url(given: str | None, cli: CliContext) -> str:
    url = given or cli.config.public_url
    if not url:
        raise click.UsageError("Kring's public URL is needed: pass --public-url or set KRING_PUBLIC_URL.")
    return url.rstrip("/")


def _base_url(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """A platform's address with its scheme, refused at once (not after three retries) without one."""
    if not is_http_url(value):
        hint = f"; did you mean https://{value.removeprefix('//')}?" if "://" not in value else ""
        raise click.BadParameter(f"{value!r} is not an http(s) address{hint}")
    return value.rstrip("/")


@install.command("mattermost", help="Create or update the /cop command and the bot account on Mattermost.")
@click.option("--url", required=True, callback=_base_url, help="Mattermost base URL, e.g. https://chat.example.org")
@click.option("--token", required=True, envvar="KRING_MATTERMOST_ADMIN_TOKEN",
              help="Personal access token of a system admin (or KRING_MATTERMOST_ADMIN_TOKEN).")
@click.option("--team", required=True, help="Team name or id.")
@click.option("--public-url", default=None, help="Where Mattermost reaches Kring; default KRING_PUBLIC_URL.")
@click.option("--channel", "channels", multiple=True,
              help="A public channel whose posts Kring should hear (outgoing webhook); repeatable.")
@pass_context
def install_mattermost(cli: CliContext, url: str, token: str, team: str, public_url: str | None,
                       channels: tuple[str, ...]) -> None:
    from plugin.platforms.mattermost.client import MattermostClient
    from plugin.platforms.mattermost.installer import BOT_USERNAME, install_and_record

    config = cli.config
    reachable_at = _public_url(public_url, cli)
    client = MattermostClient(url.rstrip("/"), token, config.http_timeout)
    with cli.database.session() as session:
        done, hooks = install_and_record(client, session, sealer_for(config), team, reachable_at, config.language,
                                         channels, bool(config.mattermost_bot_token), cli.clock.now())
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
@click.option("--url", required=True, callback=_base_url, help="Discourse base URL, e.g. https://forum.example.org")
@click.option("--api-key", required=True, envvar="KRING_DISCOURSE_ADMIN_API_KEY",
              help="An admin API key for all users (or KRING_DISCOURSE_ADMIN_API_KEY).")
@click.option("--username", default="kring", show_default=True, help="Kring's bot user (created if absent).")
@click.option("--category", type=int, required=True, help="Id of the CoP's category.")
@click.option("--admin-username", default="system", show_default=True, help="The admin the API key acts as.")
@click.option("--public-url", default=None, help="Where Discourse reaches Kring; default KRING_PUBLIC_URL.")
@pass_context
def install_discourse(cli: CliContext, url: str, api_key: str, username: str, category: int, admin_username: str,
                      public_url: str | None) -> None:
    from plugin.platforms.discourse.client import DiscourseClient
    from plugin.platforms.discourse.installer import install_and_record

    reachable_at = _public_url(public_url, cli)
    client = DiscourseClient(url.rstrip("/"), api_key, admin_username, cli.config.http_timeout)
    with cli.database.session() as session:
        done = install_and_record(client, session, sealer_for(cli.config), url.rstrip("/"), username, category,
                                  reachable_at, cli.clock.now())
    click.echo(f"Discourse {url}, category {category}:")
    click.echo(f"  bot user @{username}: {'created' if done.bot_created else 'found'}"
               + ("; made a moderator, so that it may send private messages and create polls, without a new "
                  "user's posting limits" if done.made_moderator else " (staff already)"))
    click.echo(f"  webhook {done.web_hook_id}: {'created' if done.web_hook_created else 'updated'} -> "
               f"{reachable_at}/discourse/webhook, signed with a new secret stored in Kring's database")
    click.echo(f"  Kring posts as @{username} with "
               + ("a new API key that acts as the bot only" if done.bot_key else "the bot's own API key, as before")
               + f" (your admin key is not stored); link the category with `kring community add --platform "
               f"discourse --group {category} --name …`.")


@uninstall.command("discourse", help="Remove Kring's webhook from Discourse (the bot user stays).")
@click.option("--api-key", required=True, envvar="KRING_DISCOURSE_ADMIN_API_KEY", help="An admin API key.")
@click.option("--admin-username", default="system", show_default=True, help="The admin the API key acts as.")
@pass_context
def uninstall_discourse(cli: CliContext, api_key: str, admin_username: str) -> None:
    from plugin.platforms.discourse.client import DiscourseClient
    from plugin.platforms.discourse.installer import uninstall_all

    with cli.database.session() as session:
        removed = uninstall_all(session, lambda base_url: DiscourseClient(base_url, api_key, admin_username,
                                                                          cli.config.http_timeout))
        if removed is None:
            raise click.ClickException("Kring is not installed on Discourse")
    for web_hook_id, base_url in removed:
        click.echo(f"Removed webhook {web_hook_id} from {base_url}.")


@uninstall.command("mattermost", help="Remove the /cop command from a Mattermost team (the bot stays).")
@click.option("--token", required=True, envvar="KRING_MATTERMOST_ADMIN_TOKEN", help="A system admin's token.")
@click.option("--team", "team_id", default=None, help="Team id; default: every installed team.")
@pass_context
def uninstall_mattermost(cli: CliContext, token: str, team_id: str | None) -> None:
    from plugin.platforms.mattermost.client import MattermostClient
    from plugin.platforms.mattermost.installer import uninstall_all

    with cli.database.session() as session:
        removed = uninstall_all(session, lambda base_url: MattermostClient(base_url, token, cli.config.http_timeout),
                                team_id)
    if not removed:
        raise click.ClickException("Kring is not installed on Mattermost" + (f" team {team_id}" if team_id else ""))
    for line in removed:
        click.echo(line)
