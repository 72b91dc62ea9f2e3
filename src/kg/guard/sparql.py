"""What a SPARQL text asks for beyond reading the local graph, found from its tokens before any engine runs it.

Oxigraph runs ``SERVICE`` over HTTP from native code, out of reach of kg.guard.netguard, and offers no switch;
rdflib fetches ``SERVICE``, ``FROM`` and ``LOAD``. So every query kg runs (``kg query``, ``kg render
--query``, the violation queries, ``sh:sparql`` in shapes) is first split into tokens by kg's one SPARQL
lexer (kg.guard.sparql_lexer) and refused if it holds one of these keywords. Tokens, not a text search:
a keyword inside a string, an IRI, a comment or an escaped prefixed name (``ex:a\\#b``) is no keyword,
and a keyword after one of those is.
Oxigraph also reads a keyword glued to what follows (``SERVICEex:x``, ``trueSERVICE<…>``), so any bare word,
and any prefix of a prefixed name, that contains SERVICE counts as one.

The scan is conservative where the grammar is ambiguous to it: a character the lexer cannot place is
passed over and scanning goes on, so an unknown construct may cause a refusal but never hides a keyword.
The text is scanned twice: as written (Oxigraph reads ``\\u`` escapes only inside strings) and with
``\\u`` escapes replaced first, as the SPARQL specification says and rdflib does (``\\u0053ERVICE`` is
``SERVICE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import InputError
from kg.guard.sparql_lexer import Token, position_of, tokens
from kg.guard.sparql_reader import unconnected_open_patterns

__all__ = ["MAX_NESTING", "Problem", "Token", "check_query", "find_problem", "position_of", "tokens"]

# Most brackets a query may nest. Oxigraph's parser recurses per bracket and overflows its stack (the
# process dies) at a few thousand; rdflib's gives up at about 25 parentheses; real queries stay below 10.
MAX_NESTING = 100

UPDATE_KEYWORDS = frozenset({"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH"})
LETTERS = re.compile(r"[A-Za-z]*")
# Three unconnected patterns open to every triple are the cube of the graph: a billion rows from a thousand triples.
CROSS_PRODUCT_PATTERNS = 3
SERVICE_REFUSED = "SERVICE is refused: network access is off; pass --allow-network to permit it"
UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Problem:
    """Why a query is refused, and the line and column (1-based) of the token that shows it: where an editor
    puts the cursor."""

    reason: str
    line: int
    column: int


def check_query(text: str, source: str, *, allow_service: bool = False) -> None:
    """Refuse a query that updates, fetches (SERVICE; FROM also names a graph kg does not have) or nests
    deeper than MAX_NESTING; the InputError gives the line and column of the offending token."""
    problem = find_problem(text, allow_service=allow_service)
    if problem is not None:
        raise InputError(problem.reason, path=source, line=problem.line, column=problem.column)


def find_problem(text: str, *, allow_service: bool = False) -> Problem | None:
    """The first reason to refuse ``text``, in the text as written or with its \\u escapes replaced."""
    for form in dict.fromkeys((text, unescape_codepoints(text))):
        found = first_problem(form, allow_service=allow_service)
        if found is not None:
            token, reason = found
            return Problem(reason, *position_of(form, token.offset))
    return None


def first_problem(text: str, *, allow_service: bool) -> tuple[Token, str] | None:
    depth = 0
    for token in tokens(text):
        if token.kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                return token, f"the query nests brackets more than {MAX_NESTING} deep, which kg does not run"
        elif token.kind == "close":
            depth = max(depth - 1, 0)
        elif token.kind in ("word", "prefixed") and (reason := keyword_problem(token, allow_service=allow_service)):
            return token, reason
    open_patterns = unconnected_open_patterns(text)
    if len(open_patterns) >= CROSS_PRODUCT_PATTERNS:
        return open_patterns[-1], (
            f"the query asks for the product of {len(open_patterns)} patterns that each match every triple and "
            "share no variable: the graph's size to that power; join them by a variable or give them a term"
        )
    return None


def keyword_problem(token: Token, *, allow_service: bool) -> str | None:
    """Why ``token`` (a bare word or a prefixed name) is refused, if it is."""
    if token.kind == "prefixed":
        # Only a prefix can hide a keyword: every parser reads a local name to its end.
        head = token.text.split(":", 1)[0]
        return SERVICE_REFUSED if "SERVICE" in head.upper() and not allow_service else None
    if "SERVICE" in token.text.upper() and not allow_service:
        return SERVICE_REFUSED
    keyword = LETTERS.match(token.text).group().upper()  # type: ignore[union-attr]
    if keyword in UPDATE_KEYWORDS:
        return f"{keyword} is a SPARQL update: kg runs queries only, it never changes a graph"
    if keyword == "FROM":
        return (
            "FROM is refused: kg queries the project's graph, and FROM would make rdflib fetch the graph it "
            "names (add the file to data/ instead)"
        )
    return None


def unescape_codepoints(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters, as SPARQL does before parsing."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()

    return UNICODE_ESCAPE.sub(replace, text)
