"""The curated graph holds the seed article's facts, in both layers, with their provenance."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.rdf.namespaces import KG, KGR, PREFIXES


def select(graph: Graph, query: str, **bindings: object) -> list[tuple]:
    return [tuple(row) for row in graph.query(query, initNs=PREFIXES, initBindings=bindings)]


def statements_about(graph: Graph, subject: URIRef, predicate: URIRef) -> list[URIRef]:
    return sorted(st for st in graph.subjects(KG.subject, subject) if (st, KG.predicate, predicate) in graph)


def test_lei_jun_holds_three_roles_at_xiaomi(graph: Graph) -> None:
    rows = select(
        graph,
        """SELECT ?role WHERE {
             VALUES ?role { kg:founder kg:chairperson kg:chiefExecutiveOfficer }
             kgr:xiaomi ?role kgr:lei-jun .
             ?st kg:subject kgr:xiaomi ; kg:predicate ?role ; kg:object kgr:lei-jun ; kg:status kg:stated .
           }""",
    )
    assert {row[0] for row in rows} == {KG.founder, KG.chairperson, KG.chiefExecutiveOfficer}


def test_foton_acquisition_is_dated_november_2022_at_month_precision(graph: Graph) -> None:
    acquisitions = select(
        graph,
        """SELECT ?event ?date WHERE {
             ?event a kg:Acquisition ; kg:acquirer kgr:xiaomi ; kg:acquired kgr:foton-motor ; kg:date ?date .
           }""",
    )
    assert len(acquisitions) == 1
    date = acquisitions[0][1]
    assert date == Literal("2022-11", datatype=XSD.gYearMonth)
    assert date.datatype == XSD.gYearMonth
    assert (KGR.xiaomi, KG.owns, KGR["foton-motor"]) in graph


def test_borgward_name_rights_are_held_by_foton_which_xiaomi_owns(graph: Graph) -> None:
    rows = select(
        graph,
        """SELECT ?holder WHERE {
             ?right a kg:BrandNameRight ; kg:rightTo kgr:borgward .
             ?holder kg:holdsRight ?right .
             kgr:xiaomi kg:owns+ ?holder .
           }""",
    )
    assert rows == [(KGR["foton-motor"],)]


def test_factory_in_beijing_with_capacity_of_300000_vehicles_a_year(graph: Graph) -> None:
    rows = select(
        graph,
        """SELECT ?factory ?amount ?unit WHERE {
             kgr:xiaomi-first-car kg:assemblyPlant ?factory .
             ?factory a kg:Factory ; kg:location kgr:beijing .
             ?st kg:subject ?factory ; kg:predicate kg:productionCapacity ; kg:amount ?amount ; kg:unit ?unit .
           }""",
    )
    assert rows == [(KGR["xiaomi-auto-factory"], Literal(300000), KG.vehiclesPerYear)]


def test_price_range_is_40000_to_50000_eur(graph: Graph) -> None:
    rows = select(
        graph,
        """SELECT ?min ?max ?currency WHERE {
             ?st kg:subject kgr:xiaomi-first-car ; kg:predicate kg:price ;
                 kg:minInclusive ?min ; kg:maxInclusive ?max ; kg:currency ?currency .
           }""",
    )
    assert len(rows) == 1
    low, high, currency = rows[0]
    assert (low.toPython(), high.toPython(), str(currency)) == (40000, 50000, "EUR")


def test_research_team_is_a_lower_bound_of_2300_people_not_an_amount(graph: Graph) -> None:
    (statement,) = statements_about(graph, KGR["xiaomi-auto"], KG.researchTeamSize)
    assert graph.value(statement, KG.minExclusive).toPython() == 2300
    assert graph.value(statement, KG.unit) == KG.people
    assert graph.value(statement, KG.amount) is None
    assert graph.value(statement, KG.hedge) == Literal("is said to have", lang="en")


def test_mass_production_is_bounded_by_the_first_half_of_2024(graph: Graph) -> None:
    (statement,) = statements_about(graph, KGR["mass-production-start"], KG.date)
    assert graph.value(statement, KG.earliestDate) == Literal("2024-01", datatype=XSD.gYearMonth)
    assert graph.value(statement, KG.latestDate) == Literal("2024-06", datatype=XSD.gYearMonth)
    assert graph.value(statement, KG.status) == KG.planned


def test_lidar_claim_is_speculative_and_absent_from_the_direct_layer(graph: Graph) -> None:
    lidar = [
        st
        for st in statements_about(graph, KGR["xiaomi-first-car"], KG.hasFeature)
        if graph.value(st, KG.object) == KGR["lidar-sensor"]
    ]
    assert len(lidar) == 1
    assert graph.value(lidar[0], KG.status) == KG.speculative
    assert graph.value(lidar[0], KG.hedge) == Literal("may be", lang="en")
    assert (KGR["xiaomi-first-car"], KG.hasFeature, KGR["lidar-sensor"]) not in graph


def test_borgward_reuse_is_speculative_with_its_hedge(graph: Graph) -> None:
    (statement,) = statements_about(graph, KGR.xiaomi, KG.usesBrand)
    assert graph.value(statement, KG.status) == KG.speculative
    assert "unlikely" in str(graph.value(statement, KG.hedge))
    assert (KGR.xiaomi, KG.usesBrand, KGR.borgward) not in graph


def test_time_share_is_half_as_a_percentage(graph: Graph) -> None:
    (statement,) = statements_about(graph, KGR["lei-jun"], KG.devotesTimeTo)
    assert graph.value(statement, KG.amount).toPython() in (50, Decimal(50))
    assert graph.value(statement, KG.unit) == KG.percent
    assert graph.value(statement, KG.attributedTo) == KGR["lei-jun"]


def test_every_statement_has_source_quote_and_exactly_one_known_status(graph: Graph) -> None:
    rows = select(
        graph,
        """SELECT ?st (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?quote) AS ?quotes)
                  (COUNT(DISTINCT ?status) AS ?statuses) WHERE {
             ?st a/rdfs:subClassOf* kg:Statement .
             OPTIONAL { ?st kg:source ?source }
             OPTIONAL { ?st kg:evidence ?quote }
             OPTIONAL { ?st kg:status ?status }
           } GROUP BY ?st""",
    )
    assert len(rows) >= 50
    for statement, sources, quotes, statuses in rows:
        assert (sources.toPython(), quotes.toPython(), statuses.toPython()) >= (1, 1, 1), statement
        assert statuses.toPython() == 1, statement
    known = {KG.stated, KG.reported, KG.planned, KG.speculative}
    assert {o for o in graph.objects(None, KG.status)} <= known


def test_every_direct_edge_is_backed_and_no_speculative_claim_has_one(graph: Graph) -> None:
    unbacked = select(
        graph,
        """SELECT ?s ?p ?o WHERE {
             ?p a kg:ClaimProperty . ?s ?p ?o .
             FILTER NOT EXISTS { ?s a/rdfs:subClassOf* kg:Statement }
             FILTER NOT EXISTS {
               ?st kg:subject ?s ; kg:predicate ?p ; kg:status ?status .
               { ?st kg:object ?o } UNION { ?st kg:value ?o }
               FILTER (?status != kg:speculative)
             }
           }""",
    )
    assert unbacked == []
    speculative_edges = select(
        graph,
        """SELECT ?st WHERE {
             ?st kg:status kg:speculative ; kg:subject ?s ; kg:predicate ?p .
             { ?st kg:object ?o } UNION { ?st kg:value ?o }
             ?s ?p ?o .
           }""",
    )
    assert speculative_edges == []


def test_only_verified_wikidata_identifiers_are_used(graph: Graph) -> None:
    used = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, KG.wikidataEntity)}
    assert {"Q1636958", "Q956", "Q148", "Q9000717"} <= used
    assert graph.value(KGR.xiaomi, KG.wikidataEntity) == URIRef("http://www.wikidata.org/entity/Q1636958")
    assert graph.value(KGR.beijing, KG.wikidataEntity) == URIRef("http://www.wikidata.org/entity/Q956")
