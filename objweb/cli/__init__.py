"""The `objweb` command: `main`, the common options, one small function per subcommand."""

from objweb.cli.main import main

__all__ = ["main"]
