"""`objweb zeo`: ZEO's own server (`runzeo`) over the instance's `var/Data.fs`.

objweb writes a ZConfig file for `runzeo` (`var/zeo.conf`: the address, the
FileStorage with its blob directory, the event log) and hands over to it, so
the server is exactly ZEO's, with its signals: SIGTERM stops it, SIGUSR2
reopens its log. Clients connect with `--db zeo://HOST:PORT`.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

import ZEO.runzeo

CONFIG_FILE = "var/zeo.conf"


@dataclass(frozen=True)
class ZeoServerPlan:
    """What `objweb zeo` serves, and where."""

    host: str
    port: int
    data_file: Path
    blob_dir: Path
    event_log: str = "-"


def zconfig_text(plan: ZeoServerPlan) -> str:
    """Return the `runzeo` configuration (ZConfig) for `plan`."""
    log_path = "STDERR" if plan.event_log.strip() in ("", "-", "stderr") else plan.event_log
    return f"""# Written by `objweb zeo`; read by ZEO's runzeo.
<zeo>
  address {plan.host}:{plan.port}
</zeo>

<filestorage 1>
  path {plan.data_file}
  blob-dir {plan.blob_dir}
</filestorage>

<eventlog>
  level INFO
  <logfile>
    path {log_path}
    format %(asctime)s %(levelname)s %(name)s %(message)s
  </logfile>
</eventlog>
"""


def write_config(plan: ZeoServerPlan, path: Path) -> Path:
    """Write the `runzeo` configuration for `plan` to `path` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(zconfig_text(plan), encoding="utf-8")
    return path


def run_server(config_path: Path) -> None:
    """Run ZEO's server with the configuration at `config_path` until it is stopped.

    `runzeo` stops through `SystemExit(0)` on SIGTERM and SIGINT; that is a
    clean stop and returns. Any other exit status is raised again.
    """
    print(f"ZEO server starting with {config_path}", file=sys.stderr, flush=True)
    try:
        ZEO.runzeo.main(["-C", str(config_path)])
    except SystemExit as stop:
        if stop.code not in (None, 0):
            raise
