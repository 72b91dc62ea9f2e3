"""The README's benchmark block is rendered from a result of benchmarks/run.py: each of issue 18's targets with
the ratio measured and whether it is met, at the largest size measured, and nothing outside the markers."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from benchmarks import report

RESULT = {
    "measured": "2026-12-06",
    "command": "nice python benchmarks/run.py --sizes 10k,1M",
    "machine": {"cpus": 2, "python": "3.11.7", "platform": "Linux-test"},
    "versions": {"pyoxigraph": "0.5.0"},
    "parts": ["default", "validate", "pyshacl", "curated", "view"],
    "default": [
        {
            "size": "10k",
            "triples": 10_400,
            "default": {"queries": {"ceo": 9.0}, "export": 9.0, "second_query": 9.0, "peak_mb": 2000},
            "bare": {"load": 1.0, "queries": {"ceo": 1.0}, "export": 1.0, "fresh_query": 1.0},
        },
        {
            "size": "1M",
            "triples": 1_000_123,
            "default": {"queries": {"ceo": 20.0, "prices": 10.0}, "export": 25.0, "second_query": 0.6, "peak_mb": 917},
            "bare": {"load": 5.0, "queries": {"ceo": 5.0, "prices": 10.0}, "export": 5.0, "fresh_query": 0.5},
        },
    ],
    "validate": [{"size": "1M", "triples": 1_000_123, "kg": 30.0, "bare": 12.0, "runs": 1}],
    "pyshacl": [
        {
            "size": "1M",
            "triples": 1_000_500,
            "kg": 30.0,
            "pyshacl": 450.0,
            "parity": {"identical": True, "results": 120, "only_fast": 0, "only_pyshacl": 0},
        }
    ],
    "curated": {
        "kg --help": {"kg": 0.07, "bare": 0.05},
        "kg build": {"kg": 1.3, "bare": 0.3},
        "kg render": {"kg": 0.5},
    },
    "view": {
        "rows": [
            {
                "entities": 2088,
                "render_s": 21.9,
                "page_bytes": 865_285,
                "first_frame_s": 0.935,
                "settled_s": 2.5,
                "pan_ms_median": 32.3,
                "pan_ms_p90": 39.9,
                "drawn_nodes": 2086,
                "targets": {"settled_s <= 2.0": False},
            },
            {
                "entities": 20_100,
                "render_s": 180.0,
                "page_bytes": 4_000_000,
                "first_frame_s": 4.1,
                "settled_s": 4.4,
                "pan_ms_median": 41.0,
                "pan_ms_p90": 52.0,
                "drawn_nodes": 20_098,
                "targets": {"pan_ms <= 250.0": True},
            },
        ]
    },
}


def plain(text: str) -> str:
    """Ratios written with x for the multiplication sign the README uses, so that the expected text here is ASCII."""
    return text.replace(report.X, "x")


def line_of(text: str, start: str) -> str:
    (line,) = [line for line in plain(text).splitlines() if line.startswith(start)]
    return line


def test_each_target_has_its_ratio_and_verdict_at_the_largest_size() -> None:
    rows = [replace(t, measured=plain(t.measured), limit=plain(t.limit)) for t in report.targets(RESULT)]
    by_name = {(t.name.split(";")[0], t.where): t for t in rows}
    queries = by_name[
        ("the 2 library queries, a `kg query` process each, the first building the cache", "1M (1,000,123 triples)")
    ]
    assert (queries.kg, queries.bare, queries.measured, queries.limit, queries.met) == (
        "30.0 s",
        "20.0 s",
        "1.50x",
        "≤ 2x",
        True,
    )
    export = by_name[("`kg export --format turtle` after the queries", "1M (1,000,123 triples)")]
    assert (export.measured, export.met) == ("2.50x", False)  # 25 s against 5 s load + 5 s write
    second = by_name[("a second `kg query ceo`, nothing changed", "1M (1,000,123 triples)")]
    assert (second.measured, second.limit, second.met) == ("1.20x", "≤ 1.5x", True)
    peak = by_name[("peak memory of the kg processes", "1M (1,000,123 triples)")]
    assert (peak.measured, peak.met) == ("917 MB", True)
    assert not any(t.where.startswith("10k") for t in rows)  # the 10k figures are in the by-size table only


def test_validation_curated_and_view_targets() -> None:
    targets = [replace(t, measured=plain(t.measured)) for t in report.targets(RESULT)]
    by_name = {t.name.split(";")[0].split(" (")[0]: t for t in targets}
    validate = by_name["the whole `kg validate`"]
    assert (validate.measured, validate.met) == ("2.50x", False)
    pyshacl = by_name["pySHACL's shapes alone against the whole `kg validate`, errors injected"]
    assert (pyshacl.measured, pyshacl.met) == ("15.0x faster", True)
    assert by_name["the same results as pySHACL"].measured == "identical"
    assert (by_name["`kg --help`"].measured, by_name["`kg --help`"].met) == ("1.40x", True)
    assert (by_name["`kg build`"].measured, by_name["`kg build`"].met) == ("4.33x", False)
    assert "`kg render`" not in by_name  # no bare figure, no ratio to judge
    settles = by_name["view in headless Chromium: settles"]
    assert (settles.where, settles.measured, settles.limit, settles.met) == ("2,088 entities", "2.50 s", "≤ 2 s", False)
    pan = by_name["view in headless Chromium: the median frame while panning"]
    assert (pan.where, pan.measured, pan.limit, pan.met) == ("20,100 entities", "41 ms", "≤ 250 ms", True)


def test_the_markdown_counts_the_targets_met_and_tabulates_every_size() -> None:
    text = report.markdown(RESULT, "benchmarks/results/run-10k-1M.json")
    assert "Measured 2026-12-06 on 2 CPUs" in text
    assert "`nice python benchmarks/run.py --sizes 10k,1M`" in text
    assert "**7 of 11 targets met.**" in text
    export = line_of(text, "| `kg export --format turtle` after the queries")
    assert export.endswith("| 1M (1,000,123 triples) | 25.0 s | 10.0 s | 2.50x | ≤ 2x | **no** |")
    assert line_of(text, "| the 2 library queries").endswith("| 30.0 s | 20.0 s | 1.50x | ≤ 2x | yes |")
    by_size = [line for line in plain(text).splitlines() if line.startswith("| 10k (10,400 triples)")]
    assert by_size == [
        "| 10k (10,400 triples) | 9.00 s / 2.00 s (4.50x) | 9.00 s / 2.00 s (4.50x) | "
        "9.00 s / 1.00 s (9.00x) | 2,000 | - |"
    ]
    assert "| 2,088 entities | 0.9 MB | 21.9 s | 0.94 s | 2.50 s | 32.3 ms, 39.9 ms | 2,086 |" in text


def test_a_failed_target_is_not_reported_met_when_a_figure_changes() -> None:
    result = copy.deepcopy(RESULT)
    result["default"][1]["default"]["peak_mb"] = 1100
    result["validate"][0].update(kg=3.0, kg_exit=70)  # fast, because it crashed
    peak = next(t for t in report.targets(result) if t.name.startswith("peak memory"))
    assert (peak.measured, peak.met) == ("1,100 MB", False)
    validate = next(t for t in report.targets(result) if t.name.startswith("the whole `kg validate`"))
    assert (plain(validate.measured), validate.met) == ("0.25x, exit 70", False)


def test_only_the_block_between_the_markers_is_rewritten() -> None:
    top = "# kg\n\n```bash\nkg build\n```\n\n### Benchmark\n\nkept prose\n\n"
    readme = f"{top}{report.BEGIN}\nold table\n{report.END}\n\nafter\n"
    rewritten = report.replace_block(readme, "new table\n")
    assert rewritten == f"{top}{report.BEGIN}\n\nnew table\n\n{report.END}\n\nafter\n"
    assert report.replace_block(rewritten, "new table") == rewritten  # the same result gives the same bytes


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="no block between"):
        report.replace_block("# kg\n", "table")
    with pytest.raises(ValueError):
        report.replace_block(f"{report.END}\n{report.BEGIN}\n", "table")


def test_the_export_target_is_judged_on_the_export_part_when_it_ran() -> None:
    result = copy.deepcopy(RESULT)
    states = {"store cached": {"seconds": 20.0, "peak_mb": 900}, "split cached": {"seconds": 7.0, "peak_mb": 950}}
    result["export"] = [
        {
            "size": "1M",
            "triples": 1_000_123,
            "bare": {"seconds": 4.0},
            "kg": {"turtle": {"seconds": 30.0, "peak_mb": 910, **states}},
            "store": {"kg": 12.0, "bare": 4.0},
        }
    ]
    exports = [t for t in report.targets(result) if t.name.startswith("`kg export")]
    assert [(t.name.split(";")[0], plain(t.measured), t.met) for t in exports] == [
        ("`kg export --format turtle` after a query (the store cached)", "5.00x", False),
        ("`kg export --format turtle` after an export (kg's split kept)", "1.75x", True),
    ]
    line = line_of(report.markdown(result), "| 1M, turtle |")
    assert line == "| 1M, turtle | 4.00 s | 30.0 s (7.50x) | 20.0 s (5.00x) | 7.00 s (1.75x) | 950 | 12.0 s (3.00x) |"


def test_a_run_without_the_million_says_its_targets_are_not_the_issues() -> None:
    small = {key: value for key, value in RESULT.items() if key not in {"validate", "pyshacl"}}
    small["default"] = RESULT["default"][:1]
    assert "this run's largest graph is smaller" in report.markdown(small)
    assert "this run's largest graph is smaller" not in report.markdown(RESULT)
