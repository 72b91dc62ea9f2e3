"""kg source add, kg import, kg entities, kg quote and kg diff on the command line, with their exact messages;
and the command-line rough edges of issue 14 (usage errors, suggestions, --project after the command)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli

FROZEN = Path(__file__).resolve().parent / "fixtures" / "project"
SOURCE = "xiaomi-car-project-2024"
NOTE = "Xiaomi Auto will open a second plant in Wuhan in 2025, the company said on Monday.\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A writable copy of the frozen curated project."""
    target = tmp_path / "project"
    shutil.copytree(FROZEN, target)
    return target


def kg(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# kg source add


def test_source_add_writes_the_seed_the_manifest_entry_and_the_data_file(root: Path, tmp_path: Path) -> None:
    note = write(tmp_path / "note.txt", NOTE)
    result = kg(
        root,
        "source",
        "add",
        str(note),
        "--id",
        "wuhan-plant",
        "--title",
        "A second plant",
        "--publisher",
        "Cnevpost",
        "--published",
        "2024-05",
        "--url",
        "https://example.org/wuhan",
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "wrote seeds/001_wuhan-plant.txt\nwrote seeds/manifest.ttl\nwrote data/sources/wuhan-plant.ttl\n"
    )
    assert (root / "seeds" / "001_wuhan-plant.txt").read_text(encoding="utf-8") == NOTE
    manifest = (root / "seeds" / "manifest.ttl").read_text(encoding="utf-8")
    assert manifest.endswith(
        "kgsrc:wuhan-plant\n"
        "    a kg:SourceDocument ;\n"
        '    dcterms:identifier "001_wuhan-plant" ;\n'
        '    rdfs:label "A second plant"@en ;\n'
        '    dcterms:title "A second plant"@en ;\n'
        "    dcterms:publisher kgr:cnevpost ;\n"
        '    dcterms:language "en" ;\n'
        '    dcterms:issued "2024-05"^^xsd:gYearMonth ;\n'
        "    schema:url <https://example.org/wuhan> ;\n"
        '    kg:sourceFile "001_wuhan-plant.txt" ;\n'
        f'    kg:contentSha256 "{hashlib.sha256(NOTE.encode()).hexdigest()}" .\n'
    )
    assert kg(root, "validate").exit_code == 0


def test_a_source_whose_publisher_is_unknown_says_so_and_names_what_it_derives_from(root: Path, tmp_path: Path) -> None:
    note = write(tmp_path / "note.txt", NOTE)
    arguments = ("source", "add", str(note), "--id", "retold", "--title", "A retelling")
    neither = kg(root, *arguments)
    assert (neither.exit_code, neither.stderr) == (
        2,
        "kg: error: give the publisher (--publisher NAME), or say it is unknown (--publisher-unknown)\n",
    )
    both = kg(root, *arguments, "--publisher", "Cnevpost", "--publisher-unknown")
    assert both.stderr == neither.stderr
    origin = "https://example.org/the-original"
    result = kg(root, *arguments, "--publisher-unknown", "--derived-from", origin)
    assert (result.exit_code, result.stderr) == (0, "")
    manifest = (root / "seeds" / "manifest.ttl").read_text(encoding="utf-8")
    entry = manifest[manifest.index("kgsrc:retold\n") :]
    assert "    kg:publisherUnknown true ;\n" in entry and "dcterms:publisher" not in entry
    assert f"    prov:wasDerivedFrom <{origin}> ;\n" in entry
    assert kg(root, "validate").exit_code == 0


def test_source_add_refuses_an_id_or_a_text_the_project_has(root: Path, tmp_path: Path) -> None:
    seed = root / "seeds" / "000_1b7fbd84b75bfcac.txt"
    before = digests(root)
    again = kg(root, "source", "add", str(seed), "--id", "again", "--title", "T", "--publisher", "Cnevpost")
    assert (again.exit_code, again.stderr) == (
        2,
        "kg: error: this text is in seeds/ already, as 000_1b7fbd84b75bfcac.txt\n",
    )
    note = write(tmp_path / "note.txt", NOTE)
    taken = kg(root, "source", "add", str(note), "--id", SOURCE, "--title", "T", "--publisher", "Cnevpost")
    assert taken.stderr == (
        f"kg: error: source '{SOURCE}' exists already (seeds/manifest.ttl or data/sources/); choose another id\n"
    )
    assert digests(root) == before


def test_source_add_refuses_text_that_is_not_utf8_naming_line_and_column(root: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("first line\nCaf\xe9 Xiaomi\n".encode("latin-1"))
    result = kg(root, "source", "add", str(latin), "--id", "cafe", "--title", "T", "--publisher", "Cnevpost")
    assert result.exit_code == 3
    assert result.stderr == f"kg: error: {latin}:2:4: cannot read: not UTF-8 text (invalid continuation byte)\n"
    assert not (root / "data" / "sources" / "cafe.ttl").exists()


def test_source_add_refuses_an_id_that_is_no_local_name(root: Path, tmp_path: Path) -> None:
    note = write(tmp_path / "note.txt", NOTE)
    result = kg(root, "source", "add", str(note), "--id", "Wuhan Plant", "--title", "T", "--publisher", "X")
    assert result.stderr == (
        "kg: error: source id 'Wuhan Plant': use lower-case letters, digits and hyphens, such as "
        "xiaomi-su7-launch-2024\n"
    )


# kg import


def test_template_prints_every_column() -> None:
    result = CliRunner().invoke(cli, ["import", "--template"])
    assert result.stdout == (
        "subject,property,object,value,quote,hedge,attribution,attributed_to,timing,outcome,likelihood,polarity,rank,"
        "rank_reason,date,start,end,amount,min,max,more_than,less_than,unit,currency,aspect,subject_class,"
        "object_class,note\n"
    )


def test_import_needs_a_sheet_and_a_source(root: Path) -> None:
    result = kg(root, "import")
    assert (result.exit_code, result.stderr) == (
        2,
        "kg: error: kg import needs a SHEET and --source ID (or --template for an empty sheet)\n",
    )


def test_import_of_an_unknown_source_lists_the_known_ones(root: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "subject,property,object,quote\n")
    result = kg(root, "import", str(sheet), "--source", "nope")
    assert result.stderr == (
        f"kg: error: no source 'nope' in manifest.ttl (known: {SOURCE}); kg source add starts one\n"
    )


def test_an_unknown_column_is_named(root: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "subject,property,objet,quote\n")
    result = kg(root, "import", str(sheet), "--source", SOURCE)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"kg: error: {sheet}:1: unknown column 'objet' (known: subject, property, ")


BAD_SHEET = """subject,property,object,quote,amount,unit
Xiaomi Auto,research team size,,"a research and development team of more than 2,300 people",2400,people
Lei Jun,devotes time to,Xiaomi Autoo,Lei Jun has already announced that he devotes half his time,,
Xiaomi,founder,Lei Jun,"Lei Jun, who founded Xiaomi in 2010",,
"""


def test_a_bad_sheet_is_refused_with_every_problem_and_nothing_is_written(root: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "bad.csv", BAD_SHEET)
    before = digests(root)
    result = kg(root, "import", str(sheet), "--source", SOURCE)
    assert result.exit_code == 3
    assert result.stderr == (
        f"{sheet}:2:amount: 2400 is not a number the quote says (it says 2300)\n"
        f"{sheet}:3:object: unknown entity 'Xiaomi Autoo'; nearest: 'Xiaomi Auto' (kgr:xiaomi-auto), "
        "'Xiaomi Auto factory' (kgr:xiaomi-auto-factory), 'Xiaomi' (kgr:xiaomi)\n"
        f"{sheet}:4:quote: not in source {SOURCE}; nearest, line 3: 'Lei Jun, the car project is more'\n"
        f"kg: error: {sheet}: 3 problems; nothing was written\n"
    )
    assert digests(root) == before


KIND_SHEET = """subject,property,object,value,likelihood,quote,hedge,end,currency
Xiaomi,founder,,Lei Jun,certian,"Xiaomi founder, chairman and CEO Lei Jun",,,
Xiaomi,numberOfDoors,Lei Jun,,,"Xiaomi founder, chairman and CEO Lei Jun",chairman says,,
Xiaomi,founder,Lei Jun,,,"Xiaomi founder, chairman and CEO Lei Jun",,2024,euro
Xiaomi,founder,,,,"Xiaomi founder, chairman and CEO Lei Jun",,,
"""


def test_each_cell_that_cannot_be_a_claim_is_named(root: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "kinds.csv", KIND_SHEET)
    result = kg(root, "import", str(sheet), "--source", SOURCE)
    assert result.stderr.splitlines() == [
        f"{sheet}:2:likelihood: unknown likelihood 'certian'; one of: certain, likely, possible, unlikely",
        f"{sheet}:2:value: founder takes an entity (object), not a value",
        f"{sheet}:3:hedge: 'chairman says' is not part of the quote",
        f"{sheet}:3:object: numberOfDoors takes a value, not an entity",
        f"{sheet}:4:currency: 'euro' is not an ISO 4217 code such as EUR",
        f"{sheet}:4:end: end is the latest date of a period: give start and end, and no object or value",
        f"{sheet}:5:object: the row claims nothing: give object, value, a quantity (amount, min, max) or a period "
        "(start and end)",
        f"kg: error: {sheet}: 7 problems; nothing was written",
    ]


def test_empty_required_cells_are_named(root: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "empty.csv", "subject,property,object,quote\nXiaomi,,Lei Jun,\n")
    assert kg(root, "import", str(sheet), "--source", SOURCE).stderr.splitlines() == [
        f"{sheet}:2:property: empty: every claim needs its property",
        f"{sheet}:2:quote: empty: every claim needs its quote",
        f"kg: error: {sheet}: 2 problems; nothing was written",
    ]


def test_an_ambiguous_name_asks_for_the_prefixed_name_even_with_a_class(root: Path, tmp_path: Path) -> None:
    write(
        root / "data" / "entities" / "twin.ttl",
        "@prefix kg: <https://w3id.org/kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/kg/id/xiaomi-2> a kg:Company ; rdfs:label "Xiaomi"@en .\n',
    )
    sheet = write(
        tmp_path / "s.csv",
        'subject,property,object,quote,subject_class\nXiaomi,country,China,"The Chinese technology group Xiaomi",'
        "Company\n",
    )
    assert kg(root, "import", str(sheet), "--source", SOURCE).stderr.splitlines()[0] == (
        f"{sheet}:2:subject: 'Xiaomi' names more than one entity (kgr:xiaomi, kgr:xiaomi-2); give the prefixed name"
    )


GOOD_SHEET = (
    "subject\tproperty\tobject\tlikelihood\tquote\thedge\tmore_than\tunit\n"
    "Xiaomi Auto\tresearch team size\t\tlikely\t"
    "is said to have a research and development team of more than 2,300 people\tis said to\t2300\tpeople\n"
)


def test_a_sheet_imports_into_the_source_file_and_twice_changes_nothing(root: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "good.tsv", GOOD_SHEET)
    target = root / "data" / "sources" / f"{SOURCE}.ttl"
    hand_written = target.read_text(encoding="utf-8")
    first = kg(root, "import", str(sheet), "--source", SOURCE)
    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout == f"wrote data/sources/{SOURCE}.ttl\n1 claim (1 new), 0 new entities\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith(hand_written.rstrip("\n"))  # the curators' file is kept as it is, the claim appended
    assert text[len(hand_written.rstrip("\n")) :].startswith(
        "\n\nkgs:xiaomi-car-project-2024-xiaomi-auto-researchteamsize-"
    )
    assert "    kg:minExclusive 2300 ;\n    kg:unit kg:people .\n" in text
    second = kg(root, "import", str(sheet), "--source", SOURCE)
    assert second.stdout == "1 claim (0 new), 0 new entities; nothing changed\n"
    assert target.read_text(encoding="utf-8") == text
    assert kg(root, "validate").exit_code == 0


# kg entities, kg quote


def test_entities_lists_label_iri_class_wikidata_claims_and_sources(root: Path) -> None:
    result = kg(root, "entities", "lei-jun")
    assert result.stdout == (
        "label    IRI          class   Wikidata  claims  sources\n"
        f"Lei Jun  kgr:lei-jun  Person  Q9000717  5       {SOURCE}\n"
    )
    assert kg(root, "entities", "xiaomi", "--class", "BusinessUnit").stdout.splitlines()[1:] == [
        f"Xiaomi Auto  kgr:xiaomi-auto  BusinessUnit            4       {SOURCE}"
    ]


def test_entities_of_an_unknown_class_suggests_the_nearest(root: Path) -> None:
    result = kg(root, "entities", "--class", "Compnay")
    assert (result.exit_code, result.stderr) == (
        2,
        "kg: error: --class: unknown class 'Compnay'; nearest: 'Company' (kg:Company)\n",
    )


def test_quote_prints_the_line_and_the_words_to_copy(root: Path) -> None:
    result = kg(root, "quote", SOURCE, "production   capacity of\n300,000 vehicles")
    assert (result.exit_code, result.stdout) == (0, "line 5: production capacity of 300,000 vehicles\n")


def test_quote_not_found_prints_the_nearest_passages_and_exits_1(root: Path) -> None:
    result = kg(root, "quote", SOURCE, "production capacity of 300000 vehicles")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        f"not in source {SOURCE}; the nearest passages:",
        "line 5 (99% alike): production capacity of 300,000 vehicles",
    ]


# kg diff


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(root), *args],
        check=True,
        capture_output=True,
    )


def test_diff_of_a_folder_with_itself_is_empty_and_exits_0(root: Path) -> None:
    result = kg(root, "diff", str(FROZEN), str(root))
    assert (result.exit_code, result.stdout) == (0, f"claims: {FROZEN} -> {root}: 0 added, 0 removed, 0 changed\n")


def test_diff_defaults_to_the_last_commit_against_the_working_tree(root: Path) -> None:
    assert kg(root, "curate", "migrate").exit_code == 0  # the statements in the axes, whichever model they had
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "frozen")
    target = root / "data" / "sources" / f"{SOURCE}.ttl"
    text = target.read_text(encoding="utf-8")
    start = text.index("kgs:xiaomi-country a kg:RelationStatement ;")
    end = text.index(" .\n", start)
    block = re.sub(r"kg:likelihood\s+kg:certain", "kg:likelihood kg:likely", text[start:end])
    assert block != text[start:end]
    target.write_text(text[:start] + block + text[end:], encoding="utf-8")
    result = kg(root, "diff")
    assert result.exit_code == 1
    assert result.stdout == (
        "claims: HEAD -> working tree: 0 added, 0 removed, 1 changed\n"
        f"source kgsrc:{SOURCE}\n"
        "  kgr:xiaomi (Xiaomi)\n"
        "    ~ kgr:xiaomi kg:country: likelihood: certain → likely\n"
    )
    as_json = json.loads(kg(root, "diff", "--format", "json").stdout)
    assert [c["differences"] for c in as_json["changed"]] == [
        {"kg:likelihood": {"new": ["kg:likely"], "old": ["kg:certain"]}}
    ]
    assert [c["new"]["axes"]["likelihood"] for c in as_json["changed"]] == ["likely"]
    assert (as_json["added"], as_json["removed"], as_json["same"]) == ([], [], False)


def test_diff_of_something_that_is_no_version(root: Path) -> None:
    result = kg(root, "diff", "no-such-thing")
    assert result.exit_code == 2
    assert result.stderr == (
        f"kg: error: 'no-such-thing' is neither a folder, a file, nor a git revision ({root} is in no git "
        "repository: give OLD as a folder or a dump such as dist/graph.nq)\n"
    )
    git(root, "init", "-q")
    in_git = kg(root, "diff", "no-such-thing")
    assert in_git.stderr == f"kg: error: 'no-such-thing' is neither a folder, a file, nor a git revision of {root}\n"


# Rough edges of the command line


def test_project_is_accepted_after_the_command(root: Path) -> None:
    result = CliRunner().invoke(cli, ["entities", "Lei Jun", "--project", str(root)])
    assert (result.exit_code, result.stdout.splitlines()[1].split()[:3]) == (0, ["Lei", "Jun", "kgr:lei-jun"])


def test_project_is_accepted_after_a_subcommand_of_a_group(root: Path, tmp_path: Path) -> None:
    note = write(tmp_path / "note.txt", NOTE)
    args = ["source", "add", str(note), "--id", "w", "--title", "T", "--publisher", "Cnevpost", "--project", str(root)]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, (root / "seeds" / "001_w.txt").is_file()) == (0, True)


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = CliRunner().invoke(cli, ["biuld"], prog_name="kg")
    assert (result.exit_code, result.stderr) == (
        2,
        "Usage: kg [OPTIONS] COMMAND [ARGS]...\nTry 'kg -h' for help.\nkg: error: no such command 'biuld'; "
        "did you mean 'build'?\n",
    )


def test_click_usage_errors_take_kg_form_with_the_usage_hint() -> None:
    result = CliRunner().invoke(cli, ["quote", "only-an-id"], prog_name="kg")
    assert (result.exit_code, result.stderr) == (
        2,
        "Usage: kg quote [OPTIONS] ID TEXT\nTry 'kg quote -h' for help.\nkg: error: missing argument 'TEXT'.\n",
    )


def test_one_file_is_loading_1_file(tmp_path: Path) -> None:
    from kg.backends.oxigraph import load_store
    from kg.backends.progress import Progress

    shown = io.StringIO()
    data = write(tmp_path / "one.nt", "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    load_store(tmp_path / "store", [data], Progress(shown, is_tty=True, show_after=0))
    assert f"loading 1 file into {tmp_path / 'store'}" in shown.getvalue()


def test_load_help_names_files_that_exist_after_a_build() -> None:
    text = CliRunner().invoke(cli, ["load", "--help"]).stdout
    assert "kg load --store oxigraph:store dist/graph.nq" in text
    assert "reference/" not in text


def test_render_to_a_device_names_dash_for_standard_output(root: Path) -> None:
    result = kg(root, "render", "-o", "/dev/null")
    assert (result.exit_code, result.stderr) == (
        2,
        "kg: error: /dev/null is not a regular file (a folder, device or pipe); kg writes whole files only, and "
        "writes to standard output with -o -\n",
    )


def test_a_group_alone_shows_its_help_not_an_error() -> None:
    result = CliRunner().invoke(cli, ["source"], prog_name="kg")
    assert "Commands:\n  add " in result.output
    assert "kg: error" not in result.output


def test_replace_makes_the_sheet_the_whole_source(root: Path, tmp_path: Path) -> None:
    note = write(tmp_path / "note.txt", NOTE)
    assert (
        kg(root, "source", "add", str(note), "--id", "wuhan", "--title", "T", "--publisher", "Cnevpost").exit_code == 0
    )
    header = "subject,property,object,quote,hedge\n"
    first = header + "Xiaomi Auto factory,operator,Xiaomi Auto,Xiaomi Auto will open a second plant,\n"
    second = header + "Xiaomi Auto factory,operator,Xiaomi,the company said,the company said\n"
    assert kg(root, "import", str(write(tmp_path / "a.csv", first)), "--source", "wuhan").exit_code == 0
    replaced = kg(root, "import", str(write(tmp_path / "b.csv", second)), "--source", "wuhan", "--replace")
    assert replaced.stdout.splitlines()[-1] == "1 claim (1 new), 0 new entities"
    text = (root / "data" / "sources" / "wuhan.ttl").read_text(encoding="utf-8")
    assert text.count("kg:RelationStatement") == 1 and "kg:object kgr:xiaomi ;" in text


def test_derived_from_names_a_known_source_or_a_url(root: Path, tmp_path: Path) -> None:
    note = write(tmp_path / "note.txt", NOTE)
    add = ("source", "add", str(note), "--id", "w", "--title", "T", "--publisher", "Cnevpost")
    unknown = kg(root, *add, "--derived-from", "nope")
    assert unknown.stderr == (
        "kg: error: --derived-from 'nope': no such source in seeds/manifest.ttl (give its id or a URL)\n"
    )
    known = kg(root, *add, "--derived-from", SOURCE)
    assert known.exit_code == 0
    manifest = (root / "seeds" / "manifest.ttl").read_text(encoding="utf-8")
    assert f"    prov:wasDerivedFrom kgsrc:{SOURCE} ;\n" in manifest  # the manifest declares prov:
