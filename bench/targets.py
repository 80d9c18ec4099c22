"""The targets objweb's figures are held to, each judged from one run's figures.

A target whose figures were not measured in this run (left out with BENCH_ONLY, or
Zope 5 not run) is reported as such, never as met.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: not measured in this run
    workload: str = ""  # the row of the table it belongs to

    @property
    def mark(self) -> str:
        return {True: "met", False: "NOT met", None: "not measured"}[self.met]


def _missing(target: str) -> Verdict:
    return Verdict(target, "—", None)


def judge(rows: dict, zeo=None, million=None) -> list[Verdict]:
    """Judge every target from the rows of the workloads, the ZEO and the million figures."""
    judged = [("page_depth10", _page_depth10(rows)), ("page_depth10", _depth_cost(rows)),
              ("file_100k", _file(rows)), *(("zmi_contents_100k", verdict) for verdict
                                            in _contents(rows)),
              *(("json_patch", verdict) for verdict in _writes(rows)),
              ("zeo_reads", _zeo(zeo)), ("million_startup", _million(million)),
              ("template_macro_loop", _zope_template(rows)), *_new_doors(rows)]
    return [dataclasses.replace(verdict, workload=workload) for workload, verdict in judged]


#: The workloads of the doors still landing (issue 18), each written down with its
#: targets before it is measured. When a door lands, its row goes into
#: bench/requests.py (and bench/workloads.py, bench/zope5.py where Zope 5 has the
#: same) and leaves this list; until then each target below is reported as not
#: measured, never as met. The catalog's, WebDAV's and the extension's rows have landed.
PLANNED_WORKLOADS: dict[str, str] = {}


def _new_doors(rows) -> list[tuple[str, Verdict]]:
    """The targets of the doors of issue 18: those measured and those still planned."""
    return [
        ("catalog_search", _ratio_at_least(rows, "catalog_search", 0.25,
                                           "catalog search ≥ 0.25 × the bare app")),
        ("catalog_search", _p50_below(rows, "catalog_search", 20.0,
                                      "catalog search < 20 ms at p50 (8 in flight)")),
        ("catalog_search", _versus_zope(rows, "catalog_search", 2.0,
                                        "catalog search ≥ 2 × Zope 5's ZCatalog, same query")),
        ("catalog_sorted", _ratio_at_least(rows, "catalog_sorted", 0.20,
                                           "sorted catalog search ≥ 0.20 × the bare app")),
        ("catalog_sorted", _versus_zope(rows, "catalog_sorted", 2.0,
                                        "sorted catalog search ≥ 2 × Zope 5's ZCatalog")),
        ("webdav_propfind_100", _p50_below(rows, "webdav_propfind_100", 50.0,
                                           "PROPFIND of 100 items < 50 ms at p50")),
        ("webdav_propfind_100", _versus_zope(rows, "webdav_propfind_100", 2.0,
                                             "PROPFIND of 100 items ≥ 2 × Zope 5's")),
        ("webdav_get_file", _relative(rows, "webdav_get_file", "file_100k", 0.90,
                                      "WebDAV GET of the File ≥ 0.90 × the plain GET "
                                      "(each as a ratio to its bare run)")),
        ("webdav_put", _relative(rows, "webdav_put", "json_patch", 0.80,
                                 "WebDAV PUT commits/s ≥ 0.80 × JSON PATCH's "
                                 "(each as a ratio to its bare run)")),
        ("webdav_put", _no_server_errors(rows, "webdav_put",
                                         "no 5xx from WebDAV PUT with 4 concurrent writers")),
        ("extension_view", _relative(rows, "extension_view", "page_depth1", 0.95,
                                     "an extension's view ≥ 0.95 × a built-in Page view "
                                     "(each as a ratio to its bare run)")),
    ]


def _p50_below(rows, name: str, ms: float, target: str) -> Verdict:
    row = rows.get(name)
    if row is None:
        return _missing(target)
    return Verdict(target, f"{row.objweb.p50_ms:.1f} ms", row.objweb.p50_ms < ms)


def _relative(rows, name: str, base: str, floor: float, target: str) -> Verdict:
    if name not in rows or base not in rows:
        return _missing(target)
    share = rows[name].ratio / rows[base].ratio if rows[base].ratio else 0.0
    return Verdict(target, f"{share:.2f} × {base}", share >= floor)


def _no_server_errors(rows, name: str, target: str) -> Verdict:
    row = rows.get(name)
    if row is None:
        return _missing(target)
    return Verdict(target, f"{row.server_errors} 5xx in {len(row.pairs)} runs",
                   row.server_errors == 0)


def _versus_zope(rows, name: str, factor: float, target: str) -> Verdict:
    row = rows.get(name)
    if row is None or row.versus_zope is None:
        return _missing(target)
    return Verdict(target, f"{row.objweb_beside_zope.rate:.0f} / {row.zope.rate:.0f} = "
                   f"{row.versus_zope:.2f} ×", row.versus_zope >= factor)


def _ratio_at_least(rows, name: str, floor: float, target: str) -> Verdict:
    row = rows.get(name)
    if row is None:
        return _missing(target)
    return Verdict(target, f"{row.ratio:.2f} ×", row.ratio >= floor)


def _page_depth10(rows) -> Verdict:
    return _ratio_at_least(rows, "page_depth10", 0.50,
                           "anonymous Page at depth 10 ≥ 0.50 × the bare app")


def _depth_cost(rows) -> Verdict:
    target = "Page at depth 10 within 5% of depth 1 (each as a ratio to its bare run)"
    if "page_depth1" not in rows or "page_depth10" not in rows:
        return _missing(target)
    # Each against its own bare run: the ratios cancel the machine's drift between them.
    shallow, deep = rows["page_depth1"].ratio, rows["page_depth10"].ratio
    share = deep / shallow if shallow else 0.0
    return Verdict(target, f"depth 10 = {share:.2f} × depth 1", share >= 0.95)


def _file(rows) -> Verdict:
    return _ratio_at_least(rows, "file_100k", 0.40, "100 KB File ≥ 0.40 × the bare app")


def _contents(rows) -> list[Verdict]:
    fast = "ZMI Contents of 100,000 items < 100 ms at p50"
    near = "ZMI Contents of 100,000 items within 1.3 × of 100 items (p50)"
    big, small = rows.get("zmi_contents_100k"), rows.get("zmi_contents_100")
    verdicts = [_missing(fast) if big is None else
                Verdict(fast, f"{big.objweb.p50_ms:.1f} ms", big.objweb.p50_ms < 100)]
    if big is None or small is None:
        return verdicts + [_missing(near)]
    times = big.objweb.p50_ms / small.objweb.p50_ms if small.objweb.p50_ms else 0.0
    return verdicts + [Verdict(near, f"{big.objweb.p50_ms:.1f} / {small.objweb.p50_ms:.1f} ms"
                               f" = {times:.2f} ×", times <= 1.3)]


def _writes(rows) -> list[Verdict]:
    versus = "JSON PATCH commits/s ≥ 2 × Zope 5's property edits/s"
    clean = "no 5xx with 4 concurrent writers"
    row = rows.get("json_patch")
    if row is None:
        return [_missing(versus), _missing(clean)]
    errors = row.server_errors
    clean_verdict = Verdict(clean, f"{errors} 5xx in {len(row.pairs)} runs", errors == 0)
    if row.versus_zope is None:
        return [_missing(versus), clean_verdict]
    return [Verdict(versus, f"{row.objweb_beside_zope.rate:.0f} / {row.zope.rate:.0f} = "
                    f"{row.versus_zope:.2f} ×", row.versus_zope >= 2.0), clean_verdict]


def _zeo(zeo) -> Verdict:
    target = "two processes over ZEO ≥ 1.6 × one process (reads)"
    if zeo is None:
        return _missing(target)
    one, _, two = zeo.median_round
    ratio = two.rate / one.rate if one.rate else 0.0
    return Verdict(target, f"{two.rate:.0f} / {one.rate:.0f} = {ratio:.2f} ×", ratio >= 1.6)


def _million(million) -> Verdict:
    target = ("1,000,000-object site starts < 2 s, RSS bounded by the cache "
              "(the last of 3 runs of spread reads grows it < 10%)")
    if million is None:
        return _missing(target)
    steps = " → ".join(f"{mb:.0f}" for mb in [million.rss_started_mb, *million.rss_after_mb])
    return Verdict(target, f"{million.startup_seconds:.2f} s; RSS {steps} MB",
                   million.startup_seconds < 2.0 and million.growth < 0.10)


def _zope_template(rows) -> Verdict:
    return _versus_zope(rows, "template_macro_loop", 4.0,
                        "objweb ≥ 4 × Zope 5 on the same anonymous page template")
