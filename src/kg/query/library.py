"""The query library: one SPARQL file per question in queries/, described by a header of comments.

A library query starts with comment lines of the form ``# key: value``::

    # title: Chief executives
    # question: Who runs each organization as its chief executive, and on what evidence?
    # columns: organization, organizationLabel, ceo, ceoLabel, evidence
    # bind: subject (IRI) the entity the fact is about
    # default: subject = kgr:xiaomi
    # alias: chief-executives

``title``, ``question`` and ``columns`` are required; ``bind`` declares a variable a user may set with
``--bind NAME=VALUE`` (its kind is IRI, literal or term), and ``default`` gives the value it takes when
the user sets none; ``alias`` lists former names that still find the query. A line ``#`` followed by two
or more spaces continues the field above it; any other comment is a note. The header ends at the first
line that is not a comment. The name of a library query is its file stem: ``queries/ceo.rq`` is
``kg query ceo``.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError, UsageError, printable
from kg.guard.sparql_lexer import Token, expand, lex, split_prefixed, string_value
from kg.guard.sparql_reader import header_comments, variables
from kg.guard.sparql_terms import IRIREF_BODY
from kg.query.syntax import QUERY_PREFIXES
from kg.rdf.load import read_text_input

QUERY_SUFFIXES = (".rq", ".sparql")
REQUIRED_FIELDS = ("title", "question")
FIELD = re.compile(r"^#\s?(title|question|columns|bind|default|alias):\s*(.*)$")
CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
BIND = re.compile(r"^\??([A-Za-z_]\w*)\s+\((IRI|literal|term)\)\s*(.*)$")
DEFAULT = re.compile(r"^\??([A-Za-z_]\w*)\s*=\s*(.+)$")


@dataclass(frozen=True)
class Parameter:
    """A variable of a query that a user may bind; ``default`` is used when they do not."""

    name: str
    kind: str
    description: str
    default: Node | None = None

    def accepts(self, value: Node) -> bool:
        if self.kind == "IRI":
            return isinstance(value, URIRef)
        if self.kind == "literal":
            return isinstance(value, Literal)
        return True


@dataclass(frozen=True)
class LibraryQuery:
    """One query file and what its header says about it."""

    name: str
    path: Path
    text: str
    title: str = ""
    question: str = ""
    columns: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    aliases: tuple[str, ...] = ()

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def bindings(self, given: Mapping[str, Node]) -> dict[str, Node]:
        """The user's bindings checked against the header, with defaults for the ones not given."""
        for name, value in given.items():
            declared = self.parameter(name)
            if declared is None and self.parameters:
                known = ", ".join(p.name for p in self.parameters)
                raise UsageError(f"--bind {name}: {self.name} has no parameter {name!r} (its parameters: {known})")
            if declared is None and not mentions_variable(self.text, name):
                raise UsageError(f"--bind {name}: the query has no variable ?{name}")
            if declared is not None and not declared.accepts(value):
                raise UsageError(f"--bind {name}: {self.name} expects {article(declared.kind)} {declared.kind}")
        defaults = {p.name: p.default for p in self.parameters if p.default is not None}
        return {**defaults, **given}


def library_queries(queries_dir: Path) -> list[LibraryQuery]:
    """Every library query in ``queries_dir`` (not its subfolders, such as checks/), sorted by name."""
    if not queries_dir.is_dir():
        return []
    paths = sorted(p for p in queries_dir.iterdir() if p.is_file() and p.suffix in QUERY_SUFFIXES)
    return [read_query_file(p, require_header=True) for p in paths]


def find_query(queries_dir: Path, spec: str) -> LibraryQuery:
    """The query that ``spec`` names: a file path, ``-`` for standard input, or a library name."""
    path = Path(spec)
    looks_like_path = "/" in spec or path.suffix in QUERY_SUFFIXES
    library_path = next(
        (queries_dir / f"{spec}{s}" for s in QUERY_SUFFIXES if (queries_dir / f"{spec}{s}").is_file()), None
    )
    if library_path is not None and not looks_like_path:
        return read_query_file(library_path, require_header=True)
    if path.is_file():
        return read_query_file(path, require_header=False)
    if looks_like_path:
        raise UsageError(f"no such query file: {spec}")
    renamed = next((q for q in library_queries(queries_dir) if spec in q.aliases), None)
    if renamed is not None:  # a former name, such as claims-by-status for claims
        return renamed
    names = [p.stem for p in sorted(queries_dir.glob("*")) if p.suffix in QUERY_SUFFIXES]
    close = difflib.get_close_matches(spec, names, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UsageError(f"no library query named {spec!r}{hint}; kg query --list shows them")


def read_query_file(path: Path, *, require_header: bool) -> LibraryQuery:
    text = read_text_input(path)  # regular files only, within the size limit
    return describe_query(printable(path.stem, one_line=True), path, text, require_header=require_header)


def describe_query(name: str, path: Path, text: str, *, require_header: bool) -> LibraryQuery:
    """Parse the header of ``text``; a library query must have every required field."""
    fields, parameters = read_header(text, str(path))
    missing = [key for key in REQUIRED_FIELDS if not fields.get(key)]
    if require_header and missing:
        raise InputError(f"the query header lacks '# {missing[0]}:' (see docs/queries.md)", path=str(path), line=1)
    columns = tuple(c.strip().lstrip("?") for c in fields.get("columns", "").split(",") if c.strip())
    aliases = tuple(a.strip() for a in fields.get("alias", "").split(",") if a.strip())
    title, question = fields.get("title", ""), fields.get("question", "")
    return LibraryQuery(name, path, text, title, question, columns, tuple(parameters.values()), aliases)


def read_header(text: str, source: str) -> tuple[dict[str, str], dict[str, Parameter]]:
    fields: dict[str, str] = {}
    parameters: dict[str, Parameter] = {}
    for key, value, number in header_lines(text):
        if key == "bind":
            parameter = parse_bind_line(value, source, number)
            parameters[parameter.name] = parameter
        elif key == "default":
            parameters = apply_default(parameters, value, source, number)
        else:
            fields[key] = printable(value, one_line=True)  # shown on a terminal by kg query --list
    return fields, parameters


def header_lines(text: str) -> list[tuple[str, str, int]]:
    """Each ``# key: value`` of the header, continuation lines joined on, with the line it starts on."""
    found: list[tuple[str, str, int]] = []
    continuing = False
    for number, line in header_comments(text):
        if match := FIELD.match(line):
            found.append((match.group(1), match.group(2).strip(), number))
            continuing = True
        elif continuing and (match := CONTINUATION.match(line)):
            key, value, start = found[-1]
            found[-1] = (key, f"{value} {match.group(1).strip()}", start)
        else:
            continuing = False
    return found


def parse_bind_line(value: str, source: str, line: int) -> Parameter:
    match = BIND.match(value)
    if not match:
        raise InputError(
            f"cannot read '# bind: {value}': write '# bind: NAME (IRI|literal|term) description'",
            path=source,
            line=line,
        )
    return Parameter(match.group(1), match.group(2), printable(match.group(3).strip(), one_line=True))


def apply_default(parameters: dict[str, Parameter], value: str, source: str, line: int) -> dict[str, Parameter]:
    match = DEFAULT.match(value)
    if not match:
        raise InputError(f"cannot read '# default: {value}': write '# default: NAME = VALUE'", path=source, line=line)
    name = match.group(1)
    declared = parameters.get(name)
    if declared is None:
        raise InputError(f"'# default: {name}' comes before, or without, '# bind: {name} …'", path=source, line=line)
    try:
        default = parse_term(match.group(2).strip())
    except UsageError as exc:
        raise InputError(f"bad default for {name}: {exc}", path=source, line=line) from exc
    if not declared.accepts(default):
        raise InputError(
            f"the default for {name} is not {article(declared.kind)} {declared.kind}", path=source, line=line
        )
    return {**parameters, name: Parameter(name, declared.kind, declared.description, default)}


def mentions_variable(text: str, name: str) -> bool:
    return name in variables(text)


def article(kind: str) -> str:
    return "an" if kind == "IRI" else "a"


# Terms as a user writes them on the command line or in a '# default:' line, in Turtle syntax, read with
# kg's SPARQL lexer: one token (an IRI, a prefixed name, a number, true or false), or a string token with
# a language tag or a ^^ and a datatype directly after it.

ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
TERM_SYNTAX = '<IRI>, a prefixed name such as kgr:xiaomi, or a literal such as "Lei Jun"@en, "2022"^^xsd:gYear or 42'


def parse_term(text: str) -> URIRef | Literal:
    """An IRI or literal written in Turtle syntax; anything else is a UsageError."""
    text = text.strip()
    parts = list(lex(text))
    kinds = [token.kind for token in parts]
    if kinds == ["word"] and text in ("true", "false"):
        return Literal(text, datatype=XSD.boolean)
    if kinds == ["number"] or (kinds == ["punct", "number"] and text[0] in "+-"):
        return number_literal(text)
    if kinds and kinds[0] == "string":
        return parse_literal(parts, text)
    if text.startswith(('"', "'")):
        raise UsageError(f"{text!r} is not a well-formed literal; write {TERM_SYNTAX}")
    if kinds in (["iri"], ["prefixed"]):
        return parse_iri(parts[0], text)
    raise UsageError(f"{text!r} is not an IRI or a literal; write {TERM_SYNTAX}")


def number_literal(text: str) -> Literal:
    """An integer, decimal or double, as the shape of the number says."""
    datatype = XSD.double if "e" in text.lower() else XSD.decimal if "." in text else XSD.integer
    return Literal(text, datatype=datatype)


def parse_iri(token: Token, text: str) -> URIRef:
    if token.kind == "prefixed":
        prefix = split_prefixed(token.text)[0]
        if prefix not in QUERY_PREFIXES:
            known = ", ".join(f"{p}:" for p in sorted(QUERY_PREFIXES))
            raise UsageError(f"unknown prefix {prefix}: in {text!r} (known: {known})")
    iri = expand(token, QUERY_PREFIXES) or ""
    if not ABSOLUTE_IRI.match(iri):
        raise UsageError(f"{text!r} is not an absolute IRI")
    if not IRIREF_BODY.fullmatch(iri):  # an escaped local name can hold what no IRI may (kgr:a\\ b)
        raise UsageError(f"{text!r} is not an IRI: it holds a space, a quote, a brace or <>")
    return URIRef(iri)


def parse_literal(parts: list[Token], text: str) -> Literal:
    try:
        lexical = string_value(parts[0].text)
    except ValueError as exc:
        raise UsageError(f"{text!r}: {exc}") from None
    rest = [token.kind for token in parts[1:]]
    if not rest:
        return Literal(lexical)
    if rest == ["langtag"]:
        return Literal(lexical, lang=parts[1].text[1:])
    if rest in (["punct", "punct", "iri"], ["punct", "punct", "prefixed"]) and parts[1].text + parts[2].text == "^^":
        return typed_literal(lexical, parse_iri(parts[3], text), text)
    raise UsageError(f"{text!r}: expected @language or ^^datatype after the quoted text")


def typed_literal(lexical: str, datatype: URIRef, text: str) -> Literal:
    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True  # rdflib logs a traceback for an ill-typed value
    try:
        literal = Literal(lexical, datatype=datatype)
    finally:
        logger.disabled = disabled
    if literal.ill_typed:
        raise UsageError(f"{text!r}: {lexical!r} is not a valid value of {datatype}")
    return literal


def parse_binding(text: str) -> tuple[str, URIRef | Literal]:
    """``NAME=VALUE`` from ``--bind``, as a variable name and an RDF term."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise UsageError(f"--bind {text!r}: write NAME=VALUE, where VALUE is {TERM_SYNTAX}")
    try:
        return name, parse_term(value)
    except UsageError as exc:
        raise UsageError(f"--bind {name}: {exc}") from exc
