"""Apache Jena, from Debian's libapache-jena-java, reads kg's exports and agrees with kg's SHACL report.

Jena's parsers (riot) are what Jena, Fuseki and TopBraid read files with; its SHACL engine follows the
specification, so ``sh:conforms`` and the results of kg's report must be what Jena reports, on the curated
graph and on every shape fixture. Skipped where Java or Jena's jars are missing; .ci/run installs both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from kg.project import Project
from kg.rdf.load import load_files
from kg.validate.describe import Describer
from kg.validate.report import ValidationReport, ValidationResult
from kg.validate.shapes import shacl_results
from support.paths import REPO
from support.shapes import SHAPE_CASES, SHAPE_FIXTURES, FixtureValidation

JAVA = shutil.which("java")
JARS = Path("/usr/share/java")
JENA_JARS = [
    "jena-base",
    "jena-core",
    "jena-arq",
    "jena-iri",
    "jena-shacl",
    "jena-shex",
    "jena-cmds",
    "jena-rdfconnection",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-tdb",
    "jena-tdb2",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "httpclient",
    "httpcore",
    "httpclient-cache",
    "thrift",
    "protobuf",
    "titanium-json-ld",
    "jakarta.json-api",
    "guava",
    "slf4j-api",
    "slf4j-simple",
]

pytestmark = pytest.mark.skipif(
    JAVA is None or not (JARS / "jena-shacl.jar").is_file(),
    reason="needs Java and Jena (Debian: default-jre-headless libapache-jena-java)",
)

# Validates each data file against the shapes in one Java process (a JVM a file would take minutes) and writes
# each report as N-Triples beside it.
JENA_SHACL = """
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import java.io.FileOutputStream;

public class JenaShacl {
    public static void main(String[] args) throws Exception {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i < args.length; i++) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            try (FileOutputStream out = new FileOutputStream(args[i] + ".report.nt")) {
                RDFDataMgr.write(out, ShaclValidator.get().validate(shapes, data).getModel(), Lang.NTRIPLES);
            }
        }
    }
}
"""


@pytest.fixture(scope="module")
def classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Jena's jars, and its xerces message bundles where Debian's repackaged classes look for them: without
    these, the first datatype error fails with a missing-resource exception instead of a result."""
    bundles = tmp_path_factory.mktemp("jena") / "xerces-messages.jar"
    with zipfile.ZipFile(bundles, "w") as out:
        for jar in ("jena-core", "jena-base", "jena-arq"):
            with zipfile.ZipFile(JARS / f"{jar}.jar") as source:
                for name in source.namelist():
                    if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                        target = name.removeprefix("org/apache/jena/ext/")
                        if target not in out.namelist():
                            out.writestr(target, source.read(name))
    return ":".join([*(str(JARS / f"{name}.jar") for name in JENA_JARS), str(bundles)])


def java(classpath: str, *args: str) -> subprocess.CompletedProcess[str]:
    assert JAVA is not None
    return subprocess.run([JAVA, "-cp", classpath, *args], capture_output=True, text=True, check=False)


def export(project: Project, fmt: str, out: Path) -> Path:
    command = [sys.executable, "-m", "kg", "--project", str(project.root), "export", "--format", fmt, "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    return out


@pytest.mark.parametrize(("fmt", "name"), [("turtle", "graph.ttl"), ("trig", "graph.trig"), ("rdfxml", "graph.rdf")])
def test_riot_reads_the_export_strictly(fmt: str, name: str, project: Project, classpath: str, tmp_path: Path) -> None:
    path = export(project, fmt, tmp_path / name)
    done = java(classpath, "riotcmd.riot", "--validate", "--strict", "--count", str(path))
    assert done.returncode == 0, done.stderr
    assert "WARN" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    assert path.read_text(encoding="utf-8").startswith("@prefix ") or fmt == "rdfxml"


Found = tuple[str, str, str, str, str]


def term(node: Node | None) -> str:
    # Blank nodes are compared by kind only: their labels are each engine's own.
    return "" if node is None else "_:" if isinstance(node, BNode) else node.n3()


def results_of(report: Graph) -> tuple[bool, Counter[Found]]:
    """``sh:conforms`` and each result as (focus node, path, shape, component, severity)."""
    (conforms,) = report.objects(None, SH.conforms)
    assert isinstance(conforms, Literal)
    found: Counter[Found] = Counter()
    for result in report.objects(None, SH.result):
        parts = (SH.focusNode, SH.resultPath, SH.sourceShape, SH.sourceConstraintComponent, SH.resultSeverity)
        key = tuple(term(report.value(result, part)) for part in parts)
        found[key] += 1  # type: ignore[index]
    return bool(conforms.toPython()), found


def kg_report(files: list[Path]) -> Graph:
    loaded = load_files(files)
    shapes = Graph().parse(REPO / "ontology" / "shapes.ttl")
    return report_graph(shacl_results(loaded.graph, shapes, Describer(loaded, REPO)))


def report_graph(results: list[ValidationResult]) -> Graph:
    return Graph().parse(data=ValidationReport(results).to_turtle(), format="turtle")


def jena_reports(classpath: str, folder: Path, data: dict[str, Graph]) -> dict[str, Graph]:
    """Jena's report on each case's graph, all of them validated in one Java process."""
    source = folder / "JenaShacl.java"
    source.write_text(JENA_SHACL, encoding="utf-8")
    files = {case: folder / f"{case}.nt" for case in data}
    for case, graph in data.items():
        graph.serialize(files[case], format="nt", encoding="utf-8")
    done = java(classpath, str(source), str(REPO / "ontology" / "shapes.ttl"), *map(str, files.values()))
    assert done.returncode == 0, done.stderr[-3000:]
    return {case: Graph().parse(f"{path}.report.nt", format="nt") for case, path in files.items()}


def fixture_path(case: str) -> Path:
    """``EntityShape-bad`` -> tests/fixtures/shapes/EntityShape/bad.ttl."""
    name, which = case.rsplit("-", 1)
    return SHAPE_FIXTURES / name / f"{which}.ttl"


@pytest.fixture(scope="module")
def jena(
    classpath: str,
    curated_files: list[Path],
    fixture_validation: FixtureValidation,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Graph]:
    """Jena's reports on the curated graph and on every shape fixture (each merged with the ontology and
    base.ttl, as kg loads it), from one Java process: a JVM start and a compile cost seconds each."""
    cases = [f"{case}-{which}" for case in SHAPE_CASES for which in ("good", "bad")]
    data = {"curated": load_files(curated_files).graph}
    data.update({case: fixture_validation.loaded(fixture_path(case)).graph for case in cases})
    return jena_reports(classpath, tmp_path_factory.mktemp("jena-reports"), data)


def test_jena_and_kg_agree_on_the_curated_graph(curated_files: list[Path], jena: dict[str, Graph]) -> None:
    found = results_of(jena["curated"])
    assert found == results_of(kg_report(curated_files))
    assert found[0] is False and sum(found[1].values()) == 1  # one sh:Info result: not conforming, by SHACL


def test_jena_and_kg_agree_on_every_shape_fixture(
    jena: dict[str, Graph], fixture_validation: FixtureValidation
) -> None:
    cases = [case for case in jena if case != "curated"]
    assert len(cases) == 2 * len(SHAPE_CASES)
    # kg's side is the session's validation of each fixture (the ontology, base.ttl and the fixture loaded
    # together, the default engine), which tests/test_shapes.py checks result by result.
    kg = {case: report_graph(fixture_validation.shape_results(fixture_path(case))) for case in cases}
    disagreements = {case: (results_of(jena[case]), results_of(kg[case])) for case in cases}
    disagreements = {case: pair for case, pair in disagreements.items() if pair[0] != pair[1]}
    assert disagreements == {}
    assert any(not results_of(jena[case])[0] for case in cases)  # the bad fixtures do fail
