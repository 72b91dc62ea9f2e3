"""What kg reads from a query's text, and what it adds to it, all over the tokens of kg.guard.sparql_lexer.

A keyword inside a string, an IRI or a comment is no keyword here, a ``{`` in a string opens no group,
and a ``# key: value`` line is a header field only when it is a comment. What is added to a query
(PREFIX lines, a VALUES block) is written by kg.guard.sparql_terms.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import pairwise
from typing import TYPE_CHECKING

from kg.guard.sparql_lexer import LINE_BREAKS, Token, expand, lex, tokens
from kg.guard.sparql_terms import prefix_declaration, values_block

if TYPE_CHECKING:
    from rdflib.term import Node

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def header_comments(text: str) -> list[tuple[int, str]]:
    """The comment lines ``text`` opens with, each with its 1-based line number: comments that start their
    line, one to a line; the first line that is anything else ends them."""
    found: list[tuple[int, str]] = []
    line_has_comment = False
    for token in lex(text):
        if token.kind == "comment" and not line_has_comment:
            found.append((len(found) + 1, token.text))
            line_has_comment = True
        elif token.kind == "space" and token.text in LINE_BREAKS and line_has_comment:
            line_has_comment = False
        else:
            break
    return found


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes the query declares (``PREFIX name: <iri>``), each with its namespace."""
    declared: dict[str, str] = {}
    words = list(tokens(text))
    for keyword, name, iri in zip(words, words[1:], words[2:], strict=False):
        if keyword.is_word("PREFIX") and name.kind == "prefixed" and name.text.endswith(":") and iri.kind == "iri":
            declared[name.text[:-1]] = iri.text[1:-1]
    return declared


def with_prefix_declarations(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` after a PREFIX line for each of ``prefixes`` (in name order) that it does not declare."""
    declared = declared_prefixes(text)
    lines = [prefix_declaration(name, iri) for name, iri in sorted(prefixes.items()) if name not in declared]
    return "".join(lines) + text


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words in the query, in upper case."""
    return next((t.text.upper() for t in tokens(text) if t.is_word(*QUERY_FORMS)), None)


def variables(text: str) -> set[str]:
    """The names of the variables the query mentions (``?x`` and ``$x`` are both ``x``)."""
    return {t.text[1:] for t in tokens(text) if t.kind == "variable"}


def assigns_variable(text: str, name: str) -> bool:
    """Whether the query gives ``?name`` a value itself: ``AS ?name``, in a BIND or a projection."""
    words = list(tokens(text))
    return any(a.is_word("AS") and v.kind == "variable" and v.text[1:] == name for a, v in pairwise(words))


def prefixed_name_uses(text: str, prefix: str) -> Iterator[Token]:
    """The prefixed names in the query that use ``prefix``."""
    return (t for t in tokens(text) if t.kind == "prefixed" and t.text.partition(":")[0] == prefix)


def repeated_predicates(text: str, prefixes: Mapping[str, str]) -> set[str]:
    """The IRIs that the query follows with ``*`` or ``+`` (a property path such as ``kg:partOf+``);
    the prefixes it declares are added to ``prefixes``."""
    known = {**prefixes, **declared_prefixes(text)}
    words = list(tokens(text))
    found = set()
    for word, after in pairwise(words):
        iri = expand(word, known) if after.kind == "punct" and after.text in "*+" else None
        if iri is not None:
            found.add(iri)
    return found


def where_group_start(text: str) -> int | None:
    """The index just after the ``{`` that opens the query's WHERE clause, where the keyword may be left
    out (``SELECT * { ... }``, ``ASK { ... }``); None when there is no such group."""
    depth, form, after_where = 0, None, False
    for token in tokens(text):
        if token.text == "{" and depth == 0 and (after_where or form in ("SELECT", "ASK")):
            return token.end
        after_where = token.is_word("WHERE") and depth == 0
        if form is None and token.is_word(*QUERY_FORMS):
            form = token.text.upper()
        depth += {"{": 1, "}": -1}.get(token.text, 0)
    return None


def unconnected_open_patterns(text: str) -> list[Token]:
    """The triple patterns of the WHERE clause that are all variables (``?a ?b ?c``) and share none of them
    with anything else in it: each matches every triple of the graph, so together they ask for the product."""
    start = where_group_start(text)
    if start is None:
        return []
    body = [t for t in tokens(text) if t.offset >= start - 1]  # from the group's own "{"
    uses: dict[str, int] = {}
    for token in body:
        if token.kind == "variable":
            uses[token.text[1:]] = uses.get(token.text[1:], 0) + 1
    found = []
    for before, *three in zip(body, body[1:], body[2:], body[3:], strict=False):
        if before.text in ("{", ".") and all(t.kind == "variable" and uses[t.text[1:]] == 1 for t in three):
            found.append(three[0])
    return found


def with_values(text: str, bindings: Mapping[str, Node]) -> str | None:
    """``text`` with a VALUES block for ``bindings`` opening its WHERE clause, or None if it has none."""
    at = where_group_start(text)
    if at is None:
        return None
    return f"{text[:at]} {values_block(bindings)}{text[at:]}"
