"""Where one workload's time goes: its request, repeated in process under cProfile.

    .venv/bin/python bench/profile_request.py page_depth10 [--requests 2000] [--sort tottime]

It opens a copy of the kept bench site (bench/.cache, built if missing), makes the
WSGI application with `objweb.make_app`, sends the workload's request through WebOb
without a server (so the figures are objweb's own, without waitress or the network),
and prints the functions that cost most. The ZMI workloads go as the manager with
Basic credentials (proven once, then remembered), not with a session cookie.
"""

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

import webob

import objweb
import sites
import workloads
from requests import WORKLOAD_NAMES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workload", choices=[name for name in WORKLOAD_NAMES
                                             if name != "bare_hello"])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key")
    parser.add_argument("--top", type=int, default=30)
    chosen = parser.parse_args()
    kept = sites.cached("site", sites.SITE_VERSION, sites.build_site)
    home = sites.instance_home(kept, Path(tempfile.mkdtemp(prefix="objweb-profile-")) / "h")
    db = objweb.open_db(sites.uri(home))
    try:
        app = objweb.make_app(db)
        request = workloads.objweb_requests("")[chosen.workload]
        headers = dict(request.headers)
        if headers.pop("Cookie", None) is not None:  # the manager's, for the ZMI
            headers["Authorization"] = workloads.BASIC

        def send() -> None:
            blank = webob.Request.blank(request.path, method=request.method, headers=headers,
                                        body=request.body or None)
            response = blank.get_response(app)
            if response.status_code >= 400:
                raise SystemExit(f"{chosen.workload} answered {response.status}")

        for _ in range(50):  # warm the caches, as a running site has them
            send()
        started = time.perf_counter()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(chosen.requests):
            send()
        profile.disable()
        each_ms = (time.perf_counter() - started) / chosen.requests * 1e3
        print(f"{chosen.workload}: {chosen.requests} requests, {each_ms:.2f} ms each under "
              "the profiler (which slows Python code down by about half)\n")
        pstats.Stats(profile).sort_stats(chosen.sort).print_stats(chosen.top)
    finally:
        db.close()
        shutil.rmtree(home.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
