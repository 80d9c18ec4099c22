"""The event and access logs, set up from the `[logging]` section of `objweb.ini`.

The event log is the root logger; the access log is the `objweb.access`
logger (one Common Log Format line per request). Each goes to stderr (`-`),
to a file, or nowhere (`off`, for the access log under a server that keeps
its own). A file is rotated by size, daily, or by an outside tool
(`external`: the file is reopened when logrotate moves it). When several
processes of one instance home log to files, give each its own: `{port}` and
`{pid}` in a file name are replaced by the process's port and id. A process
that listens on no port of its own (`debug`, `run`, `pack`, a gunicorn worker)
puts its name and id in place of `{port}`, as in `event-debug-4242.log`, so
that no two processes ever share a file.

The access log, in a file of its own or on stderr, is written in batches by
one thread (`objweb.web.accesslog.BatchingHandler`): every `access_log_flush`
seconds (half a second by default), and at once when the process stops cleanly. Its rotation is
checked once per batch, never per line. Sharing the event log's file, it is
written line by line through the event log's handler.
"""

import logging
import logging.config
import logging.handlers
import os
import sys
from pathlib import Path

from objweb.instance.ini import ConfigError, InstanceConfig, LoggingConfig
from objweb.web.accesslog import BatchingHandler

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
ACCESS_LOGGER = "objweb.access"
STDERR_NAMES = ("-", "stderr")
OFF_NAMES = ("off", "none", "")
ROTATIONS = ("size", "daily", "external")


def configure_logging(config: InstanceConfig, *, port: int | None = None,
                      process: str = "objweb") -> None:
    """Send the event and access logs where `config` says.

    `port` is the port the process listens on, if any; `process` names it
    otherwise (the subcommand, or "worker" under another server).

    Raises `ConfigError` for an unknown level or rotation, or a log file
    that cannot be opened.
    """
    if config.uses_file_config:
        logging.config.fileConfig(config.path, defaults={"here": str(config.home)},
                                  disable_existing_loggers=False)
        return
    settings = config.logging
    level = logging.getLevelName(settings.level.upper())
    if not isinstance(level, int):
        raise ConfigError(f"[logging] level: unknown level {settings.level!r}")
    if settings.rotate not in ROTATIONS:
        raise ConfigError(f"[logging] rotate: {settings.rotate!r} is not one of "
                          f"{', '.join(ROTATIONS)}")
    pid = os.getpid()
    names = {"port": port if port is not None else f"{process}-{pid}", "pid": pid}
    root = logging.getLogger()
    _replace_handlers(root, [_handler(settings, settings.event_log, config.home, names)])
    root.setLevel(level)
    # ZODB announces the layout of a new blob directory at INFO: a note for
    # the log file, not a line to print above a new site's admin password.
    logging.getLogger("ZODB.blob").setLevel(
        logging.WARNING if settings.event_log.strip().lower() in STDERR_NAMES else logging.NOTSET)
    access = logging.getLogger(ACCESS_LOGGER)
    access.setLevel(logging.INFO)
    if settings.access_log.strip().lower() in OFF_NAMES:
        _replace_handlers(access, [logging.NullHandler()])
        access.propagate = False
        # Nothing to write: the access log then formats no line either.
        access.setLevel(logging.CRITICAL + 1)
    elif settings.access_log == settings.event_log and not _is_stderr(settings.access_log):
        # One file, one handler: two would each rotate it.
        _replace_handlers(access, [])
        access.propagate = True
    else:
        target = _handler(settings, settings.access_log, config.home, names, fmt="%(message)s")
        _replace_handlers(access, [BatchingHandler(target, interval=settings.access_log_flush)])
        access.propagate = False


def _replace_handlers(logger: logging.Logger, handlers: list) -> None:
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in handlers:
        logger.addHandler(handler)


def _is_stderr(target: str) -> bool:
    return target.strip().lower() in STDERR_NAMES


def _handler(settings: LoggingConfig, target: str, home: Path, names: dict,
             fmt: str = FORMAT) -> logging.Handler:
    if _is_stderr(target):
        handler = logging.StreamHandler(sys.stderr)
    else:
        try:
            path = home / target.format(**names)
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = _file_handler(settings, path)
        except (OSError, KeyError, IndexError) as error:
            raise ConfigError(f"[logging] cannot write the log file {target}: {error}") from None
    handler.setFormatter(logging.Formatter(fmt))
    return handler


def _file_handler(settings: LoggingConfig, path: Path) -> logging.Handler:
    if settings.rotate == "daily":
        return logging.handlers.TimedRotatingFileHandler(
            path, when="midnight", backupCount=settings.keep, encoding="utf-8")
    if settings.rotate == "external":
        return logging.handlers.WatchedFileHandler(path, encoding="utf-8")
    return logging.handlers.RotatingFileHandler(
        path, maxBytes=settings.max_size, backupCount=settings.keep, encoding="utf-8")
