"""The query library: headers, lookup by name or path, and the term syntax of --bind and defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from kg.errors import InputError, UsageError
from kg.project import Project
from kg.query.library import describe_query, find_query, library_queries, parse_binding, parse_term
from kg.rdf.namespaces import KG, KGR
from support.paths import CURATED

HEADER = """\
# title: Sources of a fact
# question: Which sources stand behind
#   one fact?
# columns: subject, statement
# bind: subject (IRI) the entity the fact is about
# default: subject = kgr:xiaomi
#
# A note that is not a field.
SELECT ?subject ?statement WHERE { ?statement <https://w3id.org/kg/ontology#subject> ?subject }
"""


def describe(text: str, *, require_header: bool = True):
    return describe_query("q", Path("q.rq"), text, require_header=require_header)


def test_header_fields_continuations_and_parameters() -> None:
    query = describe(HEADER)
    assert query.title == "Sources of a fact"
    assert query.question == "Which sources stand behind one fact?"
    assert query.columns == ("subject", "statement")
    [parameter] = query.parameters
    assert (parameter.name, parameter.kind, parameter.default) == ("subject", "IRI", KGR.xiaomi)
    assert parameter.description == "the entity the fact is about"


def test_a_library_query_must_say_its_title_and_question() -> None:
    with pytest.raises(InputError, match=r"q\.rq:1: the query header lacks '# question:'"):
        describe("# title: Only a title\nASK {}\n")
    assert describe("ASK {}\n", require_header=False).title == ""


def test_the_header_ends_at_the_first_line_that_is_not_a_comment() -> None:
    query = describe("# title: T\n# question: Q?\nASK {}\n# bind: x (IRI) too late\n")
    assert query.parameters == ()
    noted = describe("# title: T\n#\n#   an indented note, not more title\n# question: Q?\nASK {}\n")
    assert (noted.title, noted.question) == ("T", "Q?")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("# bind: subject IRI the entity", r"q\.rq:3: cannot read '# bind: subject IRI the entity'"),
        ("# default: subject = kgr:xiaomi", r"q\.rq:3: '# default: subject' comes before, or without"),
        ("# bind: subject (IRI) s\n# default: subject = 42", r"q\.rq:4: the default for subject is not an IRI"),
        ("# bind: subject (IRI) s\n# default: subject = nope:x", r"q\.rq:4: bad default for subject: unknown prefix"),
    ],
)
def test_bad_parameter_lines_name_file_and_line(line: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        describe(f"# title: T\n# question: Q?\n{line}\nASK {{}}\n")


def test_bindings_apply_defaults_and_check_names_and_kinds() -> None:
    query = describe(HEADER)
    assert query.bindings({}) == {"subject": KGR.xiaomi}
    assert query.bindings({"subject": KGR.bmw}) == {"subject": KGR.bmw}
    with pytest.raises(UsageError, match=r"--bind object: q has no parameter 'object' \(its parameters: subject\)"):
        query.bindings({"object": KGR.bmw})
    with pytest.raises(UsageError, match="--bind subject: q expects an IRI"):
        query.bindings({"subject": Literal("Xiaomi")})


def test_a_query_without_parameters_binds_only_variables_it_mentions() -> None:
    query = describe("SELECT ?x WHERE { ?x ?p $y }", require_header=False)
    assert query.bindings({"y": KGR.xiaomi}) == {"y": KGR.xiaomi}
    with pytest.raises(UsageError, match=r"--bind z: the query has no variable \?z"):
        query.bindings({"z": KGR.xiaomi})
    with pytest.raises(UsageError, match=r"no variable \?x2"):
        query.bindings({"x2": KGR.xiaomi})


def test_the_library_has_at_least_twelve_described_queries(repo_project: Project) -> None:
    queries = library_queries(repo_project.queries_dir)
    assert len(queries) >= 12
    for query in queries:
        assert query.title and query.question.endswith("?"), query.name
        assert query.path.parent == repo_project.queries_dir
    assert "checks" not in {q.name for q in queries}


def test_find_query_by_name_by_path_and_with_a_hint(repo_project: Project, tmp_path: Path) -> None:
    assert find_query(repo_project.queries_dir, "ceo").path == repo_project.queries_dir / "ceo.rq"
    own = tmp_path / "mine.rq"
    own.write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    found = find_query(repo_project.queries_dir, str(own))
    assert (found.name, found.text, found.title) == ("mine", "ASK { ?s ?p ?o }\n", "")
    with pytest.raises(UsageError, match=r"no library query named 'cEO'.*kg query --list"):
        find_query(repo_project.queries_dir, "cEO")
    with pytest.raises(UsageError, match=r"did you mean sources-of\?"):
        find_query(repo_project.queries_dir, "source-of")
    with pytest.raises(UsageError, match=r"no such query file: nowhere/x\.rq"):
        find_query(repo_project.queries_dir, "nowhere/x.rq")


def test_a_former_name_finds_the_renamed_query(repo_project: Project, tmp_path: Path) -> None:
    claims = find_query(repo_project.queries_dir, "claims-by-status")
    assert (claims.name, claims.path) == ("claims", repo_project.queries_dir / "claims.rq")
    assert find_query(repo_project.queries_dir, "status-counts").name == "axis-counts"
    (tmp_path / "new.rq").write_text("# title: T\n# question: Q?\n# alias: old, older\nASK {}\n", encoding="utf-8")
    assert [find_query(tmp_path, name).name for name in ("new", "old", "older")] == ["new", "new", "new"]
    with pytest.raises(UsageError, match="no library query named 'oldest'"):
        find_query(tmp_path, "oldest")


def test_a_file_of_the_name_wins_over_an_alias(tmp_path: Path) -> None:
    (tmp_path / "new.rq").write_text("# title: New\n# question: Q?\n# alias: old\nASK {}\n", encoding="utf-8")
    (tmp_path / "old.rq").write_text("# title: Old\n# question: Q?\nASK {}\n", encoding="utf-8")
    assert find_query(tmp_path, "old").title == "Old"


def test_an_unreadable_query_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"\xff\xfe SELECT")
    with pytest.raises(InputError, match=r"bad\.rq:1:1: cannot read: not UTF-8 text"):
        find_query(tmp_path, str(bad))


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("<https://w3id.org/kg/id/xiaomi>", KGR.xiaomi),
        ("kgr:xiaomi", KGR.xiaomi),
        ("kg:chiefExecutiveOfficer", KG.chiefExecutiveOfficer),
        ('"Lei Jun"@en', Literal("Lei Jun", lang="en")),
        ("'Lei Jun'", Literal("Lei Jun")),
        ('"2022"^^xsd:gYear', Literal("2022", datatype=XSD.gYear)),
        ('"2022-11"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>', Literal("2022-11", datatype=XSD.gYearMonth)),
        ("42", Literal(42)),
        ("-4.5", Literal("-4.5", datatype=XSD.decimal)),
        ("1e3", Literal("1e3", datatype=XSD.double)),
        ("true", Literal(True)),
        ('"line\\nbreak \\"quoted\\" \\u00e9"', Literal('line\nbreak "quoted" é')),
        ('" } ?s ?p ?o { "', Literal(" } ?s ?p ?o { ")),
    ],
)
def test_parse_term_reads_turtle_syntax(text: str, term: URIRef | Literal) -> None:
    parsed = parse_term(text)
    assert parsed == term
    assert type(parsed) is type(term)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("xiaomi", "is not an IRI or a literal"),
        ("nope:xiaomi", "unknown prefix nope:"),
        ("<relative/iri>", "is not an absolute IRI"),
        ("<https://example.org/a b>", "is not an IRI or a literal"),
        ('"unterminated', "is not a well-formed literal"),
        ('"x"@', "expected @language or ^^datatype"),
        ('"abc"^^xsd:integer', "'abc' is not a valid value of http://www.w3.org/2001/XMLSchema#integer"),
        ('"\\q"', "unknown escape \\q"),
        ('"\\uD800"', "is not a Unicode character"),
        ("?x", "is not an IRI or a literal"),
    ],
)
def test_parse_term_refuses_anything_else(text: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_term(text)
    assert message in str(raised.value)


def test_parse_binding() -> None:
    assert parse_binding("subject=kgr:xiaomi") == ("subject", KGR.xiaomi)
    assert parse_binding('?label="a=b"') == ("label", Literal("a=b"))
    with pytest.raises(UsageError, match="write NAME=VALUE"):
        parse_binding("subject")
    with pytest.raises(UsageError, match="write NAME=VALUE"):
        parse_binding("1x=kgr:xiaomi")
    with pytest.raises(UsageError, match="--bind subject: 'xiaomi' is not an IRI"):
        parse_binding("subject=xiaomi")


def test_docs_describe_every_library_query(repo_project: Project) -> None:
    docs = (repo_project.root / "docs" / "queries.md").read_text(encoding="utf-8")
    for query in library_queries(repo_project.queries_dir):
        assert f"| `{query.name}` | {query.question} |" in docs, f"docs/queries.md lacks a row for {query.name}"


def test_the_frozen_project_holds_the_same_library(repo_project: Project) -> None:
    """The fixture project's queries are copies of the repository's, so its goldens test the real ones."""
    frozen = {q.name: q.text for q in library_queries(CURATED / "queries")}
    assert frozen == {q.name: q.text for q in library_queries(repo_project.queries_dir)}
