"""The one SPARQL lexer: every part of kg that looks inside query text reads these tokens.

It knows the terminals that can hold characters which would otherwise look like keywords, comments,
brackets or quotes: the four forms of string (with their escapes), IRIs, comments, prefixed names (with
escaped local names such as ``ex:a\\#b``), variables and language tags; the rest is words (keywords,
``a``, ``true``, function names), numbers, brackets and single punctuation characters. Lexing never
fails: a character no terminal starts with is a ``punct`` token, so an unknown construct is passed over
and scanning goes on (kg.guard.sparql relies on that). The lexer is conservative where the grammar is
loose: a prefixed name's local part takes any escaped character, a word any letter Python calls one.

Every pattern matches in time linear in what it consumes, so a whole scan is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

# Kinds, in the order they are tried; the order matters (long strings before short ones, IRIs before '<').
LEXEME = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''
               |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*\"\"\"
               |'(?:[^'\\\n\r]|\\[^\n\r])*'
               |"(?:[^"\\\n\r]|\\[^\n\r])*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<prefixed>(?:[^\W\d][\w.-]*)?:(?:[\w:%-]|\\[\s\S]|\.(?=[\w:%.-]|\\))*)
    | (?P<variable>[?$]\w+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<number>(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+|\d*\.\d+|\d+)
    | (?P<word>[^\W\d](?:[\w-]|\.(?=[\w.-]))*)
    | (?P<escape>\\[\s\S])
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<punct>[\s\S])
    """,
    re.VERBOSE,
)
STRING_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[\s\S])")
CHARACTER_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
LOCAL_ESCAPE = re.compile(r"\\([\s\S])")
LINE_BREAKS = ("\n", "\r\n", "\r")


@dataclass(frozen=True)
class Token:
    """One lexeme: its kind (a group name of LEXEME), its text as written, and where it starts."""

    kind: str
    text: str
    offset: int

    @property
    def end(self) -> int:
        return self.offset + len(self.text)

    def is_word(self, *words: str) -> bool:
        """Whether this is a bare word equal to one of ``words`` (upper case), as keywords compare."""
        return self.kind == "word" and self.text.upper() in words


def lex(text: str) -> Iterator[Token]:
    """Every lexeme of ``text`` in order, white space and comments included: together they are the text."""
    position = 0
    while position < len(text):
        match = LEXEME.match(text, position)
        assert match is not None and match.lastgroup is not None  # the last alternative takes any character
        yield Token(match.lastgroup, match.group(), position)
        position = match.end()


def tokens(text: str) -> Iterator[Token]:
    """The lexemes of ``text`` that carry meaning: neither white space nor comments."""
    return (token for token in lex(text) if token.kind not in ("space", "comment"))


def position_of(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def string_value(token_text: str) -> str:
    """The characters a string token stands for, its quotes removed and its escapes read; ValueError for an
    escape SPARQL does not have or a code point that is no character."""
    quote = 3 if token_text[:3] in ("'''", '"""') else 1
    return STRING_ESCAPE.sub(read_escape, token_text[quote:-quote])


def read_escape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape[0] in "uU" and len(escape) > 1:
        code = int(escape[1:], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"\\{escape} is not a Unicode character")
        return chr(code)
    if escape in CHARACTER_ESCAPES:
        return CHARACTER_ESCAPES[escape]
    raise ValueError(f"unknown escape \\{escape}")


def split_prefixed(token_text: str) -> tuple[str, str]:
    """The prefix and the local name (its escapes read, ``ex:a\\#b`` is ``a#b``) of a prefixed name."""
    prefix, _, local = token_text.partition(":")
    return prefix, LOCAL_ESCAPE.sub(r"\1", local)


def expand(token: Token, prefixes: Mapping[str, str]) -> str | None:
    """The IRI an IRI token or a prefixed name stands for, or None (another kind, or an unknown prefix)."""
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind != "prefixed":
        return None
    prefix, local = split_prefixed(token.text)
    return prefixes[prefix] + local if prefix in prefixes else None
