"""Benchmark: the graph view in headless Chromium at 2k, 5k, 10k and 20k entities.

For each size a project of generated data is made (benchmarks/generate.py, sized by triples until it has
at least that many entities), its whole graph is rendered with ``kg render --max-nodes`` above its size,
and the page is opened from file:// with every http(s) request refused. Measured in the page itself
(performance.now(), whose origin is the start of navigation):

- ``first frame``: when the renderer finished drawing for the first time;
- ``settled``: when the page says it is ready (it has no layout of its own to wait for: kg render computes
  the positions), and the longest task the main thread ran before then;
- ``pan frame``: the time between animation frames while the mouse drags the view across the canvas
  (median and 90th percentile), and whether the camera moved.

The targets (issue 18): 2,000 entities settle within 2 s; 10,000 show a first frame within 3 s and pan
under 100 ms a frame; 20,000 are drawn and pan under 250 ms a frame. Run it niced:

    nice python benchmarks/view_bench.py --sizes 2k,5k,10k,20k

Results go to benchmarks/results/view.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
from harness import REPO, RESULTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
TRIPLES_PER_ENTITY = 28  # about what benchmarks/generate.py makes; the first guess, corrected if short
PAN_MOVES = 30
TARGETS = {2000: {"settled_s": 2.0}, 10000: {"first_frame_s": 3.0, "pan_ms": 100.0}, 20000: {"pan_ms": 250.0}}

# Installed before the page's own scripts run: records every long task.
OBSERVE = """
window.kgBench = {longTasks: []};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) kgBench.longTasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
"""


def project_with_entities(entities: int, folder: Path) -> tuple[Path, int]:
    """A generated project with at least ``entities`` entities (grown until it has them), and its count.

    One left in ``folder`` by an earlier run (--keep) is used again when it is big enough."""
    target = folder / f"project-{entities}"
    if target.is_dir() and (count := entity_count(target)) >= entities:
        return target, count
    triples = entities * TRIPLES_PER_ENTITY
    while True:
        shutil.rmtree(target, ignore_errors=True)
        command = [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(triples), str(target)]
        subprocess.run(command, check=True, capture_output=True)
        count = entity_count(target)
        if count >= entities:
            return target, count
        triples = int(triples * entities / max(count, 1) * 1.05)


def entity_count(project: Path) -> int:
    from kg.project import open_project
    from kg.rdf.load import load_project
    from kg.view.network import build_network

    return len(build_network(load_project(open_project(project)).graph).nodes)


def render(project: Path, out: Path) -> float:
    """Seconds ``kg render`` takes to write the page of the whole graph."""
    started = time.perf_counter()
    # The layout of 20,000 entities can pass kg's default 60 s limit on a busy machine: the page is measured here.
    command = [sys.executable, "-m", "kg", "--project", str(project), "--timeout", "1800", "render"]
    done = subprocess.run([*command, "--max-nodes", "1000000", "-o", str(out)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"kg render failed ({done.returncode}): {done.stderr.strip()}")
    return time.perf_counter() - started


def measure(browser: Any, page_file: Path) -> dict[str, Any]:
    """Open ``page_file`` offline and measure its first frame, settling and panning, in the page's clock."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    refused: list[str] = []
    for pattern in ("http://**/*", "https://**/*"):
        page.route(pattern, lambda route: (refused.append(route.request.url), route.abort()))
    page.add_init_script(OBSERVE)
    page.goto(page_file.as_uri(), timeout=120_000)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
    timing = page.evaluate(
        "() => ({first: kgView.firstFrameAt, ready: kgView.readyAt, drawn: kgView.drawnNodes(),"
        " batched: kgView.far ? kgView.far.batched.nodes : 0})"
    )
    before_ready = page.evaluate("(t) => kgBench.longTasks.filter(([s]) => s < t).map(([, d]) => d)", timing["ready"])
    page.wait_for_timeout(500)
    box = page.locator("#kg-graph").bounding_box()
    camera = page.evaluate("() => kgView.camera()")
    # From near a corner, which the fitted graph leaves empty, so the drag moves the camera, not a node.
    start_x, y = box["x"] + 8, box["y"] + 8
    page.mouse.move(start_x, y)
    page.mouse.down()
    started = page.evaluate("() => performance.now()")
    for step in range(1, PAN_MOVES + 1):
        page.mouse.move(start_x + step * 6, y + step * 4)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    # kgView.frames: when the page drew each of its last frames; while the mouse drags, one frame follows another.
    times = page.evaluate("(t) => kgView.frames.filter((f) => f > t)", started)
    page.mouse.up()
    moved = page.evaluate("() => kgView.camera()")
    gaps = sorted(b - a for a, b in pairwise(times))
    page.close()
    return {
        "drawn_nodes": timing["drawn"],
        "batched_nodes": timing["batched"],  # of them, drawn zoomed out in batches (kg.view assets/far.js)
        "first_frame_s": round(timing["first"] / 1000, 3),
        "settled_s": round(timing["ready"] / 1000, 3),
        "longest_task_before_settled_ms": round(max(before_ready, default=0.0)),
        "pan_frames": len(times),
        "pan_ms_median": round(statistics.median(gaps), 1) if gaps else None,
        "pan_ms_p90": round(gaps[int(len(gaps) * 0.9)], 1) if gaps else None,
        "camera_moved": moved != camera,
        "requests": refused,
    }


def verdicts(entities: int, result: dict[str, Any]) -> dict[str, bool]:
    """Each target that applies to this size, met or not (pan by the median frame)."""
    met = {}
    for size, targets in TARGETS.items():
        if size != entities:
            continue
        for name, limit in targets.items():
            value = result["pan_ms_median"] if name == "pan_ms" else result[name]
            met[f"{name} <= {limit}"] = value <= limit
    return met


def entity_sizes(text: str) -> list[int]:
    """``2k,5k,20k`` as entity counts (k = 1000)."""
    return [int(float(s.lower().removesuffix("k")) * (1000 if s.lower().endswith("k") else 1)) for s in text.split(",")]


def measure_sizes(sizes: list[int], folder: Path) -> dict[str, Any]:
    """Every size measured in one browser, each row also printed as it comes; the report view.json holds."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for entities in sizes:
            project, count = project_with_entities(entities, folder)
            page_file = folder / f"view-{entities}.html"
            row: dict[str, Any] = {"entities": count, "render_s": round(render(project, page_file), 2)}
            row["page_bytes"] = page_file.stat().st_size
            row["load_average"] = round(os.getloadavg()[0], 2)  # the machine is shared: how busy it was
            row.update(measure(browser, page_file))
            row["targets"] = verdicts(entities, row)
            rows.append(row)
            print(json.dumps(row), flush=True)
        version = browser.version
        browser.close()
    return {"machine": platform.platform(), "chromium": version, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2k,5k,10k,20k", help="entity counts, comma-separated (k = 1000)")
    parser.add_argument("--keep", type=Path, help="keep the generated projects and pages in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kg-view-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    report = measure_sizes(entity_sizes(args.sizes), folder)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "view.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
