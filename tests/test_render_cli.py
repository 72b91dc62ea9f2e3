"""``kg render`` on the command line: where it writes, what it selects, how it refuses."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from kg.project import Project
from support.cli import KG_PROCESS, run_kg

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"


def run(project: Project, *args: str) -> tuple[int, str, str]:
    result = run_kg("render", *args, project=project, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def drawn_labels(html: str) -> set[str]:
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    return {node["label"] for node in data["nodes"]}


def test_writes_dist_graph_html_by_default(tmp_project: Project) -> None:
    code, out, err = run(tmp_project)
    target = tmp_project.dist_dir / "graph.html"
    assert (code, err) == (0, "")
    assert out == f"wrote {target} (34 entities, 43 claims)\n"
    html = target.read_text(encoding="utf-8")
    assert "Lei Jun" in drawn_labels(html) and len(drawn_labels(html)) == 34
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_out_dash_writes_the_page_to_stdout_only(tmp_project: Project) -> None:
    code, out, err = run(tmp_project, "--out", "-")
    assert (code, err) == (0, "")
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert not (tmp_project.dist_dir / "graph.html").exists()


def test_focus_and_depth_select_a_neighbourhood(tmp_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "lei.html"
    code, out, _ = run(tmp_project, "--focus", "Lei Jun", "--depth", "0", "--out", str(target))
    assert code == 0 and out == f"wrote {target} (1 entities, 0 claims)\n"
    assert drawn_labels(target.read_text(encoding="utf-8")) == {"Lei Jun"}
    code, _, _ = run(tmp_project, "--focus", "kgr:lei-jun", "--out", str(target))
    html = target.read_text(encoding="utf-8")
    assert code == 0 and "Xiaomi" in drawn_labels(html) and len(drawn_labels(html)) == 4
    assert "<title>Lei Jun: neighbourhood</title>" in html


def test_query_renders_the_constructed_graph(tmp_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "owners.html"
    code, out, _ = run(tmp_project, "--query", str(FIXTURES / "ownership.rq"), "--out", str(target))
    assert code == 0 and out == f"wrote {target} (4 entities, 3 claims)\n"
    html = target.read_text(encoding="utf-8")
    assert drawn_labels(html) == {"Xiaomi", "Foton Motor", "licence to build cars", "Borgward name rights"}
    assert '"standing":"unbacked"' not in html and '"standing":"current"' in html


def test_max_nodes_draws_the_best_connected_part(tmp_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "top.html"
    code, _, _ = run(tmp_project, "--max-nodes", "5", "--out", str(target))
    assert code == 0
    html = target.read_text(encoding="utf-8")
    assert len(drawn_labels(html)) == 5 and "Xiaomi" in drawn_labels(html)
    assert "left out: 29 entities" in html


def test_usage_errors_exit_2_with_one_line(tmp_project: Project, tmp_path: Path) -> None:
    select = tmp_path / "select.rq"
    select.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    cases = {
        ("--depth", "2"): "kg: error: --depth needs --focus: it counts edges out from the focused entity\n",
        ("--focus", "Nobody"): "kg: error: --focus 'Nobody' names no entity in the graph (by IRI, prefixed name "
        "or label)\n",
        ("--query", str(select)): f"kg: error: {select}: --query takes a CONSTRUCT query, not SELECT\n",
    }
    for args, message in cases.items():
        code, out, err = run(tmp_project, *args)
        assert (code, out, err) == (2, "", message)
    code, _, err = run(tmp_project, "--max-nodes", "0")
    assert code == 2 and "--max-nodes" in err


def test_a_broken_query_exits_3_naming_file_line_and_column(tmp_project: Project, tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p }\n", encoding="utf-8")
    code, out, err = run(tmp_project, "--query", str(broken))
    assert (code, out) == (3, "")
    assert err.startswith(f"kg: error: {broken}:2:") and "invalid SPARQL" in err


def test_help_has_an_example() -> None:
    result = run_kg("render", "--help")
    assert result.exit_code == 0 and "Example: kg render --focus" in result.output


def test_real_processes_write_the_same_bytes_whatever_the_hash_seed(tmp_project: Project, tmp_path: Path) -> None:
    pages = []
    for seed in ("1", "2"):
        target = tmp_path / f"graph-{seed}.html"
        done = subprocess.run(
            [*KG_PROCESS, "--project", str(tmp_project.root), "render", "--out", str(target)],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert (done.returncode, done.stderr) == (0, "")
        pages.append(target.read_bytes())
    assert pages[0] == pages[1]
    assert len(pages[0]) > 400_000  # vis-network is inlined
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph-1.html", "graph-2.html", "project"]  # no lib/


def test_an_unwritable_target_exits_3(tmp_project: Project, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = run(tmp_project, "--out", str(blocker / "graph.html"))
    assert (code, out) == (3, "")
    assert err.startswith(f"kg: error: {blocker / 'graph.html'}: cannot write the page: ")
