"""Everything a Kring process needs, built in one place from a :class:`Config`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import redis
from rq import Queue
from rq.serializers import JSONSerializer

from plugin.clock import Clock, SystemClock
from plugin.config import Config
from plugin.errors import KringError, PlatformError
from plugin.platforms.base import PlatformClient
from plugin.platforms.connector import Connector
from plugin.platforms.registry import build_connectors
from plugin.redis_connection import connect, resolve_redis_url
from plugin.sealing import Sealer
from plugin.signing import Signer
from plugin.storage.database import Database
from plugin.storage.installation_cache import InstallationCache
from plugin.storage.installations import load_all


def signer_for(config: Config) -> Signer:
    """What signs the contexts Kring hands to platforms (buttons, forms): KRING_SECRET_KEY and its predecessors."""
    return Signer(config.secret_key, config.previous_secret_keys)


def sealer_for(config: Config) -> Sealer:
    """What seals and opens the credentials `kring install` stores: KRING_SECRET_KEY and its predecessors."""
    return Sealer(config.secret_key, config.previous_secret_keys)


@dataclass
class Runtime:
    config: Config
    database: Database
    redis_url: str
    redis: redis.Redis
    queue: Queue
    clock: Clock
    connectors: dict[str, Connector] = field(default_factory=dict)
    #: What the inbound path checks tokens and signatures against (see its module for how fresh it is).
    installations: InstallationCache = field(init=False)

    def __post_init__(self) -> None:
        self.installations = InstallationCache(self.database, self.sealer)

    @property
    def lease(self) -> timedelta:
        """How long a worker holds an event or a message (a worker that died releases it after this)."""
        return timedelta(seconds=self.config.lease_seconds)

    @property
    def signer(self) -> Signer:
        return signer_for(self.config)

    @property
    def sealer(self) -> Sealer:
        return sealer_for(self.config)

    def connector(self, platform: str) -> Connector:
        """The connector of ``platform`` (every known platform has one, with or without credentials)."""
        try:
            return self.connectors[platform]
        except KeyError:
            raise KringError(f"Kring has no connector for the platform {platform!r}") from None

    def outbound(self, platform: str) -> PlatformClient:
        """What posts on ``platform``; a :class:`PlatformError` that names the settings when Kring has
        no credentials there."""
        connector = self.connector(platform)
        if connector.outbound is None:
            raise PlatformError(f"no {platform} credentials configured ({connector.settings})")
        return connector.outbound

    def close(self) -> None:
        self.redis.close()
        self.database.dispose()


def build_runtime(config: Config, *, clock: Clock | None = None, for_worker: bool = False) -> Runtime:
    redis_url = resolve_redis_url(config)
    connection = connect(redis_url, for_worker=for_worker)
    database = Database(config.database_url)
    clock = clock or SystemClock()
    return Runtime(
        config=config,
        database=database,
        redis_url=redis_url,
        redis=connection,
        # JSON, not pickle: reading a job written into Redis by someone else runs nothing.
        queue=Queue(config.queue_name, connection=connection, serializer=JSONSerializer),
        clock=clock,
        connectors=build_connectors(config, load_all(database, sealer_for(config)), signer_for(config), clock),
    )
