"""A new user adds a short article: kg source add, one sheet, kg import; then kg build passes, kg validate on
the new source reports nothing, the library answers with the new claims and their source, and kg diff lists
exactly the new claims. A sheet with a wrong number, a mistyped entity and a quote not in the article is
refused first, with those three errors and nothing written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result
from rdflib import Graph

from kg.cli import cli
from kg.rdf.namespaces import KG, KGR, KGS

FROZEN = Path(__file__).resolve().parent / "fixtures" / "project"
SOURCE = "xiaomi-su7-on-sale"

ARTICLE = """Xiaomi SU7 goes on sale in Beijing

Xiaomi launched its first electric car, the SU7, on 28 March 2024 in Beijing. The SU7 is a sedan
built by Xiaomi Auto at its factory in the south of the city. The base version costs 215,900 yuan,
Xiaomi says.

The car is expected to compete with the Tesla Model 3, which is made by Tesla. Lei Jun said the
company received more than 50,000 orders within 27 minutes.

Source: Example Wire - Xiaomi SU7 goes on sale in Beijing
"""

LAUNCH_QUOTE = '"Xiaomi launched its first electric car, the SU7, on 28 March 2024"'
SHEET = f"""\
subject,property,object,value,quote,hedge,attributed_to,timing,likelihood,amount,currency,subject_class,object_class
Xiaomi SU7,manufacturer,Xiaomi,,"Xiaomi launched its first electric car, the SU7",,,,,,,VehicleModel,
Xiaomi SU7,body style,sedan,,The SU7 is a sedan,,,,,,,,
Xiaomi SU7,assemblyPlant,Xiaomi Auto factory,,The SU7 is a sedan built by Xiaomi Auto at its factory,,,,,,,,
Xiaomi SU7,price,,,"The base version costs 215,900 yuan, Xiaomi says.",Xiaomi says,Xiaomi,,,215900,CNY,,
Xiaomi SU7,comparedWith,Tesla Model 3,,The car is expected to compete with the Tesla Model 3,is expected to,,\
prospective,likely,,,,VehicleModel
Tesla Model 3,manufacturer,Tesla,,"the Tesla Model 3, which is made by Tesla",,,,,,,,Company
Launch of the Xiaomi SU7,participant,Xiaomi,,{LAUNCH_QUOTE},,,,,,,Unveiling,
Launch of the Xiaomi SU7,about,Xiaomi SU7,,{LAUNCH_QUOTE},,,,,,,,
Launch of the Xiaomi SU7,date,,2024-03-28,{LAUNCH_QUOTE},,,,,,,,
"""
# Row 2 as it came from a hurried curator: a transposed price, a typo, a quote that is not the article's.
BAD_SHEET = """subject,property,object,quote,amount,currency,subject_class
Xiaomi SU7,price,,"The base version costs 215,900 yuan, Xiaomi says.",251900,CNY,VehicleModel
Xiaomi SU7,manufacturer,Xiaomy,"Xiaomi launched its first electric car, the SU7",,,
Xiaomi SU7,bodyStyle,sedan,The SU7 is a roomy sedan,,,
"""


def kg(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_a_new_article_from_text_to_build_validation_answers_and_diff(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FROZEN, root)
    (tmp_path / "su7.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "su7.csv").write_text(SHEET, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_SHEET, encoding="utf-8")

    added = kg(
        root,
        "source",
        "add",
        str(tmp_path / "su7.txt"),
        "--id",
        SOURCE,
        "--title",
        "Xiaomi SU7 goes on sale in Beijing",
        "--publisher",
        "Example Wire",
        "--published",
        "2024-03-28",
    )
    assert (added.exit_code, added.stderr) == (0, "")

    before_bad = digests(root)
    refused = kg(root, "import", str(bad), "--source", SOURCE)
    assert refused.exit_code == 3
    assert [line.split(": ", 1)[0] for line in refused.stderr.splitlines()] == [
        f"{bad}:2:amount",
        f"{bad}:3:object",
        f"{bad}:4:quote",
        "kg",
    ]
    assert refused.stderr.splitlines()[-1] == f"kg: error: {bad}: 3 problems; nothing was written"
    assert digests(root) == before_bad

    imported = kg(root, "import", str(tmp_path / "su7.csv"), "--source", SOURCE)
    assert (imported.exit_code, imported.stderr) == (0, "")
    assert imported.stdout.splitlines()[-1] == "9 claims (9 new), 4 new entities"
    again = kg(root, "import", str(tmp_path / "su7.csv"), "--source", SOURCE)
    assert again.stdout == "9 claims (0 new), 0 new entities; nothing changed\n"

    built = kg(root, "build")
    assert (built.exit_code, built.stderr) == (0, "")
    validated = kg(root, "validate", str(root / "data" / "sources" / f"{SOURCE}.ttl"))
    assert (validated.exit_code, validated.stdout) == (0, "conforms: 0 violations, 0 warnings, 0 infos\n")

    answer = kg(
        root,
        "query",
        "sources-of",
        "--bind",
        "subject=kgr:xiaomi-su7",
        "--bind",
        "predicate=kg:manufacturer",
        "--format",
        "csv",
    )
    assert answer.exit_code == 0
    (row,) = csv.DictReader(io.StringIO(answer.stdout))
    assert (row["evidence"], row["source"], row["attribution"]) == (
        "Xiaomi launched its first electric car, the SU7",
        f"https://w3id.org/kg/source/{SOURCE}",
        str(KG.ownVoice),
    )
    assert "Xiaomi SU7 goes on sale in Beijing" in row.values()  # the source's title beside it

    new_claims = Graph().parse(root / "data" / "sources" / f"{SOURCE}.ttl")
    written = sorted(str(s).replace(str(KGS), "kgs:") for s in set(new_claims.subjects(KG.source, None)))
    assert len(written) == 9
    price = next(new_claims.subjects(KG.predicate, KG.price))
    compared = next(new_claims.subjects(KG.predicate, KG.comparedWith))
    assert (new_claims.value(price, KG.attribution), new_claims.value(price, KG.attributedTo)) == (
        KG.attributed,
        KGR.xiaomi,
    )
    assert [new_claims.value(compared, p) for p in (KG.timing, KG.outcome, KG.likelihood)] == [
        KG.prospective,
        KG.outcomeUnknown,
        KG.likely,
    ]
    diff = kg(root, "diff", str(FROZEN), str(root), "--format", "json")
    assert diff.exit_code == 1
    changes = json.loads(diff.stdout)
    assert sorted(c["statement"] for c in changes["added"]) == written
    assert (changes["removed"], changes["changed"]) == ([], [])
    assert {c["source"] for c in changes["added"]} == {f"kgsrc:{SOURCE}"}
