"""Loading: located parse errors in every format, bounded work on hostile input, nothing fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError, UsageError
from kg.guard import limits
from kg.rdf.load import load_files, parse_file
from support.cpu import cpu_used

RDF_XML_HEAD = b'<?xml version="1.0"?>\n'
RDF_OPEN = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "line", "column"),
    [
        ("bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> c .\n", 2, 23),
        ("bad.ttl", "@prefix ex: <http://ex/> .\nex:a ex:b ex:c ;\n  ex:d .\n", 3, 8),
        ("bad.nq", "<http://a> <http://b> <http://c> <http://g> <http://h> .\n", 1, 45),
        ("bad.trig", "<http://g> { <http://a> <http://b> }\n", 1, 36),
        ("bad.jsonld", '{"@id": "http://a",\n  "http://b": [1, }\n', 2, 19),
    ],
)
def test_parse_errors_name_file_line_and_column(
    tmp_path: Path, name: str, content: str, line: int, column: int
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), line, column)
    assert str(caught.value).startswith(f"{path}:{line}:{column}: invalid ")
    assert "\n" not in str(caught.value)


def test_rdfxml_error_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.rdf", RDF_XML_HEAD + RDF_OPEN + b"\n<rdf:Description rdf:about='http://a'>\n</rdf:RDF>")
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.line is not None
    assert str(caught.value).startswith(f"{path}:")


def test_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, "data.csv", "a,b\n")
    with pytest.raises(UsageError) as caught:
        parse_file(path)
    assert "cannot tell the RDF format" in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        parse_file(tmp_path / "absent.ttl")
    assert str(caught.value).startswith(f"{tmp_path / 'absent.ttl'}: cannot read")


def test_protege_style_entities_are_allowed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ok.owl",
        RDF_XML_HEAD
        + b'<!DOCTYPE rdf:RDF [ <!ENTITY owl "http://www.w3.org/2002/07/owl#" > ]>\n'
        + RDF_OPEN
        + b'<rdf:Description rdf:about="&owl;Thing"><rdf:value>x</rdf:value></rdf:Description></rdf:RDF>',
    )
    graph = parse_file(path)
    assert len(graph) == 1
    assert str(next(iter(graph.subjects()))) == "http://www.w3.org/2002/07/owl#Thing"


@pytest.mark.parametrize(
    ("doctype", "message"),
    [
        (b'<!DOCTYPE rdf:RDF [ <!ENTITY a "x"> <!ENTITY b "&a;&a;&a;"> ]>', "refers to another entity"),
        (b'<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>', "external entity"),
    ],
)
def test_dangerous_entities_are_refused_before_parsing(tmp_path: Path, doctype: bytes, message: str) -> None:
    path = write(tmp_path, "bomb.rdf", RDF_XML_HEAD + doctype + RDF_OPEN + b"</rdf:RDF>")
    with pytest.raises(InputError, match=message):
        parse_file(path)


def test_entity_expansion_counts_against_the_size_limit(tmp_path: Path) -> None:
    value = b"x" * 1000
    body = b"<rdf:Description rdf:about='http://a'><rdf:value>" + b"&big;" * 2000 + b"</rdf:value></rdf:Description>"
    path = write(
        tmp_path,
        "wide.rdf",
        RDF_XML_HEAD + b'<!DOCTYPE rdf:RDF [ <!ENTITY big "' + value + b'"> ]>' + RDF_OPEN + body + b"</rdf:RDF>",
    )
    token = limits.set_limits(limits.Limits(max_input_bytes=1_000_000))
    try:
        with pytest.raises(limits.LimitExceeded, match="after entity expansion"):
            parse_file(path)
    finally:
        limits.reset_limits(token)


def test_files_over_the_size_limit_are_refused_unread(tmp_path: Path) -> None:
    path = write(tmp_path, "big.nt", "<http://a> <http://b> <http://c> .\n" * 100)
    token = limits.set_limits(limits.Limits(max_input_bytes=1000))
    try:
        with pytest.raises(limits.LimitExceeded, match="over the limit of 1,000"):
            parse_file(path)
    finally:
        limits.reset_limits(token)


def test_long_multiline_literal_parses_in_linear_time(tmp_path: Path) -> None:
    literal = ("x" * 99 + "\n") * 20_000  # 2 MB, the size that takes rdflib's Turtle parser 10-120 s
    path = write(tmp_path, "long.ttl", f'<http://a> <http://b> """{literal}""" .\n')
    with cpu_used() as used:
        graph = parse_file(path)
    assert used.cpu_seconds < 5  # CPU here and in kg's parsing worker; rdflib's own parser needs 10-120 s
    assert len(str(next(iter(graph.objects())))) == len(literal)


def test_remote_jsonld_context_is_not_fetched(tmp_path: Path, recording_server) -> None:
    path = write(
        tmp_path, "remote.jsonld", f'{{"@context": "{recording_server.url}/ctx", "@id": "http://a", "name": "x"}}'
    )
    with pytest.raises(InputError, match="remote JSON-LD context"):
        parse_file(path)
    assert recording_server.requests == []


def test_time_limit_stops_runaway_work() -> None:
    with (
        cpu_used() as used,
        pytest.raises(limits.LimitExceeded, match=r"spinning took longer than 0\.2 s"),
        limits.time_limit("spinning", 0.2),
    ):
        while True:
            pass
    assert used.cpu_seconds < 2  # the loop spins for its whole wall time: a limit that never fired would show


def test_blank_nodes_from_different_files_stay_apart(tmp_path: Path) -> None:
    first = write(tmp_path, "a.ttl", "_:x <http://p> 1 .\n")
    second = write(tmp_path, "b.ttl", "_:x <http://p> 2 .\n")
    loaded = load_files([first, second])
    assert len(set(loaded.graph.subjects())) == 2
    assert sorted(p.name for p in set(loaded.subject_files.values())) == ["a.ttl", "b.ttl"]
