"""The one writer of terms into SPARQL text: whatever kg puts into a query it did not write itself goes
through here, and what cannot be written as the SPARQL grammar reads it is refused, never pasted.

Terms from a server or a file (a graph name from a listing that holds ``>`` would end the IRI and start
operations of its own: ``urn:a> ; DROP ALL ; … <urn:b``) are written by ``sparql_iri``, which also wants an
absolute IRI and refuses with exit 3, since the fault is the input's, not the user's.

An IRI must consist of IRIREF's characters, a language tag must be a LANGTAG, a variable name a VARNAME and
a prefix a PN_PREFIX. A string is written with every quote, backslash and line break escaped, so it
ends where it should. One thing cannot be written safely: the text ``\\u`` followed by hex digits, which
some engines (rdflib among them) turn into a character before they read the query, as the SPARQL
specification says they may, so that the escaped backslash before it would change meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kg.errors import InputError, UsageError, shorten

if TYPE_CHECKING:
    from rdflib.term import Node

IRIREF_BODY = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
IRIREF_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
# PN_CHARS but for "-", which is added last to each class.
_CHARS = f"{_BASE}_0-9\u00b7\u0300-\u036f\u203f-\u2040"
VARNAME = re.compile(f"[{_BASE}_0-9][{_CHARS}]*")
PN_PREFIX = re.compile(f"(?:[{_BASE}](?:[{_CHARS}.-]*[{_CHARS}-])?)?")
CODEPOINT_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
# RFC 3987: an absolute IRI starts with a scheme and a colon; a relative one would be resolved against
# whatever base the server assumes, which is not the name kg was given.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
STRING_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)


def iri_text(iri: str) -> str:
    """``iri`` as a SPARQL IRI reference, ``<...>``."""
    if not IRIREF_BODY.fullmatch(iri):
        raise UsageError(f"{shown(iri)} cannot be written into a query: an IRI has no spaces, quotes, braces or <>")
    return f"<{iri}>"


def string_text(value: str) -> str:
    """``value`` as a SPARQL string, in double quotes."""
    if CODEPOINT_ESCAPE.search(value):
        raise UsageError(f"{shown(value)} cannot be written into a query: engines read \\u escapes before the query")
    return f'"{value.translate(STRING_ESCAPES)}"'


def literal_text(lexical: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """A literal: its string, then ``@language`` or ``^^<datatype>``."""
    if language:
        if not LANGTAG.fullmatch(language):
            raise UsageError(f"{shown(language)} cannot be written into a query: it is no language tag")
        return f"{string_text(lexical)}@{language}"
    return string_text(lexical) + (f"^^{iri_text(datatype)}" if datatype else "")


def variable_text(name: str) -> str:
    """``?name``, for a name SPARQL allows."""
    if not VARNAME.fullmatch(name):
        raise UsageError(f"{shown(name)} cannot be written into a query: it is no variable name")
    return f"?{name}"


def prefix_declaration(prefix: str, namespace: str) -> str:
    """A ``PREFIX name: <namespace>`` line."""
    if not PN_PREFIX.fullmatch(prefix):
        raise UsageError(f"{shown(prefix)} cannot be written into a query: it is no prefix name")
    return f"PREFIX {prefix}: {iri_text(namespace)}\n"


def term_text(term: Node) -> str:
    """An rdflib IRI or literal in SPARQL syntax; a blank node or anything else is refused."""
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return iri_text(str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return literal_text(str(term), language=term.language, datatype=datatype)
    raise UsageError(f"{shown(str(term))} cannot be written into a query: give an IRI or a literal")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (term term) }``: one row giving each variable its term."""
    names = " ".join(variable_text(name) for name in bindings)
    terms = " ".join(term_text(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def shown(text: str) -> str:
    """``text`` quoted for a message, cut short when long."""
    return repr(shorten(text, 60))


class UnsafeTerm(InputError):
    """A term from outside that SPARQL text cannot hold as the term it claims to be."""


def sparql_iri(text: str, what: str = "an IRI") -> str:
    """``text`` from a server or a file as ``<text>``, after checking that it is an absolute IRI which the
    IRIREF rule reads back as exactly ``text``; an UnsafeTerm (exit 3) that says why otherwise."""
    forbidden = IRIREF_FORBIDDEN.search(text)
    if forbidden is not None:
        raise UnsafeTerm(
            f"{what} {shown(text)} holds {forbidden.group()!r}, which an IRI in SPARQL cannot hold; "
            "kg does not write it into a query or an update"
        )
    if not SCHEME.match(text):
        raise UnsafeTerm(f"{what} {shown(text)} is not an absolute IRI (it has no scheme such as urn: or http:)")
    if any(unicodedata.category(ch) == "Cs" for ch in text):  # a lone surrogate cannot be sent as UTF-8
        raise UnsafeTerm(f"{what} {shown(text)} holds a lone surrogate code point")
    return f"<{text}>"
