"""A source's text as a reader sees it, to find a quote in it and, failing that, the passages nearest to it.

The matching is the evidence check's (kg.validate.evidence.fold): Unicode-normalised, every run of white
space one space. Each word keeps the line it stands on, so that a match can say where it was found.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass

from kg.validate.evidence import fold

WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Passage:
    """Words of the text as they would be quoted, the line they start on, and how alike they are to a quote."""

    line: int
    words: str
    likeness: float = 1.0


class SourceText:
    """The folded text of one source with the line of each of its words."""

    def __init__(self, text: str) -> None:
        normalised = unicodedata.normalize("NFC", text)
        self.words: list[str] = []
        self.lines: list[int] = []
        self.starts: list[int] = []  # where each word starts in ``folded``
        position = 0
        for match in WORD.finditer(normalised):
            self.words.append(match.group())
            self.lines.append(normalised.count("\n", 0, match.start()) + 1)
            self.starts.append(position)
            position += len(match.group()) + 1
        self.folded = " ".join(self.words)

    def contains(self, quote: str) -> bool:
        return fold(quote) in self.folded

    def find(self, quote: str) -> Passage | None:
        """The first place the quote stands verbatim, or None."""
        wanted = fold(quote)
        at = self.folded.find(wanted) if wanted else -1
        if at < 0:
            return None
        word = bisect.bisect_right(self.starts, at) - 1
        return Passage(self.lines[word], wanted)

    def nearest(self, quote: str, count: int = 3) -> list[Passage]:
        """The ``count`` passages of the quote's length most like it, best first, none overlapping another."""
        wanted = fold(quote).casefold()
        size = max(1, len(wanted.split()))
        scored: list[tuple[float, int]] = []
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        for first in range(max(1, len(self.words) - size + 1)):
            matcher.set_seq1(" ".join(self.words[first : first + size]).casefold())
            scored.append((matcher.ratio(), first))
        chosen: list[tuple[float, int]] = []
        for likeness, first in sorted(scored, key=lambda item: (-item[0], item[1])):
            if all(abs(first - other) >= size for _, other in chosen):
                chosen.append((likeness, first))
            if len(chosen) == count:
                break
        return [
            Passage(self.lines[first], " ".join(self.words[first : first + size]), round(likeness, 2))
            for likeness, first in chosen
            if first < len(self.words)
        ]
