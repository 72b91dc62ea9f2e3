"""Issue 18's targets and the Markdown made of one result of benchmarks/run.py.

The same text is the summary run.py prints and writes beside its JSON, and the block of README.md between
BEGIN and END (``run.py --readme``, or ``--from-json FILE`` to write it again without measuring). It reads
only the result dict, never the machine, so the README says what that run measured and nothing else. It
imports only the standard library, so that the tests load it as ``benchmarks.report``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

BEGIN = "<!-- benchmark:begin (written by python benchmarks/run.py --readme; edit run.py, not this block) -->"
END = "<!-- benchmark:end -->"
SIZE_ORDER = ("10k", "100k", "1M")  # the targets are at the largest size a run measured
X = "\N{MULTIPLICATION SIGN}"  # ratios as the README writes them

Result = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """One of issue 18's targets as measured: the figures compared, the ratio (or value) and whether it is met."""

    name: str
    where: str
    kg: str
    bare: str
    measured: str
    limit: str
    met: bool


def secs(value: float) -> str:
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def times(value: float) -> str:
    return f"{value:.2f}{X}"


def ratio_target(name: str, where: str, kg: float, bare: float, limit: float) -> Target:
    """kg's time against the bare one, met when the ratio is at most ``limit``."""
    ratio = kg / bare
    return Target(name, where, secs(kg), secs(bare), times(ratio), f"≤ {limit:g}{X}", ratio <= limit)


def largest(entries: list[Result]) -> Result | None:
    return max(entries, key=lambda e: SIZE_ORDER.index(e["size"]), default=None)


def where(entry: Result) -> str:
    triples = entry.get("triples")
    return f"{entry['size']} ({triples:,} triples)" if triples else entry["size"]


def default_figures(entry: Result) -> dict[str, tuple[float, float]]:
    """The default path's comparisons at one size: (kg, bare) seconds for each."""
    kg, bare = entry["default"], entry["bare"]
    return {
        "queries": (sum(kg["queries"].values()), bare["load"] + sum(bare["queries"].values())),
        "export": (kg["export"], bare["load"] + bare["export"]),
        "second": (kg["second_query"], bare["fresh_query"]),
    }


def default_targets(entry: Result, export: Result | None) -> list[Target]:
    """The default path's targets; the export's is judged on the export part when it ran (its bare process parses
    and writes Turtle, as the issue says), else on the default part's bare load into a store and dump."""
    figures, at, count = default_figures(entry), where(entry), len(entry["default"]["queries"])
    peak = entry["default"]["peak_mb"]
    queries = f"the {count} library queries, a `kg query` process each, the first building the cache; bare: "
    out = [ratio_target(queries + "pyoxigraph loads once and runs them in one process", at, *figures["queries"], 2)]
    if export is None:
        name = "`kg export --format turtle` after the queries; bare: pyoxigraph loads a store, dumps Turtle"
        out.append(ratio_target(name, at, *figures["export"], 2))
    else:
        out += export_targets(export)
    shown = f"{peak:,.0f} MB"
    out.append(Target("peak memory of the kg processes", at, shown, "-", shown, "< 1,024 MB", peak < 1024))
    name = "a second `kg query ceo`, nothing changed; bare: a fresh process opens a store, runs it"
    return [*out, ratio_target(name, at, *figures["second"], 1.5)]


def export_targets(entry: Result) -> list[Target]:
    turtle, bare = entry["kg"]["turtle"], entry["bare"]["seconds"]
    name = "`kg export --format turtle` {}; bare: pyoxigraph parses the files, writes Turtle, in a fresh process"
    return [
        ratio_target(name.format(when), where(entry), turtle[state]["seconds"], bare, 2)
        for when, state in (
            ("after a query (the store cached)", "store cached"),
            ("after an export (kg's split kept)", "split cached"),
        )
        if state in turtle
    ]


def validate_target(entry: Result) -> Target:
    """The generated projects conform: a kg run that exits otherwise failed, and its time proves nothing."""
    name = "the whole `kg validate`; bare: `shacl` with the same shapes + the checks in pyoxigraph"
    target = ratio_target(f"{name} (best of {entry['runs']})", where(entry), entry["kg"], entry["bare"], 2)
    if entry.get("kg_exit", 0) == 0:
        return target
    return replace(target, measured=f"{target.measured}, exit {entry['kg_exit']}", met=False)


def pyshacl_targets(entry: Result) -> list[Target]:
    at, speedup, parity = where(entry), entry["pyshacl"] / entry["kg"], entry["parity"]
    fast, slow, same = (
        parity["results"] - parity["only_pyshacl"] + parity["only_fast"],
        parity["results"],
        parity["identical"],
    )
    found = entry.get("kg_exit", 1) == 1  # it must find the injected errors, not crash
    kg, other, measured = secs(entry["kg"]), secs(entry["pyshacl"]), f"{speedup:.1f}{X} faster"
    name = "pySHACL's shapes alone against the whole `kg validate`, errors injected"
    return [
        Target(name, at, kg, other, measured, f"≥ 10{X} faster", speedup >= 10 and found),
        Target(
            "the same results as pySHACL (focus, path, component, severity)",
            at,
            f"{fast:,}",
            f"{slow:,}",
            "identical" if same else "differ",
            "identical",
            same,
        ),
    ]


def curated_targets(curated: dict[str, dict[str, float]]) -> list[Target]:
    def bare(name: str) -> str:
        return "`python -c 'import click'`" if name == "kg --help" else "a script doing the same work"

    return [
        ratio_target(f"`{name}`; bare: {bare(name)}", "curated graph", pair["kg"], pair["bare"], 2)
        for name, pair in curated.items()
        if "bare" in pair
    ]


VIEW_FIGURES = {  # view_bench.py's target names: what they are, and the figure each is judged on
    "settled_s": ("settles", "settled_s", "s"),
    "first_frame_s": ("first frame", "first_frame_s", "s"),
    "pan_ms": ("the median frame while panning", "pan_ms_median", "ms"),
}


def view_targets(view: Result) -> list[Target]:
    """The verdicts view_bench.py recorded for each size's targets, with the figure each was judged on."""
    out = []
    for row in view["rows"]:
        for key, met in row["targets"].items():
            field, limit = key.split(" <= ")
            label, figure, unit = VIEW_FIGURES[field]
            shown = f"{row[figure]:.0f} ms" if unit == "ms" else f"{row[figure]:.2f} s"
            out.append(
                Target(
                    f"view in headless Chromium: {label}",
                    f"{row['entities']:,} entities",
                    shown,
                    "-",
                    shown,
                    f"≤ {float(limit):g} {unit}",
                    met,
                )
            )
    return out


def targets(result: Result) -> list[Target]:
    out: list[Target] = []
    if entry := largest(result.get("default", [])):
        export = largest(result.get("export", []))
        out += default_targets(entry, export if export and export["size"] == entry["size"] else None)
    if entry := largest(result.get("validate", [])):
        out.append(validate_target(entry))
    if entry := largest(result.get("pyshacl", [])):
        out += pyshacl_targets(entry)
    if "curated" in result:
        out += curated_targets(result["curated"])
    if "view" in result:
        out += view_targets(result["view"])
    return out


def target_table(rows: list[Target]) -> list[str]:
    lines = [
        "| issue 18's target | measured on | kg | bare | measured | target | met |",
        "|---|---|---:|---:|---:|---:|:-:|",
    ]
    for t in rows:
        lines.append(
            f"| {t.name} | {t.where} | {t.kg} | {t.bare} | {t.measured} | {t.limit} | {'yes' if t.met else '**no**'} |"
        )
    return lines


def pair(kg: float, bare: float) -> str:
    return f"{secs(kg)} / {secs(bare)} ({times(kg / bare)})"


def default_table(result: Result) -> list[str]:
    """The default path (no flags) at every size measured, beside bare pyoxigraph and the bare validation."""
    validations = {v["size"]: v for v in result.get("validate", [])}
    lines = [
        "| default path, kg / bare | library queries | Turtle export | second query | peak MB | `kg validate` |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for entry in result.get("default", []):
        figures = default_figures(entry)
        check = validations.get(entry["size"])
        cells = [where(entry), *(pair(*figures[k]) for k in ("queries", "export", "second"))]
        cells += [f"{entry['default']['peak_mb']:,.0f}", pair(check["kg"], check["bare"]) if check else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def export_table(result: Result) -> list[str]:
    """``kg export`` in each state of the cache, each ratio against bare pyoxigraph parsing and writing Turtle."""
    lines = [
        f"| export, {X} bare parse + Turtle | bare | no cache | store cached | split cached | peak MB | `--store` |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in result.get("export", []):
        bare = entry["bare"]["seconds"]
        for format_name, kg in entry["kg"].items():
            states = [kg, kg.get("store cached"), kg.get("split cached")]
            cells = [f"{entry['size']}, {format_name}", secs(bare)]
            cells += [f"{secs(s['seconds'])} ({times(s['seconds'] / bare)})" if s else "-" for s in states]
            peak = max(s["peak_mb"] for s in states if s)
            store = entry["store"]
            cells += [
                f"{peak:,.0f}",
                f"{secs(store['kg'])} ({times(store['kg'] / store['bare'])})" if format_name == "turtle" else "-",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def view_table(view: Result) -> list[str]:
    lines = [
        "| view, headless Chromium | page | `kg render` | first frame | settled | pan frame (median, p90) | drawn |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in view["rows"]:
        cells = [
            f"{row['entities']:,} entities",
            f"{row['page_bytes'] / 1e6:.1f} MB",
            secs(row["render_s"]),
            secs(row["first_frame_s"]),
            secs(row["settled_s"]),
            f"{row['pan_ms_median']} ms, {row['pan_ms_p90']} ms",
            f"{row['drawn_nodes']:,}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def header(result: Result, source: str | None) -> list[str]:
    machine, versions = result.get("machine", {}), result.get("versions", {})
    libraries = ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
    line = (
        f"Measured {result['measured']} on {machine.get('cpus', '?')} CPUs ({machine.get('platform', '?')}), "
        f"Python {machine.get('python', '?')}, {libraries}: `{result['command']}`"
    )
    if source:
        line += f"; every figure is in `{source}`"
    return [line + "."]


def markdown(result: Result, source: str | None = None, extra: tuple[list[str], ...] = ()) -> str:
    """The summary of one result: who measured what, each target and whether it is met, then the tables (and
    ``extra`` ones, made by the parts' own modules)."""
    rows = targets(result)
    met = sum(1 for t in rows if t.met)
    verdict = f"**{met} of {len(rows)} targets met.**"
    sized = [e["size"] for part in ("default", "validate", "export", "pyshacl") for e in result.get(part, [])]
    if sized and "1M" not in sized:  # small graphs are dominated by start-up: say so beside the verdicts
        verdict += " Issue 18 sets the graph's targets at 1M triples; this run's largest graph is smaller."
    if result.get("failed"):
        verdict += f" Not measured, the step failed: {', '.join(result['failed'])}."
    parts = [header(result, source), [verdict], target_table(rows)]
    if result.get("default"):
        parts.append(default_table(result))
    if result.get("export"):
        parts.append(export_table(result))
    if result.get("view"):
        parts.append(view_table(result["view"]))
    parts += extra
    return "\n\n".join("\n".join(part) for part in parts) + "\n"


def replace_block(text: str, block: str) -> str:
    """``text`` with what stands between BEGIN and END replaced by ``block``; ValueError without both markers."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no block between {BEGIN!r} and {END!r}")
    return text[: start + len(BEGIN)] + "\n\n" + block.strip("\n") + "\n\n" + text[end:]
