"""The benchmark suite: objweb against a bare WSGI app and Zope 5, under wrk.

    make bench                                   # everything; writes bench/RESULTS.md
    BENCH_SECONDS=3 BENCH_ROUNDS=1 make bench    # a quick pass
    BENCH_ONLY=page_depth1,zeo_reads make bench  # some workloads (RESULTS.md untouched)
    BENCH_ZOPE=0 make bench                      # without Zope 5

It builds the bench site (kept in bench/.cache between runs), copies it into a
temporary instance home, starts `objweb serve`, the bare application and Zope 5 (when
bench/zope5.py is there) as processes, measures each workload in turns, then the reads
over ZEO and the million-object site, prints the table and judges the targets. It
asserts nothing: a target not met is reported, and the exit status stays 0 unless the
harness itself failed.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import loadgen
import measure
import million as million_site
import report
import servers
import sites
import targets
import workloads
import zeo_reads
from requests import WORKLOAD_NAMES

EXTRA_NAMES = {"zeo_reads": "reads through two `objweb serve` over ZEO against one process",
               "million_startup": "start time and RSS of a site of a million objects"}


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get(
        "BENCH_SECONDS", 10)), help="length of each wrk run (BENCH_SECONDS, default 10)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)),
                        help="bare/objweb pairs per workload (BENCH_ROUNDS, default 3)")
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""),
                        help="comma-separated workloads to run (BENCH_ONLY): "
                        + ", ".join([*WORKLOAD_NAMES, *EXTRA_NAMES]))
    parser.add_argument("--no-zope", action="store_true",
                        default=os.environ.get("BENCH_ZOPE", "1") == "0",
                        help="leave Zope 5 out (BENCH_ZOPE=0)")
    parser.add_argument("--results", action="store_true",
                        help="write bench/RESULTS.md even when only some workloads ran")
    chosen = parser.parse_args()
    known = {*WORKLOAD_NAMES, *EXTRA_NAMES}
    chosen.selected = [name.strip() for name in chosen.only.split(",") if name.strip()] or [
        *known]
    unknown = sorted(set(chosen.selected) - known)
    if unknown:
        parser.error(f"unknown workloads {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return chosen


def start_zope(say=print):
    """Prepare and start Zope 5 from bench/zope5.py; return it, or None if it cannot run.

    Its instance home is kept in bench/.cache/zope5, as objweb's site is: building the
    same content in Zope takes minutes, and `prepare` builds only what is missing.
    """
    try:
        import zope5
    except ImportError:
        say("bench/zope5.py is not there: no Zope 5 figures")
        return None
    site = zope5.Zope5Site(sites.CACHE / "zope5", threads=servers.THREADS)
    try:
        say("preparing Zope 5 (its own venv in bench/.zope5-venv, its instance in "
            "bench/.cache/zope5) ...")
        site.prepare()
        site.port = servers.free_port()
        site.start(site.port)
    except Exception as error:  # the side-by-side rows are a bonus, not the suite
        say(f"Zope 5 could not run ({type(error).__name__}: {error}): no Zope 5 figures")
        try:
            site.stop()
        except Exception:
            pass
        return None
    return site


def zope_request(zope, name: str, say=print):
    """Zope 5's request for `name` if it has one and it is answered; else None."""
    request = (zope.workloads if zope is not None else {}).get(name)
    if request is None:
        return None
    status, body = workloads.send(zope.port, request)
    holds = getattr(zope, "holds", {}).get(name, b"")
    if status >= 400 or holds not in body:
        say(f"  {name}: Zope 5 answered {status}, not holding {holds!r}, no Zope 5 figure: "
            f"{body[:200]!r}")
        return None
    return request


def measure_workloads(names, scratch: Path, chosen, say=print) -> dict:
    """Serve the bench site, the bare app and Zope 5; measure each workload in `names`."""
    kept = sites.cached("site", sites.SITE_VERSION, sites.build_site, say=say)
    home = sites.instance_home(kept, scratch / "objweb")
    servers.write_ini(home)
    started, zope, rows = [], None, {}
    try:
        bare = servers.bare_app(scratch, servers.free_port())
        objweb = servers.objweb_serve(home, servers.free_port())
        started += [bare, objweb]
        bare.wait_ready()
        say(f"objweb serve answered its first 200 after {objweb.wait_ready():.2f} s")
        zope = None if chosen.no_zope else start_zope(say)
        requests = workloads.objweb_requests(workloads.log_in(objweb.port))
        for name in names:
            request = requests[name]
            ports = {"bare": bare.port, "objweb": bare.port if name == "bare_hello"
                     else objweb.port, "zope": zope.port if zope else None}
            workloads.check(ports["objweb"], name, request)
            other = zope_request(zope, name, say)
            if not request.writes:  # warm the object caches, as a running site has them
                loadgen.run_wrk(ports["objweb"], request, scratch, 1)
                if other is not None:
                    loadgen.run_wrk(ports["zope"], other, scratch, 1)
            rows[name] = measure.measure_workload(
                name, request, ports, scratch, seconds=chosen.seconds, rounds=chosen.rounds,
                zope_request=other, say=say)
            rows[name].zope_label = getattr(zope, "labels", {}).get(name, "") if other else ""
    finally:
        if zope is not None:
            zope.stop()
        servers.stop_all(reversed(started))
    return rows


def main() -> int:
    chosen = options()
    say = lambda text: print(text, flush=True)  # noqa: E731 -- progress, as it happens
    scratch = Path(tempfile.mkdtemp(prefix="objweb-bench-"))
    rows, zeo, million = {}, None, None
    try:
        names = [name for name in WORKLOAD_NAMES if name in chosen.selected]
        if names:
            rows = measure_workloads(names, scratch, chosen, say)
        if "zeo_reads" in chosen.selected:
            kept = sites.cached("site", sites.SITE_VERSION, sites.build_site, say=say)
            zeo = zeo_reads.measure_zeo(kept, scratch, seconds=chosen.seconds,
                                        rounds=chosen.rounds, say=say)
        if "million_startup" in chosen.selected:
            million = million_site.measure_million(scratch, seconds=chosen.seconds, say=say)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    verdicts = targets.judge(rows, zeo, million)
    settings = (f"wrk {loadgen.CONNECTIONS} connections ({loadgen.WRITERS} for writes), "
                f"{loadgen.THREADS} threads, {chosen.seconds:g} s runs, {chosen.rounds} "
                f"round(s); waitress {servers.THREADS} threads for every server.")
    text = report.document(rows, zeo, million, verdicts, settings)
    print("\n" + text)
    if chosen.results or set(chosen.selected) == {*WORKLOAD_NAMES, *EXTRA_NAMES}:
        print(f"written to {report.write_results(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
