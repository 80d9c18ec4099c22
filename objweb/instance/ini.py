"""The instance's configuration: `objweb.ini` in the instance home.

One file configures every way of running a site: the `objweb` command reads
its sections, and the same file is a PasteDeploy file whose `[app:main]`
section (`use = egg:objweb`) serves the site under any WSGI server. Values
may use `%(here)s`, the file's directory, as PasteDeploy does; a literal `%`
is written `%%`. Relative paths are relative to the instance home.

Precedence, weakest first: built-in defaults, `objweb.ini`, the environment
(`OBJWEB_DB`), command-line options.

    [server]
    host = 127.0.0.1
    port = 8080
    threads = 4
    channel_timeout = 30        ; seconds a silent connection is kept open
    max_request_header_size = 64KB  ; request line and headers; larger: 431
    connection_limit = 100      ; connections served at once

    [settings]                  ; any field of objweb.web.config.Settings
    session_lifetime = 28800
    max_request_body = 1GB      ; larger: 413, refused by the server unread
    max_json_body = 16MB        ; larger JSON bodies: 413
    max_json_depth = 32         ; deeper JSON: 400
    max_url_length = 8192       ; longer path and query: 414
    max_form_fields = 1000      ; more form fields: 413 (in a query: 400)
    max_form_body = 16MB        ; larger urlencoded forms: 413
    max_batch_size = 1000       ; a larger b_size: 400
    trusted_proxies = 127.0.0.1 ; front servers whose X-Forwarded-For and
                                ; VirtualHostBase paths are believed (none by default)

    [database]
    uri = file://var/Data.fs?blobstorage_dir=var/blobs
    cache_size = 10000          ; objects kept in memory per connection
    pool_size = 7               ; connections kept open

    [logging]
    level = INFO
    event_log = var/log/event.log   ; "-" for stderr
    access_log = var/log/access.log ; "-" for stderr, "off" for none
    rotate = size                   ; size, daily, or external (logrotate)
    max_size = 10MB
    keep = 7
    access_log_flush = 0.5          ; seconds between writes: what a crash may lose

    [zeo]
    host = 127.0.0.1
    port = 8100
    event_log = -

    [backup]
    directory = var/backups

A file with the standard `[loggers]`, `[handlers]` and `[formatters]`
sections is given to `logging.config.fileConfig` instead of `[logging]`.
"""

import configparser
import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from objweb.errors import ObjwebError
from objweb.web.config import Settings

CONFIG_NAME = "objweb.ini"
DEFAULT_URI = "file://var/Data.fs?blobstorage_dir=var/blobs"
SIZE_UNITS = {"kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "tb": 1 << 40}


class ConfigError(ObjwebError, ValueError):
    """The configuration file cannot be read or holds a bad value."""


@dataclass(frozen=True)
class ServerConfig:
    """Where `objweb serve` listens, with how many threads, and its limits on clients."""

    host: str = "127.0.0.1"
    port: int = 8080
    threads: int = 4
    # Seconds a connection may stay silent (a request half sent, or none)
    # before the server closes it.
    channel_timeout: int = 30
    # The request line and headers together; larger ones answer 431.
    max_request_header_size: int = 64 << 10
    # Connections open at once; more wait to be accepted.
    connection_limit: int = 100

    def __post_init__(self):
        # A server with no thread accepts connections and never answers them.
        if not 1 <= self.threads <= 1000:
            raise ValueError(f"threads: {self.threads} is not a number from 1 to 1000")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port: {self.port} is not a number from 0 to 65535")
        if self.connection_limit < 1:
            raise ValueError("connection_limit: at least one connection must be served")

    def waitress_options(self) -> dict:
        """Return waitress's adjustments for these limits."""
        return {"channel_timeout": self.channel_timeout,
                # How often waitress looks for silent connections.
                "cleanup_interval": max(1, min(30, self.channel_timeout // 2)),
                "max_request_header_size": self.max_request_header_size,
                "connection_limit": self.connection_limit}


@dataclass(frozen=True)
class DatabaseConfig:
    """Which database to open, and how many objects and connections to keep."""

    uri: str = DEFAULT_URI
    cache_size: int = 10000
    pool_size: int = 7

    def db_options(self) -> dict:
        """Return the keyword arguments of `ZODB.DB` these settings stand for."""
        return {"cache_size": self.cache_size, "pool_size": self.pool_size}


@dataclass(frozen=True)
class LoggingConfig:
    """The event and access logs: where they go and how they are rotated."""

    level: str = "INFO"
    event_log: str = "-"
    access_log: str = "-"
    rotate: str = "size"
    max_size: int = 10 << 20
    keep: int = 7
    # Seconds between two writes of the access log's gathered lines: what a
    # crash may lose. A clean stop (SIGTERM) writes them all.
    access_log_flush: float = 0.5

    def __post_init__(self):
        if not 0.01 <= self.access_log_flush <= 60:
            raise ValueError(f"access_log_flush: {self.access_log_flush!r} is not a number "
                             "of seconds from 0.01 to 60")


@dataclass(frozen=True)
class ZeoConfig:
    """Where `objweb zeo` listens, and where it logs."""

    host: str = "127.0.0.1"
    port: int = 8100
    event_log: str = "-"

    def __post_init__(self):
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port: {self.port} is not a number from 0 to 65535")


@dataclass(frozen=True)
class BackupConfig:
    """Where `objweb backup` keeps its backups."""

    directory: str = "var/backups"


@dataclass(frozen=True)
class InstanceConfig:
    """Everything `objweb.ini` configures, defaults filled in."""

    home: Path
    path: Path | None = None
    server: ServerConfig = field(default_factory=ServerConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    settings: Settings = field(default_factory=Settings)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    zeo: ZeoConfig = field(default_factory=ZeoConfig)
    backup: BackupConfig = field(default_factory=BackupConfig)
    uses_file_config: bool = False

    def replace(self, **changes) -> "InstanceConfig":
        """Return a copy with some sections replaced."""
        return dataclasses.replace(self, **changes)


SECTIONS = {"server": ServerConfig, "database": DatabaseConfig, "settings": Settings,
            "logging": LoggingConfig, "zeo": ZeoConfig, "backup": BackupConfig}


def find_config(home=None, path=None) -> Path | None:
    """Return the configuration file to read: `path`, `$OBJWEB_CONFIG`, or `objweb.ini`.

    Returns None when no file is named and the home holds none. Raises
    `ConfigError` for a named file that does not exist.
    """
    named = path or os.environ.get("OBJWEB_CONFIG")
    if named:
        named = Path(named)
        if not named.is_file():
            raise ConfigError(f"no configuration file {named}")
        return named.resolve()
    candidate = Path(home or os.getcwd()) / CONFIG_NAME
    return candidate.resolve() if candidate.is_file() else None


def read_config(path=None, *, home=None) -> InstanceConfig:
    """Return the configuration in `path` (see `find_config`), or the defaults.

    Raises `ConfigError` naming the file, section and key of a bad value or
    an unknown key.
    """
    found = find_config(home, path)
    if found is None:
        return InstanceConfig(home=Path(home or os.getcwd()).resolve())
    # `; comment` after a value, as the examples above write them.
    parser = configparser.ConfigParser(defaults={"here": str(found.parent)},
                                       interpolation=configparser.BasicInterpolation(),
                                       inline_comment_prefixes=(";",))
    try:
        with open(found, encoding="utf-8") as stream:
            parser.read_file(stream)
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ConfigError(f"{found} cannot be read: {error}") from None
    sections = {name: _read_section(parser, found, name, cls)
                for name, cls in SECTIONS.items() if parser.has_section(name)}
    return InstanceConfig(home=found.parent, path=found, **sections,
                          uses_file_config=parser.has_section("loggers"))


def _read_section(parser, path: Path, name: str, cls: type):
    fields = {item.name: item for item in dataclasses.fields(cls)}
    values = {}
    # Keys of [DEFAULT] (`here`, PasteDeploy's globals) show in every section.
    for key in sorted(set(parser.options(name)) - set(parser.defaults())):
        if key not in fields:
            raise ConfigError(f"{path}: unknown key {key!r} in [{name}] "
                              f"(known: {', '.join(sorted(fields))})")
        try:
            raw = parser.get(name, key)
        except configparser.Error as error:
            raise ConfigError(f"{path}: [{name}] {key}: {error}") from None
        values[key] = convert_value(raw, fields[key].default, where=f"{path}: [{name}] {key}")
    try:
        return cls(**values)
    except ValueError as error:  # a value the section's own check refuses
        raise ConfigError(f"{path}: [{name}] {error}") from None


KIND_NAMES = {int: "whole number (a size may end in KB, MB or GB)", float: "number"}


def convert_value(raw: str, default, *, where: str):
    """Return `raw` converted to the type of `default` (sizes may say KB, MB, GB).

    Raises `ConfigError` mentioning `where` for a value of the wrong kind or
    a negative number.
    """
    raw = raw.strip()
    kind = type(default)
    if kind not in KIND_NAMES:
        return raw
    try:
        value = {int: _size, float: float}[kind](raw)
    except ValueError:
        raise ConfigError(f"{where}: {raw!r} is not a {KIND_NAMES[kind]}") from None
    if value < 0:
        raise ConfigError(f"{where}: {raw!r} cannot be negative")
    return value


def _size(raw: str) -> int:
    text = raw.lower().replace("_", "")
    for unit, factor in SIZE_UNITS.items():
        if text.endswith(unit):
            return int(float(text[:-len(unit)].strip()) * factor)
    return int(text)
