"""Writing terms that came from outside (a server's answer, a file, the user) into SPARQL text.

Nothing from outside is pasted into a query or an update as it is: a graph name from a server's listing
that holds ``>`` would end the IRI and start operations of its own (``urn:a> ; DROP ALL ; … <urn:b``).
Every such term is checked here by the grammar's own rule and written by this one serializer, or refused.
"""

from __future__ import annotations

import re
import unicodedata

from kg.errors import InputError, shorten

# SPARQL 1.1, rule [139] IRIREF: '<' ([^<>"{}|^`\]-[#x00-#x20])* '>'. Written without UCHAR escapes,
# so a backslash is refused too rather than read as the start of one.
IRIREF_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
# RFC 3987: an absolute IRI starts with a scheme and a colon; a relative one would be resolved against
# whatever base the server assumes, which is not the name kg was given.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class UnsafeTerm(InputError):
    """A term from outside that SPARQL text cannot hold as the term it claims to be."""


def sparql_iri(text: str, what: str = "an IRI") -> str:
    """``text`` written as a SPARQL IRI reference, ``<text>``, after checking it is an absolute IRI that
    the IRIREF rule reads back as exactly ``text``; an UnsafeTerm (exit 3) that says why otherwise."""
    forbidden = IRIREF_FORBIDDEN.search(text)
    if forbidden is not None:
        raise UnsafeTerm(
            f"{what} {shorten(text, 120)!r} holds {forbidden.group()!r}, which an IRI in SPARQL cannot hold; "
            "kg does not write it into a query or an update"
        )
    if not SCHEME.match(text):
        raise UnsafeTerm(
            f"{what} {shorten(text, 120)!r} is not an absolute IRI (it has no scheme such as urn: or http:)"
        )
    if any(unicodedata.category(ch) == "Cs" for ch in text):  # a lone surrogate cannot be sent as UTF-8
        raise UnsafeTerm(f"{what} {shorten(text, 120)!r} holds a lone surrogate code point")
    return f"<{text}>"
