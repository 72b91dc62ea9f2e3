"""OWL tools accept the ontology and the graph: the OWL API's OWL 2 DL profile check, its Turtle parser (the one
inside Protégé), and the HermiT and Pellet reasoners, as owlready2 ships them (docs/owl.md).

Skipped where Java or owlready2 is missing; .ci/run installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from kg.export.bundle import BundleExports
from kg.project import Project

owlready2 = pytest.importorskip("owlready2", reason="owlready2 (the test extra) ships HermiT, Pellet and the OWL API")
JAVA = shutil.which("java")
pytestmark = pytest.mark.skipif(JAVA is None, reason="no Java runtime (Debian: default-jre-headless)")

HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"

# A small program against the OWL API 3.4 inside HermiT.jar: it parses one document and prints the format the
# parser recognised, the number of axioms, each annotation on a logical axiom, then the OWL 2 DL profile's
# violations, one a line.
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
        for (OWLAxiom axiom : ontology.getLogicalAxioms()) {
            for (OWLAnnotation annotation : axiom.getAnnotations()) {
                System.out.println("annotated " + axiom.getAxiomWithoutAnnotations() + " " + annotation);
            }
        }
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


def reason(document: Path, reasoner: str) -> list[object]:
    """Load ontology + data in owlready2 and run one reasoner with its default options; the unsatisfiable
    classes, or an exception (owlready2 raises one when the reasoner finds the ontology inconsistent)."""
    world = owlready2.World()
    world.get_ontology(document.as_uri()).load()
    if reasoner == "hermit":
        owlready2.sync_reasoner_hermit(world, debug=0)
    else:
        owlready2.sync_reasoner_pellet(world, debug=0)
    return list(world.inconsistent_classes())


@pytest.fixture(scope="module")
def curated_owl(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(project.root, "owl", tmp_path_factory.mktemp("owl") / "graph.owl")


@pytest.fixture(scope="module")
def generated_owl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks import generate

    folder = tmp_path_factory.mktemp("owl-10k")
    generated = generate.generate_project(folder / "project", 10_000, seed=3)
    return export(generated.root, "owl", folder / "graph.owl")


@pytest.mark.parametrize("which", ["curated_owl", "generated_owl"])
def test_pellet_finds_ontology_and_data_consistent(which: str, request: pytest.FixtureRequest) -> None:
    # Pellet checks every literal against its property's range: rdf:langString as a range made it call the
    # graph inconsistent; rdf:PlainLiteral, OWL 2's own datatype for text, holds the language-tagged quotes.
    assert reason(request.getfixturevalue(which), "pellet") == []


@pytest.mark.parametrize("which", ["curated_owl", "generated_owl"])
def test_hermit_finds_ontology_and_data_consistent_with_no_option(which: str, request: pytest.FixtureRequest) -> None:
    # No ignore_unsupported_datatypes: every literal of the OWL export is in the OWL 2 datatype map.
    assert reason(request.getfixturevalue(which), "hermit") == []


def test_the_owl_export_is_inside_the_owl2_dl_profile_and_says_each_date_precision(
    curated_owl: Path, curated_exports: BundleExports, tmp_path: Path
) -> None:
    lines = owl_api(curated_owl, tmp_path)
    assert lines[0] == "format RDFXMLOntologyFormat"
    assert [line for line in lines if line.startswith("violation")] == []
    # The OWL API reads each year-precision literal as a string whose assertion carries its datatype.
    annotated = [line for line in lines if line.startswith("annotated ")]
    pattern = re.compile(
        r'annotated DataPropertyAssertion\(<\S+> <\S+> "([^"]+)"\^\^xsd:string\) '
        r"Annotation\(<https://w3id.org/kg/ontology#rdfDatatype> <http://www.w3.org/2001/XMLSchema#(\w+)>\)"
    )
    found = sorted(match.groups() for line in annotated if (match := pattern.fullmatch(line)))
    assert len(found) == len(annotated)
    expected = sorted(
        (str(o), o.datatype.removeprefix(str(XSD)))
        for o in curated_exports.union.objects()
        if isinstance(o, Literal) and o.datatype in (XSD.gYear, XSD.gYearMonth)
    )
    assert found == expected
    assert {precision for _, precision in found} == {"gYear", "gYearMonth"}


def test_hermit_refuses_the_plain_rdfxml_export_for_its_year_precision_dates(project: Project, tmp_path: Path) -> None:
    # Why the OWL export exists: the RDF exports keep xsd:gYear and xsd:gYearMonth, outside the OWL 2 map.
    graph_rdf = export(project.root, "rdfxml", tmp_path / "graph.rdf")
    with pytest.raises(owlready2.OwlReadyJavaError, match="XMLSchema#gYear"):
        reason(graph_rdf, "hermit")
