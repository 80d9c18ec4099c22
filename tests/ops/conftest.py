"""Fixtures of the operations suites: the `objweb` command run in this process,
and the loggers put back as they were after a command or a test changed them."""

import logging
from dataclasses import dataclass

import pytest

from objweb.cli import main
from objweb.instance.logs import ACCESS_LOGGER


@dataclass(frozen=True)
class CommandResult:
    """What a run of the `objweb` command returned and printed."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def restore_logging():
    """Put the root and access loggers back as they were after the test."""
    root, access = logging.getLogger(), logging.getLogger(ACCESS_LOGGER)
    saved = (list(root.handlers), root.level, list(access.handlers), access.propagate)
    yield
    for logger, handlers in ((root, saved[0]), (access, saved[2])):
        for handler in list(logger.handlers):
            if handler not in handlers:
                handler.close()
        logger.handlers[:] = handlers
    root.setLevel(saved[1])
    access.propagate = saved[3]


@pytest.fixture
def objweb_command(monkeypatch, capsys, restore_logging):
    """Return a function running `objweb ARGS` through `objweb.cli.main` in a home.

    The same code as the installed command, without the cost of a new
    Python process; the suites that need real processes (servers) start them.
    """
    def run(args, home, *, env: dict | None = None) -> CommandResult:
        monkeypatch.chdir(home)
        monkeypatch.delenv("OBJWEB_DB", raising=False)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        try:
            status = main([str(arg) for arg in args])
        except SystemExit as stop:  # argparse refuses bad options this way
            status = stop.code
        out, err = capsys.readouterr()
        return CommandResult(status, out, err)
    return run


@pytest.fixture
def objweb_ok(objweb_command):
    """Run `objweb ARGS` in this process and return its result, asserting success."""
    def run(args, home):
        result = objweb_command(args, home)
        assert result.returncode == 0, result.stderr
        return result
    return run
