"""The curated graph holds the seed article's facts, in both layers, with their provenance."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from kg.rdf.direct import is_admitted, statement_edges
from kg.rdf.namespaces import KG, KGR, KGS, KGSRC, PREFIXES


def select(graph: Graph, query: str, **bindings: object) -> list[tuple]:
    return [tuple(row) for row in graph.query(query, initNs=PREFIXES, initBindings=bindings)]


def claim_properties(graph: Graph) -> set[URIRef]:
    """The properties of direct edges: what statements claim, and the bounds a period gives."""
    typed = {p for kind in (KG.ClaimProperty, KG.SingleValuedProperty) for p in graph.subjects(RDF.type, kind)}
    claimed = {p for p in graph.objects(None, KG.predicate) if isinstance(p, URIRef)}
    return typed | claimed | {KG.earliestDate, KG.latestDate}


def statements_about(graph: Graph, subject: URIRef, predicate: URIRef) -> list[URIRef]:
    return sorted(st for st in graph.subjects(KG.subject, subject) if (st, KG.predicate, predicate) in graph)


def test_lei_jun_holds_three_roles_at_xiaomi(graph: Graph) -> None:
    rows = select(
        graph,
        """SELECT ?role WHERE {
             VALUES ?role { kg:founder kg:chairperson kg:chiefExecutiveOfficer }
             kgr:xiaomi ?role kgr:lei-jun .
             ?st kg:subject kgr:xiaomi ; kg:predicate ?role ; kg:object kgr:lei-jun ;
                 kg:attribution kg:ownVoice ; kg:timing kg:factual ; kg:likelihood kg:certain .
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


def test_the_cars_factory_in_beijing_is_expected_to_make_300000_vehicles_a_year(graph: Graph) -> None:
    rows = select(
        graph,
        """SELECT ?factory ?amount ?unit WHERE {
             ?plant kg:subject kgr:xiaomi-first-car ; kg:predicate kg:assemblyPlant ; kg:object ?factory .
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
    assert graph.value(statement, KG.timing) == KG.prospective
    assert graph.value(statement, KG.outcome) == KG.outcomeUnknown
    assert (KGR["mass-production-start"], KG.earliestDate, Literal("2024-01", datatype=XSD.gYearMonth)) in graph


def test_lidar_and_self_propelled_claims_are_possible_and_absent_from_the_direct_layer(graph: Graph) -> None:
    features = {
        graph.value(st, KG.object): st for st in statements_about(graph, KGR["xiaomi-first-car"], KG.hasFeature)
    }
    assert set(features) == {KGR["lidar-sensor"], KGR["self-propelled-functions"]}
    assert {graph.value(st, KG.likelihood) for st in features.values()} == {KG.possible}
    assert graph.value(features[KGR["lidar-sensor"]], KG.hedge) == Literal("may be", lang="en")
    assert not any(graph.triples((KGR["xiaomi-first-car"], KG.hasFeature, None)))


def test_borgward_reuse_is_an_unlikely_future_event_about_the_brand_not_a_use_by_xiaomi(graph: Graph) -> None:
    statement = KGS["borgward-name-reuse-about"]
    assert (graph.value(statement, KG.subject), graph.value(statement, KG.object)) == (
        KGR["borgward-name-reuse"],
        KGR.borgward,
    )
    axes = {p: graph.value(statement, p) for p in (KG.attribution, KG.timing, KG.outcome, KG.likelihood)}
    assert axes == {
        KG.attribution: KG.ownVoice,
        KG.timing: KG.prospective,
        KG.outcome: KG.outcomeUnknown,
        KG.likelihood: KG.unlikely,
    }
    assert "unlikely" in str(graph.value(statement, KG.hedge))
    assert (KGR["borgward-name-reuse"], KG.about, KGR.borgward) not in graph
    assert statements_about(graph, KGR.xiaomi, KG.usesBrand) == []
    assert not any(graph.triples((None, KG.usesBrand, None)))


def test_the_2022_prototype_presentation_did_not_happen_and_has_no_direct_edge(graph: Graph) -> None:
    claims = [st for st in graph.subjects(KG.subject, KGR["prototype-presentation"])]
    assert len(claims) == 3
    assert {graph.value(st, KG.outcome) for st in claims} == {KG.didNotHappen}
    assert {graph.value(st, KG.timing) for st in claims} == {KG.prospective}
    (dated,) = statements_about(graph, KGR["prototype-presentation"], KG.date)
    assert graph.value(dated, KG.value) == Literal("2022", datatype=XSD.gYear)
    assert [p for p in graph.predicates(KGR["prototype-presentation"]) if p in claim_properties(graph)] == []


def test_the_car_built_in_the_beijing_factory_is_the_curators_inference(graph: Graph) -> None:
    (statement,) = statements_about(graph, KGR["xiaomi-first-car"], KG.assemblyPlant)
    assert graph.value(statement, KG.attribution) == KG.curatorInference
    assert graph.value(statement, KG.curatorNote) is not None
    assert (KGR["xiaomi-first-car"], KG.assemblyPlant, KGR["xiaomi-auto-factory"]) not in graph


def test_spy_photo_claims_are_attributed_to_the_photos(graph: Graph) -> None:
    quoted = [st for st, quote in graph.subject_objects(KG.evidence) if str(quote).startswith("Spy photos")]
    assert len(quoted) >= 2
    for statement in quoted:
        if graph.value(statement, KG.predicate) == KG.platform:
            continue  # that the photos are on Weibo is the article's own report
        assert graph.value(statement, KG.attribution) == KG.attributed, statement
        assert graph.value(statement, KG.attributedTo) == KGR["spy-photos"], statement


def test_the_seed_is_an_article_of_unknown_publisher_derived_from_cnevposts(graph: Graph) -> None:
    seed, cited = KGSRC["xiaomi-car-project-2024"], KGSRC["cnevpost-xiaomi-car-project-progresses"]
    assert graph.value(seed, KG.publisherUnknown) == Literal(True)
    assert graph.value(seed, DCTERMS.publisher) is None
    assert graph.value(seed, PROV.wasDerivedFrom) == cited
    assert graph.value(cited, DCTERMS.publisher) == KGR.cnevpost


def test_time_share_is_half_as_a_percentage(graph: Graph) -> None:
    (statement,) = statements_about(graph, KGR["lei-jun"], KG.devotesTimeTo)
    assert graph.value(statement, KG.amount).toPython() in (50, Decimal(50))
    assert graph.value(statement, KG.unit) == KG.percent
    assert graph.value(statement, KG.attributedTo) == KGR["lei-jun"]


# The seed's claims that the direct layer leaves out: unlikely, a plan that did not happen, possible, inferred.
HEDGED_FAILED_OR_INFERRED = {
    KGS["borgward-name-reuse-about"],
    KGS["prototype-presentation-about"],
    KGS["prototype-presentation-by"],
    KGS["prototype-presentation-date"],
    KGS["first-car-lidar"],
    KGS["first-car-self-propelled"],
    KGS["first-car-plant"],
}
AXES = {
    KG.attribution: {KG.ownVoice, KG.attributed, KG.curatorInference},
    KG.timing: {KG.factual, KG.prospective},
    KG.likelihood: {KG.certain, KG.likely, KG.possible, KG.unlikely},
    KG.polarity: {KG.affirmed, KG.negated},
    KG.rank: {KG.preferredRank, KG.normalRank, KG.deprecatedRank},
}
OUTCOMES = {KG.outcomeUnknown, KG.happened, KG.didNotHappen, KG.cancelled}


def test_every_statement_has_source_quote_and_one_value_on_each_axis(graph: Graph) -> None:
    statements = sorted(set(graph.subjects(KG.subject, None)))
    assert len(statements) >= 50
    for statement in statements:
        assert len(set(graph.objects(statement, KG.source))) >= 1, statement
        assert len(set(graph.objects(statement, KG.evidence))) >= 1, statement
        for axis, values in AXES.items():
            found = set(graph.objects(statement, axis))
            assert len(found) == 1 and found <= values, (statement, axis, found)
        outcomes = set(graph.objects(statement, KG.outcome))
        assert outcomes <= OUTCOMES and len(outcomes) <= 1, statement
        if graph.value(statement, KG.timing) == KG.prospective:
            assert len(outcomes) == 1, f"{statement} is prospective without an outcome"
    assert not any(graph.triples((None, KG.status, None)))


def test_every_direct_edge_is_given_by_an_admitted_statement_and_only_those_give_edges(graph: Graph) -> None:
    statements = set(graph.subjects(KG.subject, None))
    admitted = {e for st in statements if is_admitted(graph, st) for e in statement_edges(graph, st)}
    refused_statements = {st for st in statements if not is_admitted(graph, st)}
    assert refused_statements == HEDGED_FAILED_OR_INFERRED
    refused = {e for st in refused_statements for e in statement_edges(graph, st)}
    claimed = claim_properties(graph)
    direct = {(s, p, o) for s, p, o in graph if p in claimed and s not in statements}
    assert direct == admitted
    assert not (refused - admitted) & set(graph)


def test_only_verified_wikidata_identifiers_are_used(graph: Graph) -> None:
    used = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, KG.wikidataEntity)}
    assert {"Q1636958", "Q956", "Q148", "Q9000717"} <= used
    assert graph.value(KGR.xiaomi, KG.wikidataEntity) == URIRef("http://www.wikidata.org/entity/Q1636958")
    assert graph.value(KGR.beijing, KG.wikidataEntity) == URIRef("http://www.wikidata.org/entity/Q956")
