"""The table `make bench` prints, and bench/RESULTS.md that keeps the latest one.

RESULTS.md is rewritten by each full run, except its section "What is left", which
holds what the profiles of the hot path show, and the sections after it (such as
the one `bench/sandbox_costs.py --write` keeps): they are carried over from the
previous file as they are.
"""

import datetime
import os
import platform
import subprocess
from pathlib import Path

from requests import WORKLOAD_NAMES

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
LEFT_HEADING = "## What is left"
LEFT_PLACEHOLDER = """For each target not met: what the profile of that request shows is left.

(Not filled in yet: profile the request with `python -m cProfile` around the
publisher, or py-spy on `objweb serve` under `wrk`, and write here where the time goes.)
"""


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _marks(verdicts, workload: str) -> str:
    return ", ".join(verdict.mark for verdict in verdicts if verdict.workload == workload)


def workload_table(rows: dict, verdicts) -> list[str]:
    lines = ["| workload | objweb req/s | p50 ms | p99 ms | bare req/s | ratio | zope5 req/s "
             "| objweb/zope5 | target | met? |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for name in WORKLOAD_NAMES:
        row = rows.get(name)
        if row is None:
            continue
        zope = f"{row.zope.rate:.0f}" if row.zope else "—"
        versus = f"{row.versus_zope:.2f}" if row.versus_zope is not None else "—"
        targets = "; ".join(verdict.target for verdict in verdicts if verdict.workload == name)
        lines.append(f"| {name} | {row.objweb.rate:.0f} | {_ms(row.objweb.p50_ms)} | "
                     f"{_ms(row.objweb.p99_ms)} | {row.bare.rate:.0f} | {row.ratio:.2f} | "
                     f"{zope} | {versus} | {targets} | {_marks(verdicts, name)} |")
    return lines


def legend_lines(rows: dict) -> list[str]:
    lines = [f"- {name}: {text}" for name, text in WORKLOAD_NAMES.items() if name in rows]
    if "bare_hello" in rows:
        lines.append("  (bare_hello drives the bare app in both columns: its ratio is how far"
                     " two runs a moment apart differ on this machine.)")
    return lines


def pair_lines(rows: dict) -> list[str]:
    """Every pair's ratio, so that a reader sees how far the runs spread."""
    lines = []
    for name in WORKLOAD_NAMES:
        if name in rows:
            ratios = ", ".join(f"{ratio:.2f}" for ratio in rows[name].ratios)
            label = rows[name].zope_label
            lines.append(f"- {name}: objweb/bare per pair {ratios}"
                         + (f" ({label})" if label else ""))
    return lines


def zeo_lines(zeo) -> list[str]:
    if zeo is None:
        return []
    one, one_zeo, two = zeo.median_round
    ratios = ", ".join(f"{ratio:.2f}" for ratio in zeo.ratios)
    return ["| reads of /bench/page | req/s | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: |",
            f"| one process, FileStorage | {one.rate:.0f} | {_ms(one.p50_ms)} | "
            f"{_ms(one.p99_ms)} |",
            f"| one process over ZEO | {one_zeo.rate:.0f} | {_ms(one_zeo.p50_ms)} | "
            f"{_ms(one_zeo.p99_ms)} |",
            f"| two processes over ZEO | {two.rate:.0f} | {_ms(two.p50_ms)} | "
            f"{_ms(two.p99_ms)} |",
            "", f"Two over ZEO / one on FileStorage, per round: {ratios}; "
            f"two over ZEO / one over ZEO: {two.rate / one_zeo.rate:.2f}."
            if one_zeo.rate else ""]


def million_lines(million) -> list[str]:
    if million is None:
        return []
    runs = "; ".join(f"{mb:.0f} MB after {run.requests:,} reads ({run.rate:.0f}/s, p50 "
                     f"{_ms(run.p50_ms)} ms)" for mb, run in zip(million.rss_after_mb,
                                                                million.reads))
    return [f"`objweb serve` of a site of 1,000,000 Pages (100 folders of 10,000; "
            f"cache_size {million.cache_size} objects per connection, {million.threads} "
            f"threads) answered its first 200 after {million.startup_seconds:.2f} s "
            f"(a new Python process importing objweb alone takes "
            f"{million.import_seconds:.2f} s). RSS: {million.rss_started_mb:.0f} MB after "
            f"the start; then, runs of reads spread at random over the million: {runs}."]


def verdict_lines(verdicts) -> list[str]:
    return [f"- **{verdict.mark}**: {verdict.target}: {verdict.measured}"
            for verdict in verdicts]


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=RESULTS.parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def document(rows, zeo, million, verdicts, settings: str) -> str:
    """The whole report in Markdown: what `make bench` prints and RESULTS.md keeps."""
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = ["# Benchmark results", "",
             f"{when}, commit {commit()}, {machine()}. {settings}", "",
             *workload_table(rows, verdicts), "", *legend_lines(rows), "",
             "Per pair (each objweb run beside the bare run just before it):", "",
             *pair_lines(rows)]
    if zeo is not None:
        parts += ["", "## Reads over ZEO", "", *zeo_lines(zeo)]
    if million is not None:
        parts += ["", "## A site of a million objects", "", *million_lines(million)]
    parts += ["", "## Targets", "", *verdict_lines(verdicts), ""]
    return "\n".join(parts)


def kept_left_section() -> str:
    """The "What is left" section of the current RESULTS.md, or the placeholder."""
    if RESULTS.exists():
        text = RESULTS.read_text()
        if LEFT_HEADING in text:
            return text[text.index(LEFT_HEADING):].rstrip() + "\n"
    return f"{LEFT_HEADING}\n\n{LEFT_PLACEHOLDER}"


def write_results(text: str) -> Path:
    left = kept_left_section()
    RESULTS.write_text(text.rstrip() + "\n\n" + left)
    return RESULTS
