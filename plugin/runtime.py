"""Everything a Kring process needs, built in one place from a :class:`Config`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import redis
from rq import Queue

from plugin.clock import Clock, SystemClock
from plugin.config import Config
from plugin.platforms.base import PlatformClient
from plugin.platforms.discourse.adapter import DiscourseAdapter
from plugin.platforms.discourse.client import DiscourseClient
from plugin.platforms.mattermost.adapter import MattermostAdapter
from plugin.platforms.mattermost.client import MattermostClient
from plugin.queue.connection import connect, resolve_redis_url
from plugin.sealing import Sealer
from plugin.signing import Signer
from plugin.storage.database import Database
from plugin.storage.installations import Installed, load_all
from plugin.storage.states import Platform


def _installed(installations: list[Installed], platform: Platform) -> Installed | None:
    return next((i for i in installations if i.platform == platform), None)


def platform_clients(config: Config, installations: list[Installed] | None = None) -> dict[Platform, PlatformClient]:
    """The platforms Kring can post to: with the configured credentials, else with what `kring install`
    recorded."""
    clients: dict[Platform, PlatformClient] = {}
    installed = _installed(installations or [], Platform.MATTERMOST)
    mattermost_url = config.mattermost_url or (installed.base_url if installed else None)
    bot_token = config.mattermost_bot_token or (installed.bot_token if installed else None)
    if mattermost_url and bot_token:
        action_url = f"{config.public_url}/mattermost/action" if config.public_url else None
        clients[Platform.MATTERMOST] = MattermostAdapter(
            MattermostClient(mattermost_url, bot_token, config.http_timeout),
            Signer(config.secret_key, config.previous_secret_keys), action_url,
        )
    installed = _installed(installations or [], Platform.DISCOURSE)
    discourse_url = config.discourse_url or (installed.base_url if installed else None)
    # An installation records the API key as its bot token and the bot's user name as its bot user.
    api_key = config.discourse_api_key or (installed.bot_token if installed else None)
    api_username = config.discourse_api_username or (installed.bot_user_id if installed else None)
    if discourse_url and api_key and api_username:
        clients[Platform.DISCOURSE] = DiscourseAdapter(
            DiscourseClient(discourse_url, api_key, api_username, config.http_timeout))
    return clients


def sealer_for(config: Config) -> Sealer:
    """What seals and opens the credentials `kring install` stores: KRING_SECRET_KEY and its predecessors."""
    return Sealer(config.secret_key, config.previous_secret_keys)


#: The setting that enables posting on each platform, for messages that say what is missing.
PLATFORM_SETTINGS = {
    Platform.MATTERMOST: "KRING_MATTERMOST_URL / KRING_MATTERMOST_BOT_TOKEN",
    Platform.DISCOURSE: "KRING_DISCOURSE_URL / KRING_DISCOURSE_API_KEY / KRING_DISCOURSE_API_USERNAME",
}


@dataclass
class Runtime:
    config: Config
    database: Database
    redis_url: str
    redis: redis.Redis
    queue: Queue
    clock: Clock
    platforms: dict[Platform, PlatformClient] = field(default_factory=dict)

    @property
    def lease(self) -> timedelta:
        """How long a worker holds an event or a message (a worker that died releases it after this)."""
        return timedelta(seconds=self.config.lease_seconds)

    @property
    def signer(self) -> Signer:
        return Signer(self.config.secret_key, self.config.previous_secret_keys)

    @property
    def sealer(self) -> Sealer:
        return sealer_for(self.config)

    def close(self) -> None:
        self.redis.close()
        self.database.dispose()


def build_runtime(config: Config, *, clock: Clock | None = None, for_worker: bool = False) -> Runtime:
    redis_url = resolve_redis_url(config)
    connection = connect(redis_url, for_worker=for_worker)
    database = Database(config.database_url)
    return Runtime(
        config=config,
        database=database,
        redis_url=redis_url,
        redis=connection,
        queue=Queue(config.queue_name, connection=connection),
        clock=clock or SystemClock(),
        platforms=platform_clients(config, load_all(database, sealer_for(config))),
    )
