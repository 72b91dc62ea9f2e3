"""OWL tools accept the ontology and the graph: the OWL API's OWL 2 DL profile check, its Turtle parser (the one
inside Protégé), and the HermiT and Pellet reasoners, as owlready2 ships them (docs/owl.md).

Skipped where Java or owlready2 is missing; .ci/run installs both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.project import Project

owlready2 = pytest.importorskip("owlready2", reason="owlready2 (the test extra) ships HermiT, Pellet and the OWL API")
JAVA = shutil.which("java")
pytestmark = pytest.mark.skipif(JAVA is None, reason="no Java runtime (Debian: default-jre-headless)")

HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"

# A small program against the OWL API 3.4 inside HermiT.jar: it parses one document and prints the format the
# parser recognised, then the OWL 2 DL profile's violations, one a line.
OWL_API_CHECK = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class OwlApiCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        System.out.println("format " + manager.getOntologyFormat(ontology).getClass().getSimpleName());
        System.out.println("axioms " + ontology.getAxiomCount());
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            System.out.println("violation " + v);
        }
    }
}
"""


def owl_api(document: Path, tmp_path: Path) -> list[str]:
    source = tmp_path / "OwlApiCheck.java"
    source.write_text(OWL_API_CHECK, encoding="utf-8")
    assert JAVA is not None
    done = subprocess.run(
        [JAVA, "-cp", str(HERMIT_JAR), str(source), str(document)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


def export(project_root: Path, fmt: str, out: Path) -> Path:
    command = [sys.executable, "-m", "kg", "--project", str(project_root), "export", "--format", fmt, "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    return out


def test_the_ontology_is_inside_the_owl2_dl_profile(project: Project, tmp_path: Path) -> None:
    lines = owl_api(project.ontology_dir / "kg.ttl", tmp_path)
    assert lines[0] == "format TurtleOntologyFormat"
    assert int(lines[1].split()[1]) > 600
    assert [line for line in lines if line.startswith("violation")] == []


def test_the_turtle_export_parses_in_the_owl_api(project: Project, tmp_path: Path) -> None:
    graph_ttl = export(project.root, "turtle", tmp_path / "graph.ttl")
    lines = owl_api(graph_ttl, tmp_path)
    # Before the export wrote @prefix, the OWL API stopped at line 1 of it (owlcs/owlapi#1149).
    assert lines[0] == "format TurtleOntologyFormat"
    assert int(lines[1].split()[1]) > 1500
    assert [line for line in lines if line.startswith("violation")] == []


def reason(document: Path, reasoner: str, **options: bool) -> list[object]:
    """Load ontology + data in owlready2 and run one reasoner; the unsatisfiable classes, or an exception."""
    world = owlready2.World()
    world.get_ontology(document.as_uri()).load()
    if reasoner == "hermit":
        owlready2.sync_reasoner_hermit(world, debug=0, **options)
    else:
        owlready2.sync_reasoner_pellet(world, debug=0, **options)
    return list(world.inconsistent_classes())


@pytest.fixture(scope="module")
def curated_rdfxml(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(project.root, "rdfxml", tmp_path_factory.mktemp("owl") / "graph.rdf")


@pytest.fixture(scope="module")
def generated_rdfxml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks import generate

    folder = tmp_path_factory.mktemp("owl-10k")
    generated = generate.generate_project(folder / "project", 10_000, seed=3)
    return export(generated.root, "rdfxml", folder / "graph.rdf")


@pytest.mark.parametrize("which", ["curated_rdfxml", "generated_rdfxml"])
def test_pellet_finds_ontology_and_data_consistent(which: str, request: pytest.FixtureRequest) -> None:
    # Pellet checks every literal against its property's range: rdf:langString as a range made it call the
    # graph inconsistent; rdf:PlainLiteral, OWL 2's own datatype for text, holds the language-tagged quotes.
    assert reason(request.getfixturevalue(which), "pellet") == []


@pytest.mark.parametrize("which", ["curated_rdfxml", "generated_rdfxml"])
def test_hermit_finds_ontology_and_data_consistent(which: str, request: pytest.FixtureRequest) -> None:
    assert reason(request.getfixturevalue(which), "hermit", ignore_unsupported_datatypes=True) == []


def test_hermit_needs_the_datatype_option_only_for_year_precision_dates(curated_rdfxml: Path) -> None:
    # The data keeps xsd:gYear and xsd:gYearMonth (the source's precision); HermiT knows only the OWL 2
    # datatype map, even for a datatype the ontology declares, so it is run treating those literals as opaque.
    with pytest.raises(owlready2.OwlReadyJavaError, match="XMLSchema#gYear"):
        reason(curated_rdfxml, "hermit")
