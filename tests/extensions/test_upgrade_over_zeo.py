"""Two `objweb upgrade` processes at once over one real ZEO server run each step once."""

import os
import subprocess

import pytest

from extension_support import write_package
from ops.ops_servers import ZeoProcess
from support import OBJWEB, run_objweb

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("zeo")]

# Each step adds one to a counter in the root folder and takes a while, so that the
# two processes are inside the same step together: a step run twice would count twice.
COUNTING = '''
import time

from persistent.mapping import PersistentMapping


def step(number):
    def count(root):
        runs = root.__dict__.setdefault("counted_runs", PersistentMapping())
        time.sleep(1)
        runs[number] = runs.get(number, 0) + 1
        root._p_changed = True
    return count


def include(config):
    for number in (1, 2, 3):
        config.add_upgrade_step(number, step(number), title=f"Count {number}")
'''


def test_two_upgrades_at_once_over_zeo_run_each_step_once(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    zeo = ZeoProcess(home)
    try:
        made = run_objweb(["adduser", "admin", "admin-password-1", "--role", "Manager",
                           "--db", zeo.uri], home, timeout=60)
        assert made.returncode == 0, made.stderr
        site_dir = tmp_path / "site"
        write_package(site_dir, "counting", {"__init__.py": COUNTING})
        env = {"PYTHONPATH": str(site_dir)}
        pending = run_objweb(["extensions", "--db", zeo.uri], home, env=env, timeout=60)
        assert "  pending: counting 3: Count 3" in pending.stdout.splitlines()
        upgrades = [subprocess.Popen([OBJWEB, "upgrade", "--db", zeo.uri], cwd=home,
                                     env={**os.environ, **env}, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(2)]
        finished = [upgrade.communicate(timeout=120) for upgrade in upgrades]
        assert [upgrade.returncode for upgrade in upgrades] == [0, 0], finished
        ran = [line for out, _err in finished for line in out.splitlines()
               if line.startswith("Running counting")]
        # Each step announced by one process or both (the loser of a race reads again).
        assert {line.split()[2] for line in ran} == {"1:", "2:", "3:"}
        script = tmp_path / "count.py"
        script.write_text("print(sorted(app.counted_runs.items()))\n")
        check = run_objweb(["run", "--db", zeo.uri, str(script)], home, env=env, timeout=60)
        assert check.returncode == 0, check.stderr
        assert check.stdout.strip().splitlines()[-1] == "[(1, 1), (2, 1), (3, 1)]"
        again = run_objweb(["extensions", "--db", zeo.uri], home, env=env, timeout=60)
        assert "pending" not in again.stdout
    finally:
        zeo.stop()
