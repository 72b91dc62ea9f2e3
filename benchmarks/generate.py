"""Synthetic kg projects of about N triples, in the project's own ontology, for benchmarks and scale tests.

A generated project is a complete kg project: the repository's ontology, shapes, queries and curated
data, plus generated data in data/generated/ and the synthetic articles its statements quote in
seeds/synthetic/, each described in seeds/manifest.ttl. It conforms to the shapes and passes the
evidence check, so every kg command works on it as on the curated graph.

What is generated, in groups of one to four companies linked by an ownership chain: companies with a
country, headquarters, founder, chairperson and chief executive; people; vehicle models with a maker,
body style, number of doors, assembly plant and price; factories with a location, operator, capacity
and construction status. Every direct edge is backed by a statement that the direct-layer rule admits; some
claims are put as possible and have a statement only. Statements carry a source, a verbatim quote, their
axes, and for reported or planned or possible claims the hedging words the quote contains.

The output is written as it is made (never held as a graph), and the same seed gives the same bytes.

    python benchmarks/generate.py --triples 100000 /tmp/kg-100k
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TextIO

from kg.project import Project

REPO = Path(__file__).resolve().parents[1]
FILE_TRIPLES = 250_000  # a new data file after this many triples, so no file nears kg's input size limit
SENTENCES_PER_SOURCE = 150
LARGEST_GROUP = 1500  # about the most triples one group can add; smaller groups fill the end of the budget

PREFIXES = """\
@prefix kg:      <https://w3id.org/kg/ontology#> .
@prefix kgr:     <https://w3id.org/kg/id/> .
@prefix kgs:     <https://w3id.org/kg/statement/> .
@prefix kgsrc:   <https://w3id.org/kg/source/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
"""

SYLLABLES = ("no", "vik", "ta", "ra", "zen", "lo", "mar", "qui", "sel", "dor", "ka", "fen", "bri", "lu", "tor", "ve")
COMPANY_WORDS = ("Motors", "Automotive", "Mobility", "Electric", "Industries", "Group", "Technologies")
GIVEN = ("Ana", "Bo", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kira", "Lars", "Mei", "Nils")
FAMILY = ("Berg", "Costa", "Dahl", "Endo", "Fischer", "Gao", "Haas", "Ito", "Jansen", "Kowal", "Lind", "Moreau")
BODY_STYLES = ("sedan", "suv", "hatchback", "estate", "coupe", "pickup", "van")
CURRENCIES = (("EUR", "euros"), ("USD", "dollars"), ("CNY", "yuan"))
PRODUCT_LINES = ("electric-cars", "smartphones", "robots", "electronic-devices")  # curated kgr: entities

# The generator's four kinds of claim, as the statement axes (docs/modelling.md) write them.
_SETTLED = [("kg:polarity", "kg:affirmed"), ("kg:rank", "kg:normalRank")]
AXES_OF_CLAIM: dict[str, list[tuple[str, str]]] = {
    "stated": [("kg:attribution", "kg:ownVoice"), ("kg:timing", "kg:factual"), ("kg:likelihood", "kg:certain")],
    "reported": [("kg:attribution", "kg:attributed"), ("kg:timing", "kg:factual"), ("kg:likelihood", "kg:certain")],
    "planned": [
        ("kg:attribution", "kg:ownVoice"),
        ("kg:timing", "kg:prospective"),
        ("kg:outcome", "kg:outcomeUnknown"),
        ("kg:likelihood", "kg:likely"),
    ],
    "speculative": [("kg:attribution", "kg:ownVoice"), ("kg:timing", "kg:factual"), ("kg:likelihood", "kg:possible")],
}
for _axes in AXES_OF_CLAIM.values():
    _axes += _SETTLED


def escape(text: str) -> str:
    """A Turtle string body: backslash, quote and line breaks escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def english(text: str) -> str:
    return f'"{escape(text)}"@en'


def plain(text: str) -> str:
    return f'"{escape(text)}"'


@dataclass
class Source:
    """One synthetic article: the sentences its statements quote, written out when it is full."""

    number: int
    publisher: str
    sentences: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return f"synthetic-{self.number:05d}"

    @property
    def title(self) -> str:
        return f"Synthetic industry report {self.number}"

    @property
    def file_name(self) -> str:
        return f"synthetic/{self.slug}.txt"

    def source_line(self, publisher_label: str) -> str:
        return f"Source: {publisher_label}: {self.title}"


class TurtleFiles:
    """Data files in data/generated/, a new one every FILE_TRIPLES triples, counting what is written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.triples = 0
        self.in_file = 0
        self.files: list[Path] = []
        self.handle: TextIO | None = None

    def subject(self, iri: str, pairs: list[tuple[str, str]]) -> None:
        """One subject block: ``iri`` with each (predicate, object) pair, in Turtle terms."""
        if self.handle is None or self.in_file >= FILE_TRIPLES:
            self.rotate()
        assert self.handle is not None
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self.handle.write(f"{iri} {body} .\n\n")
        self.triples += len(pairs)
        self.in_file += len(pairs)

    def rotate(self) -> None:
        self.close()
        path = self.folder / f"part-{len(self.files) + 1:04d}.ttl"
        self.files.append(path)
        self.handle = path.open("w", encoding="utf-8")
        self.handle.write(f"# Generated by benchmarks/generate.py: synthetic data, not curated facts.\n\n{PREFIXES}\n")
        self.in_file = 0

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class Generator:
    """Writes one synthetic project; ``run`` stops at the first group boundary past the triple budget."""

    def __init__(self, root: Path, budget: int, seed: int) -> None:
        self.root = root
        self.budget = budget
        self.random = random.Random(seed)
        self.data = TurtleFiles(root / "data" / "generated")
        self.counters: dict[str, int] = {}
        self.publishers: list[tuple[str, str]] = []
        self.sources: list[Source] = []
        self.source: Source | None = None
        self.countries: list[tuple[str, str]] = []
        self.cities: list[tuple[str, str, str]] = []  # (iri, label, country iri)
        self.features: list[str] = []

    # Names

    def next_number(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def word(self, syllables: int = 2) -> str:
        return "".join(self.random.choice(SYLLABLES) for _ in range(syllables)).capitalize()

    # Statements

    def cite(self, sentence: str) -> Source:
        """The source whose text gets ``sentence``; a new source once the current one is full."""
        if self.source is None or len(self.source.sentences) >= SENTENCES_PER_SOURCE:
            self.finish_source()
            self.source = Source(len(self.sources) + 1, self.random.choice(self.publishers)[0])
        self.source.sentences.append(sentence)
        return self.source

    def statement(
        self,
        kind: str,
        subject: str,
        predicate: str,
        value: list[tuple[str, str]],
        status: str,
        sentence: str,
        hedge: str | None = None,
        attributed_to: str | None = None,
    ) -> None:
        """A statement node of ``kind`` quoting ``sentence``, which goes verbatim into its source's text."""
        source = self.cite(sentence)
        pairs = [("a", f"kg:{kind}"), ("kg:subject", subject), ("kg:predicate", predicate), *value]
        pairs += [*AXES_OF_CLAIM[status], ("kg:source", f"kgsrc:{source.slug}")]
        pairs.append(("kg:evidence", english(sentence)))
        if hedge is not None:
            assert hedge in sentence, (hedge, sentence)
            pairs.append(("kg:hedge", english(hedge)))
        if attributed_to is not None:
            pairs.append(("kg:attributedTo", attributed_to))
        self.data.subject(f"kgs:gen-{self.next_number('statement'):08d}", pairs)

    def relation(self, subject: str, predicate: str, obj: str, sentence: str, status: str = "stated", **extra) -> None:
        self.statement("RelationStatement", subject, predicate, [("kg:object", obj)], status, sentence, **extra)

    # Fixed pools: publishers, countries, cities, features

    def pools(self) -> None:
        for _ in range(5):
            n = self.next_number("publisher")
            iri, label = f"kgr:gen-publisher-{n}", f"{self.word()} Wire {n}"
            self.data.subject(iri, [("a", "kg:Publisher"), ("rdfs:label", english(label))])
            self.publishers.append((iri, label))
        for _ in range(20):
            n = self.next_number("country")
            iri, label = f"kgr:gen-country-{n}", f"{self.word(3)}ia {n}"
            self.data.subject(iri, [("a", "kg:Country"), ("rdfs:label", english(label))])
            self.countries.append((iri, label))
        for _ in range(200):
            n = self.next_number("city")
            country, country_label = self.random.choice(self.countries)
            iri, label = f"kgr:gen-city-{n}", f"{self.word()} City {n}"
            self.data.subject(iri, [("a", "kg:City"), ("rdfs:label", english(label)), ("kg:country", country)])
            self.relation(iri, "kg:country", country, f"{label} is a city in {country_label}.")
            self.cities.append((iri, label, country))
        for name in ("LiDAR sensor", "heat pump", "800-volt platform", "solid-state battery", "driver monitoring"):
            n = self.next_number("feature")
            iri = f"kgr:gen-feature-{n}"
            self.data.subject(iri, [("a", "kg:VehicleFeature"), ("rdfs:label", english(name))])
            self.features.append(iri)
        for style in BODY_STYLES[1:]:
            self.data.subject(f"kgr:gen-{style}", [("a", "kg:BodyStyle"), ("rdfs:label", english(style))])

    # Entities

    def person(self) -> tuple[str, str]:
        n = self.next_number("person")
        iri, label = f"kgr:gen-person-{n}", f"{self.random.choice(GIVEN)} {self.random.choice(FAMILY)} {n}"
        self.data.subject(iri, [("a", "kg:Person"), ("rdfs:label", english(label))])
        return iri, label

    def company(self) -> tuple[str, str]:
        n = self.next_number("company")
        iri, label = f"kgr:gen-company-{n}", f"{self.word()} {self.random.choice(COMPANY_WORDS)} {n}"
        country, country_label = self.random.choice(self.countries)
        city, city_label, _ = self.random.choice(self.cities)
        founder, founder_label = self.person()
        ceo, ceo_label = self.person() if self.random.random() < 0.6 else (founder, founder_label)
        line = self.random.choice(PRODUCT_LINES)
        pairs = [("a", "kg:Company"), ("rdfs:label", english(label)), ("kg:country", country)]
        pairs += [("kg:headquarters", city), ("kg:founder", founder), ("kg:chairperson", founder)]
        pairs += [("kg:chiefExecutiveOfficer", ceo), ("kg:productLine", f"kgr:{line}")]
        self.data.subject(iri, pairs)
        self.relation(iri, "kg:country", country, f"{label} is a company from {country_label}.")
        self.relation(
            iri,
            "kg:headquarters",
            city,
            f"{label} is said to be based in {city_label}, according to {ceo_label}.",
            status="reported",
            hedge="is said to",
            attributed_to=ceo,
        )
        self.relation(iri, "kg:founder", founder, f"{founder_label} founded {label}.")
        self.relation(iri, "kg:chairperson", founder, f"{founder_label} chairs the board of {label}.")
        self.relation(iri, "kg:chiefExecutiveOfficer", ceo, f"{ceo_label} is the chief executive of {label}.")
        self.relation(
            iri,
            "kg:productLine",
            f"kgr:{line}",
            f"{label} is expected to sell {line.replace('-', ' ')} from next year.",
            status="planned",
            hedge="is expected to",
        )
        return iri, label

    def factory(self, operator: str, operator_label: str) -> tuple[str, str]:
        n = self.next_number("factory")
        iri, label = f"kgr:gen-factory-{n}", f"{operator_label} plant {n}"
        city, city_label, _ = self.random.choice(self.cities)
        building = self.random.random() < 0.3
        pairs = [("a", "kg:Factory"), ("rdfs:label", english(label)), ("kg:location", city), ("kg:operator", operator)]
        if building:
            pairs.append(("kg:constructionStatus", english("under construction")))
        self.data.subject(iri, pairs)
        self.relation(iri, "kg:location", city, f"The {label} stands in {city_label}.")
        self.relation(iri, "kg:operator", operator, f"{operator_label} runs the {label}.")
        if building:
            self.statement(
                "ValueStatement",
                iri,
                "kg:constructionStatus",
                [("kg:value", english("under construction"))],
                "stated",
                f"The {label} is under construction.",
            )
        capacity = self.random.randrange(50, 500) * 1000
        self.statement(
            "QuantityStatement",
            iri,
            "kg:productionCapacity",
            [("kg:amount", str(capacity)), ("kg:unit", "kg:vehiclesPerYear")],
            "planned",
            f"The {label} is expected to build {capacity:,} vehicles a year.",
            hedge="is expected to",
        )
        return iri, label

    def vehicle(self, maker: str, maker_label: str, plant: str, plant_label: str) -> None:
        n = self.next_number("model")
        iri, label = f"kgr:gen-model-{n}", f"{maker_label.split()[0]} {self.word(1).upper()}{n}"
        style = self.random.choice(BODY_STYLES)
        style_iri = "kgr:sedan" if style == "sedan" else f"kgr:gen-{style}"
        doors = self.random.choice((2, 3, 4, 5))
        pairs = [("a", "kg:VehicleModel"), ("rdfs:label", english(label)), ("kg:manufacturer", maker)]
        pairs += [("kg:bodyStyle", style_iri), ("kg:numberOfDoors", str(doors)), ("kg:assemblyPlant", plant)]
        self.data.subject(iri, pairs)
        self.relation(iri, "kg:manufacturer", maker, f"The {label} is made by {maker_label}.")
        self.relation(iri, "kg:bodyStyle", style_iri, f"The {label} is a {style} with {doors} doors.")
        self.statement(
            "ValueStatement",
            iri,
            "kg:numberOfDoors",
            [("kg:value", str(doors))],
            "stated",
            f"The {label} is a {style} with {doors} doors.",
        )
        self.relation(
            iri,
            "kg:assemblyPlant",
            plant,
            f"The {label} will be built at the {plant_label}.",
            status="planned",
            hedge="will be",
        )
        low = self.random.randrange(20, 80) * 1000
        code, words = self.random.choice(CURRENCIES)
        self.statement(
            "QuantityStatement",
            iri,
            "kg:price",
            [("kg:minInclusive", str(low)), ("kg:maxInclusive", str(low + 10_000)), ("kg:currency", plain(code))],
            "stated",
            f"The {label} costs between {low:,} and {low + 10_000:,} {words}.",
        )
        feature = self.random.choice(self.features)
        self.relation(
            iri,
            "kg:hasFeature",
            feature,
            f"A bump on the roof of the {label} may be a sensor of some kind.",
            status="speculative",
            hedge="may be",
        )

    def group(self, small: bool) -> None:
        """One to four companies, each owning the next, each with factories and models; one of each if ``small``."""
        chain = [self.company() for _ in range(1 if small else self.random.randint(1, 4))]
        for (owner, owner_label), (owned, owned_label) in pairwise(chain):
            self.data.subject(owner, [("kg:owns", owned)])
            self.relation(owner, "kg:owns", owned, f"{owner_label} owns {owned_label}.")
        if len(chain) > 1 and self.random.random() < 0.5:
            buyer, buyer_label = chain[-1]
            target, target_label = self.random.choice(chain[:-1])
            self.relation(
                buyer,
                "kg:owns",
                target,
                f"Analysts think {buyer_label} may be buying a stake in {target_label}.",
                status="speculative",
                hedge="may be",
            )
        for iri, label in chain:
            for _ in range(1 if small else self.random.randint(1, 2)):
                plant, plant_label = self.factory(iri, label)
                for _ in range(1 if small else self.random.randint(1, 3)):
                    self.vehicle(iri, label, plant, plant_label)

    # Sources

    def finish_source(self) -> None:
        if self.source is None:
            return
        publisher_label = dict(self.publishers)[self.source.publisher]
        path = self.root / "seeds" / self.source.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = " ".join(self.source.sentences)
        path.write_text(f"{text}\n\n{self.source.source_line(publisher_label)}\n", encoding="utf-8")
        self.sources.append(self.source)
        self.source = None

    def manifest_entries(self) -> Iterator[str]:
        labels = dict(self.publishers)
        for source in self.sources:
            pairs = [
                ("a", "kg:SourceDocument, schema:NewsArticle"),
                ("dcterms:identifier", plain(source.slug)),
                ("rdfs:label", english(source.title)),
                ("dcterms:title", english(source.title)),
                ("dcterms:publisher", source.publisher),
                ("dcterms:language", plain("en")),
                ("kg:sourceFile", plain(source.file_name)),
                ("kg:sourceLine", plain(source.source_line(labels[source.publisher]))),
            ]
            body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
            yield f"kgsrc:{source.slug} {body} .\n"

    def run(self, start: int) -> int:
        """Generate until the project holds ``budget`` triples (``start`` of them copied); the data triples."""
        self.data.folder.mkdir(parents=True, exist_ok=True)
        self.pools()
        while (remaining := self.budget - start - self.data.triples - self.manifest_triples()) > 0:
            self.group(small=remaining < LARGEST_GROUP)
        self.finish_source()
        self.data.close()
        return self.data.triples

    def manifest_triples(self) -> int:
        return 9 * (len(self.sources) + (self.source is not None))


@dataclass(frozen=True)
class GeneratedProject:
    root: Path
    triples: int
    sources: int


def generate_project(root: Path, triples: int, seed: int = 1, repo: Path = REPO) -> GeneratedProject:
    """Write a project of about ``triples`` triples (at least the curated graph) into ``root``, which must not exist."""
    if root.exists():
        raise FileExistsError(f"{root} exists; the generator writes only into a new folder")
    for folder in ("ontology", "queries", "data", "seeds"):
        shutil.copytree(repo / folder, root / folder)
    copied = count_triples(Project(root).graph_files())
    generator = Generator(root, triples, seed)
    data_triples = generator.run(copied)
    with (root / "seeds" / "manifest.ttl").open("a", encoding="utf-8") as manifest:
        manifest.write(f"\n# Synthetic sources written by benchmarks/generate.py.\n\n{PREFIXES}\n")
        for entry in generator.manifest_entries():
            manifest.write(entry + "\n")
    total = copied + data_triples + generator.manifest_triples()
    return GeneratedProject(root, total, len(generator.sources))


def count_triples(paths: list[Path]) -> int:
    import pyoxigraph

    return sum(sum(1 for _ in pyoxigraph.parse(path=str(p), format=pyoxigraph.RdfFormat.TURTLE)) for p in paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic kg project of about N triples.")
    parser.add_argument("folder", type=Path, help="the new project folder (must not exist)")
    parser.add_argument("--triples", type=int, default=100_000, help="about how many triples (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="the random seed; the same seed gives the same bytes")
    args = parser.parse_args(argv)
    try:
        project = generate_project(args.folder, args.triples, args.seed)
    except FileExistsError as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {project.root}: {project.triples:,} triples, {project.sources} synthetic sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
