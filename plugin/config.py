"""Kring's configuration: defaults, an optional TOML file, then ``KRING_*`` variables.

Configuration is loaded in exactly one place (:func:`load_config`) and validated as a whole, so an
operator sees every bad setting at once, each named by the variable that sets it.
"""

from __future__ import annotations

import difflib
import os
import secrets
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from plugin.errors import ConfigError
from plugin.languages import LANGUAGES

ENV_PREFIX = "KRING_"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
#: The shortest KRING_SECRET_KEY accepted (a generated one has 64 characters; 32 random ones are advised).
MIN_SECRET_KEY = 16


@dataclass(frozen=True)
class Setting:
    """One documented setting: its variable, meaning and whether it is a secret."""

    name: str
    help: str
    secret: bool = False

    @property
    def variable(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "Data directory: SQLite database, embedded Redis, generated secret key."),
    Setting("config_file", "Optional TOML file with the same settings (lower-case names, no prefix)."),
    Setting("database_url", "SQLAlchemy URL; default: SQLite file kring.db under KRING_HOME."),
    Setting("redis_url", "redis:// or unix:// URL; default: an embedded Redis under KRING_HOME."),
    Setting("secret_key", "Signs button contexts; generated under KRING_HOME if unset.", secret=True),
    Setting("previous_secret_keys", "Comma-separated earlier secret keys that still verify (rotation).",
            secret=True),
    Setting("public_url", "Base URL at which the platforms reach Kring (used by installers)."),
    Setting("language", "Default language for groups that have none: nl or en."),
    Setting("timezone", "Default IANA time zone for new communities."),
    Setting("max_body_bytes", "Largest accepted request body in bytes."),
    Setting("metrics_token", "Bearer token that `GET /metrics` requires; without it /metrics is closed.",
            secret=True),
    Setting("http_timeout", "Seconds before an outbound platform call times out."),
    Setting("sweep_interval", "Seconds between the worker's sweeps of due work in the database."),
    Setting("lease_seconds", "Seconds a worker holds an event or a message before another may take it over."),
    Setting("commands_per_minute", "How many commands one user may give a minute (0: no limit)."),
    Setting("queue_name", "Name of the RQ queue Kring uses."),
    Setting("log_level", "DEBUG, INFO, WARNING or ERROR."),
    Setting("log_format", "text, or json: one object per line with a request id."),
    Setting("workflow_path", "Extra folders with workflow YAML files, separated by ':'."),
    Setting("mattermost_url", "Base URL of the Mattermost server."),
    Setting("mattermost_bot_token", "Access token of Kring's Mattermost bot account.", secret=True),
    Setting("mattermost_command_tokens", "Comma-separated slash-command tokens (one per team).", secret=True),
    Setting("mattermost_outgoing_tokens", "Comma-separated tokens of outgoing webhooks (public channels).",
            secret=True),
    Setting("discourse_url", "Base URL of the Discourse forum."),
    Setting("discourse_api_key", "Discourse API key.", secret=True),
    Setting("discourse_api_username", "User the Discourse API key acts as (Kring's bot user)."),
    Setting("discourse_webhook_secret", "Secret of the Discourse webhook (HMAC-SHA256).", secret=True),
    Setting("smtp_url", "Mail server for e-mailed digests: smtp://user:password@host:587 (STARTTLS; "
            "smtp+plain:// without TLS, for a local relay only; smtps:// for TLS from the start).", secret=True),
    Setting("smtp_from", "Sender address of e-mailed digests."),
    Setting("webhook_allowed_hosts", "Comma-separated host names that digest webhooks may reach even though "
            "they resolve to a private, loopback or link-local address (an admin's explicit exception)."),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """The effective, validated configuration."""

    home: Path
    database_url: str
    redis_url: str | None
    secret_key: str = field(repr=False)
    previous_secret_keys: tuple[str, ...] = field(default=(), repr=False)
    public_url: str | None = None
    language: str = "en"
    timezone: str = "Europe/Amsterdam"
    max_body_bytes: int = 1_048_576
    metrics_token: str | None = field(default=None, repr=False)
    http_timeout: float = 10.0
    sweep_interval: float = 5.0
    lease_seconds: float = 120.0
    commands_per_minute: int = 600
    queue_name: str = "kring"
    log_level: str = "INFO"
    log_format: str = "text"
    workflow_path: tuple[Path, ...] = ()
    mattermost_url: str | None = None
    mattermost_bot_token: str | None = field(default=None, repr=False)
    mattermost_command_tokens: tuple[str, ...] = field(default=(), repr=False)
    mattermost_outgoing_tokens: tuple[str, ...] = field(default=(), repr=False)
    discourse_url: str | None = None
    discourse_api_key: str | None = field(default=None, repr=False)
    discourse_api_username: str | None = None
    discourse_webhook_secret: str | None = field(default=None, repr=False)
    smtp_url: str | None = field(default=None, repr=False)
    smtp_from: str = "kring@localhost"
    webhook_allowed_hosts: tuple[str, ...] = ()

    @property
    def uses_embedded_redis(self) -> bool:
        return self.redis_url is None

    def described(self) -> list[tuple[str, str]]:
        """(variable, value) pairs for display, with every secret masked."""
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            setting = SETTINGS_BY_NAME.get(f.name)
            variable = setting.variable if setting else f.name
            if value in (None, ()):
                shown = "(not set)"
                if f.name == "redis_url":
                    shown = "(embedded Redis under KRING_HOME)"
            elif setting and setting.secret:
                shown = "****** (set)"
            elif isinstance(value, tuple):
                shown = ",".join(str(item) for item in value)
            else:
                shown = str(value)
            if f.name in ("database_url", "redis_url") and value:
                shown = _without_password(str(value))
            rows.append((variable, shown))
        return rows


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError([f"KRING_CONFIG_FILE: file {path} does not exist"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"KRING_CONFIG_FILE: {path} is not valid TOML: {exc}"]) from exc
    unknown = sorted(set(data) - set(SETTINGS_BY_NAME))
    if unknown:
        raise ConfigError([f"KRING_CONFIG_FILE: unknown setting {key!r} in {path}{_nearest(key, SETTINGS_BY_NAME)}"
                           for key in unknown])
    return {key: str(value) if not isinstance(value, str) else value for key, value in data.items()}


#: KRING_* variables that Kring's tools read besides the settings: the CLI's admin credentials, and the
#: tests' and benchmarks' own.
OTHER_VARIABLES = frozenset({"KRING_MATTERMOST_ADMIN_TOKEN", "KRING_DISCOURSE_ADMIN_API_KEY", "KRING_SPECS_DIR",
                             "KRING_ARTIFACTS_DIR", "KRING_CI_POSTGRES_URL", "KRING_TEST_REDIS_URL",
                             "KRING_BENCH_DATABASE_URL", "KRING_BENCH_REDIS_URL"})


def _nearest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def unknown_variables(env: Mapping[str, str]) -> list[str]:
    """A warning for each KRING_* variable Kring does not know (a misspelt one is otherwise ignored)."""
    known = {setting.variable for setting in SETTINGS} | OTHER_VARIABLES
    return [f"{name} is not a Kring setting and is ignored{_nearest(name, known)}"
            for name in sorted(env) if name.startswith("KRING_") and name not in known]


def _raw_values(env: Mapping[str, str]) -> dict[str, str]:
    """Merge file and environment; the environment wins."""
    values: dict[str, str] = {}
    config_file = env.get("KRING_CONFIG_FILE")
    if config_file:
        values.update(_read_file(Path(config_file)))
    for setting in SETTINGS:
        raw = env.get(setting.variable)
        if raw is not None and raw.strip() != "":
            values[setting.name] = raw.strip()
    return values


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain PostgreSQL URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _check_http_url(name: str, value: str, problems: list[str]) -> None:
    if not is_http_url(value):
        problems.append(f"{SETTINGS_BY_NAME[name].variable}: expected an http(s) URL, got {value!r}")


def _number(name: str, raw: str, problems: list[str], cast: Callable[[str], Any], zero: bool = False) -> Any:
    """``raw`` as a positive number (or zero, where ``zero`` means "off")."""
    try:
        number = cast(raw)
    except ValueError:
        number = None
    if number is None or number < 0 or (number == 0 and not zero):
        problems.append(f"{SETTINGS_BY_NAME[name].variable}: expected a positive number"
                        f"{' or 0' if zero else ''}, got {raw!r}")
        return None
    return number


def _without_password(url: str) -> str:
    """``url`` with its password masked (a database or Redis URL may carry one)."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + parts.netloc.rsplit("@", 1)[1]))


def _secret_key(home: Path, given: str | None) -> str:
    if given:
        return given
    path = home / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def _choice(raw: dict[str, str], name: str, default: str, allowed: tuple[str, ...], problems: list[str]) -> str:
    value = raw.get(name, default)
    if value not in allowed:
        problems.append(f"{SETTINGS_BY_NAME[name].variable}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def _storage(raw: dict[str, str], home: Path, problems: list[str]) -> dict[str, Any]:
    database_url = normalise_database_url(raw.get("database_url", f"sqlite:///{home / 'kring.db'}"))
    try:
        make_url(database_url)
    except ArgumentError:
        problems.append(f"KRING_DATABASE_URL: not a database URL: {database_url!r}")
    redis_url = raw.get("redis_url")
    if redis_url is not None and urlsplit(redis_url).scheme not in ("redis", "rediss", "unix"):
        problems.append(f"KRING_REDIS_URL: expected redis://, rediss:// or unix://, got {redis_url!r}")
    return {"database_url": database_url, "redis_url": redis_url}


def _timezone(raw: dict[str, str], problems: list[str]) -> str:
    timezone = raw.get("timezone", "Europe/Amsterdam")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"KRING_TIMEZONE: unknown time zone {timezone!r} (use an IANA name)")
    return timezone


def _platforms(raw: dict[str, str], problems: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("public_url", "mattermost_url", "discourse_url"):
        if name in raw:
            _check_http_url(name, raw[name], problems)
            values[name] = raw[name].rstrip("/")
    for name in ("mattermost_bot_token", "discourse_api_key", "discourse_api_username", "discourse_webhook_secret",
                 "metrics_token"):
        if name in raw:
            values[name] = raw[name]
    if "previous_secret_keys" in raw:
        values["previous_secret_keys"] = tuple(k.strip() for k in raw["previous_secret_keys"].split(",") if k.strip())
    for name in ("mattermost_command_tokens", "mattermost_outgoing_tokens"):
        if name in raw:
            values[name] = tuple(token.strip() for token in raw[name].split(",") if token.strip())
    return values


def _delivery(raw: dict[str, str], problems: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "smtp_url" in raw:
        parts = urlsplit(raw["smtp_url"])
        if parts.scheme not in ("smtp", "smtps", "smtp+plain") or not parts.hostname:
            problems.append("KRING_SMTP_URL: expected smtp://[user:password@]host[:port] (or smtps://, "
                            "smtp+plain://)")  # the value itself may hold a password: never echoed
        values["smtp_url"] = raw["smtp_url"]
    if "smtp_from" in raw:
        if "@" not in raw["smtp_from"]:
            problems.append(f"KRING_SMTP_FROM: expected an e-mail address, got {raw['smtp_from']!r}")
        values["smtp_from"] = raw["smtp_from"]
    if "webhook_allowed_hosts" in raw:
        values["webhook_allowed_hosts"] = tuple(h.strip().lower() for h in raw["webhook_allowed_hosts"].split(",")
                                                if h.strip())
    return values


def _folders(value: str, problems: list[str]) -> tuple[Path, ...]:
    folders = tuple(Path(part).expanduser().resolve() for part in value.split(os.pathsep) if part.strip())
    for folder in folders:
        if not folder.is_dir():
            problems.append(f"KRING_WORKFLOW_PATH: {folder} is not a folder")
    return folders


def load_config(env: Mapping[str, str] | None = None, **overrides: Any) -> Config:
    """Build the effective configuration; raise :class:`ConfigError` naming every bad variable."""
    raw = _raw_values(os.environ if env is None else env)
    problems: list[str] = []
    home = Path(raw.get("home", ".kring")).expanduser().resolve()
    kwargs: dict[str, Any] = {"home": home, **_storage(raw, home, problems), **_platforms(raw, problems),
                              **_delivery(raw, problems)}
    kwargs["language"] = _choice(raw, "language", "en", LANGUAGES, problems)
    levels = ("DEBUG", "INFO", "WARNING", "ERROR")
    kwargs["log_level"] = _choice({"log_level": raw.get("log_level", "INFO").upper()}, "log_level", "INFO", levels,
                                  problems)
    kwargs["log_format"] = _choice(raw, "log_format", "text", ("text", "json"), problems)
    kwargs["timezone"] = _timezone(raw, problems)
    for name, cast in (("max_body_bytes", int), ("http_timeout", float), ("sweep_interval", float),
                       ("lease_seconds", float), ("commands_per_minute", int)):
        if name in raw:
            kwargs[name] = _number(name, raw[name], problems, cast, zero=name == "commands_per_minute")
    if "queue_name" in raw:
        kwargs["queue_name"] = raw["queue_name"]
    if "workflow_path" in raw:
        kwargs["workflow_path"] = _folders(raw["workflow_path"], problems)
    if "secret_key" in raw and len(raw["secret_key"]) < MIN_SECRET_KEY:
        problems.append(f"KRING_SECRET_KEY: {len(raw['secret_key'])} characters is too short to sign and seal with; "
                        f"use at least {MIN_SECRET_KEY} random ones (`python -c 'import secrets; "
                        "print(secrets.token_urlsafe(32))'`), or unset it and Kring generates one under KRING_HOME")
    if problems:
        raise ConfigError(problems)
    kwargs.update(overrides)
    if "secret_key" not in kwargs:
        kwargs["secret_key"] = _secret_key(home, raw.get("secret_key"))
    return Config(**kwargs)
