"""A rendered page as the browser's tokenizer sees it, for tests that read the HTML view as a document."""

from __future__ import annotations

import json
from html.parser import HTMLParser


class Page(HTMLParser):
    """Every element with its attributes, and the text of each <script>, as the browser's tokenizer sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)

    def json(self, element_id: str) -> object:
        (text,) = [text for attrs, text in self.scripts if attrs.get("id") == element_id]
        return json.loads(text)

    def attribute_values(self) -> list[str]:
        return [value for _, attrs in self.elements for value in attrs.values() if value is not None]
