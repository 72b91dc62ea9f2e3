"""The one SPARQL reader: its lexer, what kg reads from query text with it, the one term writer, and
that every part of kg which looks inside a query goes through it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import XSD, Literal, URIRef

from kg.backends.endpoint import with_prefixes, with_values
from kg.errors import InputError, UsageError
from kg.guard import sparql_lexer
from kg.guard.sparql import check_query, find_problem
from kg.guard.sparql_lexer import lex, string_value, tokens
from kg.guard.sparql_reader import (
    assigns_variable,
    declared_prefixes,
    header_comments,
    query_form,
    repeated_predicates,
    variables,
    where_group_start,
)
from kg.guard.sparql_terms import iri_text, literal_text, prefix_declaration, string_text, term_text, variable_text
from kg.query.library import LibraryQuery, describe_query, parse_term
from kg.query.syntax import undeclared_prefix_position
from kg.validate.change_reach import transitive_predicates
from kg.validate.checks import ViolationQuery, parse_check
from kg.validate.incremental import binds_this
from kg.validate.report import Severity
from kg.view.selection import require_construct

KG = "https://w3id.org/kg/ontology#"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokens(text)]


# --- the lexer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "string",
    [
        '"a # not a comment"',
        "'<not an IRI>'",
        '"PREFIX kg: <urn:x#>"',
        "'SERVICE <http://x/> { }'",
        '"""one\nPREFIX two\n# three\n"""',
        "'''it''s \"quoted\" '' twice'''",
        '"escaped \\" quote # and hash"',
        "'\\u0053ERVICE'",
    ],
)
def test_a_string_is_one_token_whatever_it_holds(string: str) -> None:
    assert kinds(f"ASK {{ ?s ?p {string} }}") == [
        ("word", "ASK"),
        ("open", "{"),
        ("variable", "?s"),
        ("variable", "?p"),
        ("string", string),
        ("close", "}"),
    ]


def test_comments_iris_prefixed_names_and_the_rest() -> None:
    text = (
        'PREFIX ex: <http://x/a#b>  # SELECT SERVICE { \'\nSELECT ?x $y WHERE { ?x ex:a\\#b 1.5e3, -2 ; a "v"@en-GB . }'
    )
    lexemes = list(lex(text))
    assert "".join(t.text for t in lexemes) == text  # nothing is lost: the lexemes are the text
    assert [(t.kind, t.text) for t in lexemes if t.kind == "comment"] == [("comment", "# SELECT SERVICE { '")]
    assert kinds(text) == [
        ("word", "PREFIX"),
        ("prefixed", "ex:"),
        ("iri", "<http://x/a#b>"),
        ("word", "SELECT"),
        ("variable", "?x"),
        ("variable", "$y"),
        ("word", "WHERE"),
        ("open", "{"),
        ("variable", "?x"),
        ("prefixed", "ex:a\\#b"),
        ("number", "1.5e3"),
        ("punct", ","),
        ("punct", "-"),
        ("number", "2"),
        ("punct", ";"),
        ("word", "a"),
        ("string", '"v"'),
        ("langtag", "@en-GB"),
        ("punct", "."),
        ("close", "}"),
    ]


def test_a_prefixed_name_or_word_ends_before_a_final_dot() -> None:
    assert kinds("?s ex:p ex:o.") == [("variable", "?s"), ("prefixed", "ex:p"), ("prefixed", "ex:o"), ("punct", ".")]
    assert kinds("ex:a.b true.") == [("prefixed", "ex:a.b"), ("word", "true"), ("punct", ".")]


def test_token_offsets_count_across_long_strings_with_line_breaks() -> None:
    text = 'SELECT * { ?s ?p """a\nb\n""" .\n  SERVICE <http://x/> {} }'
    service = next(t for t in tokens(text) if t.text == "SERVICE")
    assert text[service.offset : service.end] == "SERVICE"
    problem = find_problem(text)
    assert problem is not None and (problem.line, problem.column) == (4, 3)


def test_string_values_read_every_escape() -> None:
    assert string_value('"a\\tb\\n\\"c\\" \\u00e9 \\U0001F600"') == 'a\tb\n"c" é \U0001f600'
    assert string_value("'''x\n'y'''") == "x\n'y"
    with pytest.raises(ValueError, match="unknown escape"):
        string_value('"\\q"')


@pytest.mark.parametrize(
    "text", ["a." * 50_000, "<a" * 50_000, "'\\'" * 30_000, "'''" + "a''" * 30_000, "#\n" * 50_000]
)
def test_the_lexer_tries_at_most_once_per_character(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    counted = CountingPattern(sparql_lexer.LEXEME)
    monkeypatch.setattr(sparql_lexer, "LEXEME", counted)
    find_problem(text)
    assert 0 < counted.calls <= 2 * (len(text) + 1)  # the text as written and with its \u escapes replaced


# --- the guard, over the same tokens -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        'ASK { ?s ?p "SERVICE <http://x/> { }" }',
        "ASK { ?s ?p '# LOAD' }",
        "ASK { ?s ?p ?o } # SERVICE <http://x/> FROM <http://y/> LOAD",
        "ASK { ?s <http://x/#SERVICE> ?o }",
        'ASK { ?s ?p """\nFROM <http://x/>\n""" }',
        'ASK { ?s ?p "\\u0053ERVICE" }',
    ],
)
def test_keywords_in_strings_comments_and_iris_pass(query: str) -> None:
    check_query(query, "q.rq")


@pytest.mark.parametrize(
    "query",
    [
        "ASK { \\u0053ERVICE <http://x/> { } }",
        'ASK { ?s ?p "#" . SERVICE <http://x/> { } }',
        "ASK { ?s ?p '<' . SERVICE <http://x/> { } }",
        "ASK { ?s ?p <http://x/#a> . SERVICE <http://x/> { } }",
        'ASK { ?s ?p """\n""" . SERVICE <http://x/> { } }',
    ],
)
def test_a_keyword_after_a_string_an_iri_or_an_escape_is_refused(query: str) -> None:
    with pytest.raises(InputError, match="SERVICE is refused"):
        check_query(query, "q.rq")


# --- what kg reads from a query ------------------------------------------------------------------------


def test_the_header_is_the_comment_lines_the_text_opens_with() -> None:
    text = "# title: T\r\n# question: Q?\n#\nSELECT * { ?s ?p '# bind: x (IRI) no' }\n# columns: late\n"
    assert header_comments(text) == [(1, "# title: T"), (2, "# question: Q?"), (3, "#")]
    assert header_comments("\n# title: after a blank line") == []
    assert header_comments("  # title: indented") == []
    assert header_comments('SELECT "# title: in a string"') == []


def test_declared_prefixes_are_read_only_from_declarations() -> None:
    text = 'prefix ex: <urn:ex#>\nPREFIX : <urn:empty#>\n# PREFIX no: <urn:no#>\nASK { ?s ?p "PREFIX str: <urn:s#>" }'
    assert declared_prefixes(text) == {"ex": "urn:ex#", "": "urn:empty#"}


def test_prefix_injection_skips_declared_prefixes_and_not_those_in_strings_or_comments() -> None:
    query = 'PREFIX kg: <urn:own#>\n# PREFIX kgr: <urn:x#>\nSELECT * { ?s ?p "PREFIX rdfs: <urn:y#>" }'
    sent = with_prefixes(query)
    assert "PREFIX kg: <https" not in sent
    assert "PREFIX kgr: <https://w3id.org/kg/id/>\n" in sent and "PREFIX rdfs: <http://www.w3.org/" in sent
    assert sent.endswith(query)
    pyoxigraph.Store().query(sent)


@pytest.mark.parametrize(
    ("query", "before"),
    [
        ('SELECT * WHERE { FILTER(?x != "WHERE {") }', "SELECT * WHERE {"),
        ("# WHERE {\nCONSTRUCT { ?s ?p ?o } WHERE # {\n { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE # {\n {"),
        ("ASK { ?s ?p '}' }", "ASK {"),
        ("SELECT ?s { ?s ?p <urn:a{b> }", "SELECT ?s {"),
    ],
)
def test_the_where_group_is_found_past_strings_comments_and_iris(query: str, before: str) -> None:
    at = where_group_start(query)
    assert at is not None and query[:at].endswith(before)


def test_values_go_in_as_written_terms_and_the_query_still_parses() -> None:
    query = 'SELECT ?s ?label WHERE { ?s <urn:p> ?label FILTER(?label != "WHERE {") }'
    tricky = Literal('a "quoted" } ?s { # line\nbreak """ end\\', lang="en")
    sent = with_values(query, {"s": URIRef("urn:x#y"), "label": tricky}, "q")
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("urn:x#y"),
            pyoxigraph.NamedNode("urn:p"),
            pyoxigraph.Literal(str(tricky), language="en"),
        )
    )
    solutions = store.query(sent)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    rows = list(solutions)
    assert len(rows) == 1 and rows[0]["label"].value == str(tricky)


def test_variables_forms_and_assignments_ignore_strings_and_comments() -> None:
    text = 'CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b "?d AS ?this" BIND(1 AS $e) } # SELECT ?f AS ?this'
    assert variables(text) == {"a", "b", "c", "e"}
    assert query_form("# SELECT\nCONSTRUCT WHERE { ?s ?p 'ASK' }") == "CONSTRUCT"
    assert query_form('"SELECT"') is None
    assert assigns_variable(text, "e") and not assigns_variable(text, "this")


def test_repeated_predicates_are_expanded_with_the_declared_prefixes() -> None:
    text = "PREFIX my: <urn:my#>\nASK { ?s my:p+ ?o ; kg:q* ?x ; <urn:r>+ ?y ; my:n ?z . ?s ?p 'kg:s+' } # kg:t+"
    assert repeated_predicates(text, {"kg": KG}) == {"urn:my#p", f"{KG}q", "urn:r"}


# --- the one term writer -------------------------------------------------------------------------------


def test_terms_are_written_as_the_grammar_reads_them() -> None:
    assert iri_text("urn:a#b") == "<urn:a#b>"
    assert string_text('a"b\\c\nd\re\tf') == '"a\\"b\\\\c\\nd\\re\\tf"'
    assert literal_text("x", language="en-GB") == '"x"@en-GB'
    assert literal_text("2022", datatype=str(XSD.gYear)) == '"2022"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    assert term_text(Literal(42)) == '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert variable_text("é_1") == "?é_1"
    assert prefix_declaration("kg", KG) == f"PREFIX kg: <{KG}>\n"


@pytest.mark.parametrize(
    ("write", "value"),
    [
        (iri_text, "urn:a> . SERVICE <http://x/"),
        (iri_text, "urn:a b"),
        (iri_text, "urn:a\\u003E"),
        (string_text, "a \\u0022 b"),
        (lambda v: literal_text("x", language=v), "en} SERVICE"),
        (lambda v: literal_text("x", datatype=v), "urn:t> ."),
        (variable_text, "x) { SERVICE"),
        (variable_text, ""),
        (lambda v: prefix_declaration(v, KG), "kg: <urn:x> SERVICE"),
    ],
)
def test_what_the_grammar_cannot_read_is_refused(write: Callable[[str], str], value: str) -> None:
    with pytest.raises(UsageError, match="cannot be written into a query"):
        write(value)


@pytest.mark.parametrize(
    "value", ['"', "'''", '"""', "\\", "#", "} SERVICE <x> {", "line\nbreak\r", "\t\b\f", "é\U0001f600"]
)
def test_a_written_string_reads_back_as_itself(value: str) -> None:
    written = string_text(value)
    [token] = list(lex(written))
    assert token.kind == "string" and string_value(token.text) == value
    solutions = pyoxigraph.Store().query(f"SELECT ?v WHERE {{ BIND({written} AS ?v) }}")
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    [row] = list(solutions)
    assert row["v"].value == value


def test_bound_terms_are_read_by_the_lexer_and_checked_against_the_grammar() -> None:
    assert parse_term("kg:a\\#b") == URIRef(f"{KG}a#b")
    assert parse_term("'''two\nlines'''") == Literal("two\nlines")
    with pytest.raises(UsageError, match="is not an IRI"):
        parse_term("kg:a\\ b")
    with pytest.raises(UsageError, match="is not an IRI or a literal"):
        parse_term('<urn:a> "b"')


# --- every reader of query text uses the one lexer ----------------------------------------------------


class CountingPattern:
    """Stands in for the lexer's pattern and counts how often it is tried."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.calls = 0

    def match(self, text: str, position: int = 0) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.match(text, position)


def check_file(tmp_path: Path) -> Path:
    path = tmp_path / "c.rq"
    path.write_text("# severity: warning\n# message: m\nSELECT ?this WHERE { ?this ?p ?o }\n", encoding="utf-8")
    return path


CHECK = ViolationQuery(Path("c.rq"), Severity.WARNING, "m", "ASK { ?s kg:partOf+ ?o }")
CALLERS: dict[str, Callable[[Path], object]] = {
    "the guard": lambda _: check_query("ASK {}", "q"),
    "the library header": lambda _: describe_query("q", Path("q.rq"), "# title: T\nASK {}", require_header=False),
    "the library's variables": lambda _: LibraryQuery("q", Path("q"), "ASK { ?x ?p ?o }").bindings(
        {"x": URIRef("urn:x")}
    ),
    "--bind terms": lambda _: parse_term('"x"@en'),
    "prefix injection": lambda _: with_prefixes("ASK {}"),
    "VALUES splicing": lambda _: with_values("ASK { }", {"x": URIRef("urn:x")}, "q"),
    "incremental ?this": lambda _: binds_this("ASK {}"),
    "change reach": lambda _: transitive_predicates([CHECK]),
    "the view's query form": lambda _: require_construct("CONSTRUCT WHERE {}", "q"),
    "check headers": lambda tmp_path: parse_check(check_file(tmp_path)),
    "undeclared prefixes": lambda _: undeclared_prefix_position(
        "ASK { ?s nope:x ?o }", "Unknown namespace prefix : nope"
    ),
}


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_each_caller_reads_query_text_with_the_one_lexer(
    caller: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    counted = CountingPattern(sparql_lexer.LEXEME)
    monkeypatch.setattr(sparql_lexer, "LEXEME", counted)
    CALLERS[caller](tmp_path)
    assert counted.calls > 0


def test_no_other_module_reads_sparql_text_with_its_own_pattern() -> None:
    source = Path(__file__).resolve().parents[1] / "src" / "kg"
    pattern = re.compile(
        r"re\.(?:compile|search|match|sub|findall|finditer)\([^)]*(?:PREFIX|WHERE|SELECT|SERVICE|\\#|#\[)"
    )
    offenders = [
        str(path.relative_to(source))
        for path in sorted(source.rglob("*.py"))
        if path.name != "sparql_lexer.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert "without_comments_strings_and_iris" not in "".join(
        p.read_text(encoding="utf-8") for p in source.rglob("*.py")
    )
