"""Write every output kg makes of a project into one folder, so that two versions of kg can be compared byte for byte.

    python benchmarks/snapshot_outputs.py OUT_DIR [--project DIR]
    diff -r OUT_BEFORE OUT_AFTER

It runs the real ``kg`` command (``python -m kg``), one process per output: ``kg build``'s dist/, every library
query in every answer format, every export format, the validation report in every form, and the pages
(whole, focused, from a CONSTRUCT query), each from the files and from an Oxigraph store. Use it before and
after a change that should not change what kg writes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
EXPORT_FORMATS = (*GRAPH_FORMATS, "graphml", "gexf", "csv-nodes", "csv-edges")


def kg(project: Path, *args: str) -> tuple[int, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--project", str(project), *args], capture_output=True, check=False
    )
    return done.returncode, done.stdout + b"\n--- stderr ---\n" + done.stderr


def library_names(project: Path) -> list[str]:
    return sorted(p.stem for p in (project / "queries").glob("*.rq"))


def snapshot(project: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # One fixed place, so that paths kg prints are the same in every snapshot.
    work = Path(tempfile.gettempdir()) / "kg-snapshot-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        copy = work / "project"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns("dist", ".dist.*", ".kg", "node_modules"))
        _, log = kg(copy, "build")
        (out / "build.log").write_bytes(log)
        shutil.copytree(copy / "dist", out / "dist")
        store = work / "store"
        kg(copy, "load", "--store", f"oxigraph:{store}")
        for backend, extra in (("files", ()), ("store", ("--store", f"oxigraph:{store}"))):
            write_backend(copy, out / backend, extra)
        for form in ("text", "turtle", "json"):
            code, text = kg(copy, "validate", "--format", form)
            (out / f"validate.{form}").write_bytes(b"exit %d\n" % code + text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_backend(project: Path, out: Path, extra: tuple[str, ...]) -> None:
    out.mkdir(parents=True)
    for name in library_names(project):
        for form in (*SELECT_FORMATS, *GRAPH_FORMATS):
            code, text = kg(project, "query", name, "--format", form, *extra)
            (out / f"query-{name}.{form}").write_bytes(b"exit %d\n" % code + text)
    for form in EXPORT_FORMATS:
        code, text = kg(project, "export", "--format", form, *extra)
        (out / f"export.{form}").write_bytes(b"exit %d\n" % code + text)
    pages = {
        "whole": (),
        "lei-jun": ("--focus", "Lei Jun", "--depth", "2"),
        "query": ("--query", str(REPO / "tests" / "fixtures" / "render" / "ownership.rq")),
    }
    for page, options in pages.items():
        target = out / f"page-{page}.html"
        code, text = kg(project, "render", *options, "-o", str(target), *extra)
        (out / f"page-{page}.log").write_bytes(b"exit %d\n" % code + text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--project", type=Path, default=REPO)
    args = parser.parse_args()
    snapshot(args.project.resolve(), args.out)


if __name__ == "__main__":
    main()
