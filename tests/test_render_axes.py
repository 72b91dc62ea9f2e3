"""The HTML view says every axis: no default edge presents one of the seed's hedged sentences as what is or
was so, the hidden groups are named with their counts, sources are listed for the filter, and conflicting
claims are flagged side by side. The page as a document; tests/test_render_axes_browser.py clicks it."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal

from kg.project import Project
from kg.rdf.direct import derive_direct_edges, direct_edges
from kg.rdf.load import load_project
from kg.rdf.namespaces import KG, KGR, KGS, KGSRC
from kg.view.flags import Conflicting
from kg.view.looks import ATTRIBUTION_COLOURS, CONFLICT_MARK, DEFAULT, HIDDEN_LINES, LINE_DASHES
from kg.view.page import RenderOptions, render_graph
from support.html_page import Page
from support.paths import FIXTURES

SECOND_SOURCE = FIXTURES / "render" / "second-source.ttl"
CONFLICTS = (
    Conflicting(str(KGS["test-wire-ceo"]), str(KGS["xiaomi-ceo"])),
    # As kg.validate.conflicts gives them: rdflib IRIs, which are str but compare unequal to plain strings.
    Conflicting(KGS["mass-production-start-period"], KGS["test-wire-mass-production"], settled=True),
)


@pytest.fixture(scope="module")
def data(graph: Graph) -> dict[str, Any]:
    return Page(render_graph(graph).decode("utf-8")).json("kg-data")  # type: ignore[return-value]


@pytest.fixture(scope="module")
def two_sources(project: Project) -> Graph:
    return load_project(project, [SECOND_SOURCE]).graph


def edges_of(data: dict[str, Any], statement: str) -> list[dict[str, Any]]:
    return [e for e in data["edges"] if str(KGS[statement]) in {c["statement"] for c in e["kg"]["claims"]}]


def node(data: dict[str, Any], entity: str) -> dict[str, Any]:
    (found,) = [n for n in data["nodes"] if n["kg"]["iri"] == str(KGR[entity])]
    return found


def looks_current(edge: dict[str, Any]) -> bool:
    """Drawn as a plain fact would be: the default colour, a solid line, the bare property as its label."""
    colour = edge.get("color", {}).get("color", DEFAULT.colour)
    return colour == DEFAULT.colour and "dashes" not in edge and edge["label"] == edge["kg"]["property"]


def test_the_borgward_reuse_is_hidden_and_never_drawn_like_a_possibility(data: dict[str, Any]) -> None:
    (edge,) = edges_of(data, "borgward-name-reuse-about")
    assert edge["hidden"] is True and edge["kg"]["hidden_group"] == "doubted" and not edge["kg"]["direct"]
    assert edge["label"] == "about (planned, unlikely)" and not looks_current(edge)
    assert edge["color"]["color"] == HIDDEN_LINES["doubted"].colour != ATTRIBUTION_COLOURS["ownVoice"]
    (lidar,) = edges_of(data, "first-car-lidar")
    assert edge["dashes"] != lidar["dashes"] and edge["color"] != lidar.get("color")
    event = node(data, "borgward-name-reuse")  # the event takes part in nothing else: hidden with its claim
    assert event["hidden"] is True and event["label"] == "Reuse of the Borgward name (unlikely or negated)"


def test_the_2022_prototype_is_hidden_and_marked_as_did_not_happen(data: dict[str, Any]) -> None:
    edges = edges_of(data, "prototype-presentation-by") + edges_of(data, "prototype-presentation-about")
    assert len(edges) == 2
    for edge in edges:
        assert edge["hidden"] is True and edge["kg"]["standing"] == "failed" and not edge["kg"]["direct"]
        assert edge["label"] == edge["kg"]["property"] + " (planned, did not happen)"
        assert edge["color"]["color"] == edge["font"]["color"] == HIDDEN_LINES["failed"].colour
    event = node(data, "prototype-presentation")
    assert event["hidden"] is True and event["label"].endswith(" (did not happen)")
    (date,) = event["kg"]["facts"]
    assert date["claim"]["axes"]["outcome"] == "didNotHappen" and date["claim"]["standing"] == "failed"


def test_the_possible_features_are_drawn_dotted_and_named_possible(data: dict[str, Any]) -> None:
    for statement, hedge in (("first-car-lidar", "may be"), ("first-car-self-propelled", "points to")):
        (edge,) = edges_of(data, statement)
        assert "hidden" not in edge and not edge["kg"]["direct"] and not looks_current(edge)
        assert (edge["label"], edge["dashes"]) == ("has feature (possible)", list(LINE_DASHES["possible"]))
        (claim,) = edge["kg"]["claims"]
        assert (claim["axes"]["likelihood"], claim["hedge"], claim["direct"]) == ("possible", hedge, False)


def test_the_sedans_beijing_plant_is_drawn_as_the_curators_inference(data: dict[str, Any]) -> None:
    (edge,) = edges_of(data, "first-car-plant")
    assert edge["label"] == "assembly plant (curator inference, planned, likely)" and not looks_current(edge)
    assert edge["color"]["color"] == ATTRIBUTION_COLOURS["curatorInference"] and not edge["kg"]["direct"]
    (claim,) = edge["kg"]["claims"]
    assert claim["axes"]["attribution"] == "curatorInference" and "no other plant" in claim["note"]


def test_an_edge_drawn_as_a_plain_fact_is_one_the_direct_layer_holds(data: dict[str, Any]) -> None:
    plain = [e for e in data["edges"] if "hidden" not in e and looks_current(e)]
    assert len(plain) > 20
    assert all(e["kg"]["direct"] and e["kg"]["standing"] == "current" for e in plain)
    shown = {e["kg"]["standing"] for e in data["edges"] if "hidden" not in e}
    assert shown.isdisjoint({"unlikely", "negated", "failed", "deprecated"})


def test_the_toggles_name_what_they_reveal_and_start_off(graph: Graph) -> None:
    page = Page(render_graph(graph).decode("utf-8"))
    text = " ".join(" ".join(page.text).split())
    assert "unlikely and negated claims (1)" in text
    assert "plans that did not happen or were cancelled (2)" in text
    assert "deprecated claims (0)" in text
    boxes = {a["data-reveal"]: "checked" in a for t, a in page.elements if t == "input" and "data-reveal" in a}
    assert boxes == {"doubted": False, "failed": False, "deprecated": False}


def test_every_claim_in_the_page_has_its_axes_hedge_source_and_quote(data: dict[str, Any]) -> None:
    claims = [c for e in data["edges"] for c in e["kg"]["claims"]] + [
        f["claim"] for n in data["nodes"] for f in n["kg"].get("facts", [])
    ]
    for claim in claims:
        assert {"attribution", "timing", "likelihood", "polarity", "rank"} <= claim["axes"].keys(), claim
        assert claim["source"] == str(KGSRC["xiaomi-car-project-2024"]) and claim["evidence"] and claim["standing"]
    spy = [c for c in claims if c["statement"] == str(KGS["first-car-sedan-spy-photos"])]
    assert spy[0]["attributed_to"] == "Spy photos of Xiaomi's first car on Weibo"
    assert data["page"]["axis_labels"]["didNotHappen"] == "did not happen"


def test_sources_are_listed_by_their_documents_label(two_sources: Graph) -> None:
    page = Page(render_graph(two_sources).decode("utf-8"))
    sources = page.json("kg-data")["page"]["sources"]  # type: ignore[index]
    assert [(s["label"], s["edges"]) for s in sources] == [
        ("Article on Xiaomi's first electric car, after Cnevpost", 43),
        ("Test wire: Xiaomi's car arrives later", 3),
    ]
    assert len({s["colour"] for s in sources}) == 2
    boxes = [a["data-source"] for t, a in page.elements if t == "input" and "data-source" in a]
    assert boxes == ["0", "1"]  # indexes: an IRI in an attribute would look like a link to the network
    (owns,) = [e for e in page.json("kg-data")["edges"] if e["kg"]["property"] == "owns"]  # type: ignore[index]
    assert owns["kg"]["sources"] == [str(KGSRC["test-wire"]), str(KGSRC["xiaomi-car-project-2024"])]


def test_conflicting_claims_are_flagged_side_by_side(two_sources: Graph) -> None:
    page = Page(render_graph(two_sources, RenderOptions(conflicts=CONFLICTS)).decode("utf-8"))
    data: dict[str, Any] = page.json("kg-data")  # type: ignore[assignment]
    ceo = [e for e in data["edges"] if e["kg"]["property"] == "chief executive officer"]
    assert len(ceo) == 2
    for edge in ceo:  # both claims of the unsettled conflict carry the warning sign and a thick line
        assert edge["label"].startswith(CONFLICT_MARK) and edge["width"] > DEFAULT.width
        assert [data["page"]["conflicts"][i]["settled"] for i in edge["kg"]["conflicts"]] == [False]
    start = node(data, "mass-production-start")  # a settled conflict on a fact: listed, not marked
    assert not start["label"].startswith(CONFLICT_MARK) and start["kg"]["conflicts"]
    (unsettled,) = [c for c in data["page"]["conflicts"] if not c["settled"]]
    sides = {side["claim"]["source_label"]: side["value"] for side in unsettled["claims"]}
    assert sides == {"Test wire: Xiaomi's car arrives later": "A. Test Chief", **{
        "Article on Xiaomi's first electric car, after Cnevpost": "Lei Jun"}}  # fmt: skip
    text = " ".join(" ".join(page.text).split())
    assert "conflicting claims: 1 unsettled, 1 settled" in text


def test_a_conflict_with_a_statement_outside_the_view_names_it(graph: Graph) -> None:
    outside = Conflicting(str(KGS["xiaomi-ceo"]), "https://example.org/elsewhere")
    data: dict[str, Any] = Page(render_graph(graph, RenderOptions(conflicts=[outside])).decode("utf-8")).json("kg-data")  # type: ignore[assignment]
    (conflict,) = data["page"]["conflicts"]
    assert [side["drawn"] for side in conflict["claims"]] == [True, False]
    assert conflict["claims"][1]["statement"] == "https://example.org/elsewhere"
    nothing = Page(render_graph(graph, RenderOptions(conflicts=[Conflicting("urn:a", "urn:b")])).decode("utf-8"))
    assert nothing.json("kg-data")["page"]["conflicts"] == []  # type: ignore[index]


def ranked(graph: Graph, statement: str, rank: str) -> Graph:
    """``graph`` with ``statement`` ranked ``rank`` and its direct layer derived again."""
    changed = Graph() + graph
    for edge in direct_edges(changed):
        changed.remove(edge)
    changed.remove((KGS[statement], KG.rank, None))
    changed.add((KGS[statement], KG.rank, KG[rank]))
    changed.add((KGS[statement], KG.rankReason, Literal("the test says so")))
    derive_direct_edges(changed)
    return changed


def test_a_deprecated_claim_is_hidden_and_an_outranked_one_is_not_drawn_as_current(two_sources: Graph) -> None:
    deprecated = Page(render_graph(ranked(two_sources, "test-wire-ceo", "deprecatedRank")).decode("utf-8"))
    (edge,) = edges_of(deprecated.json("kg-data"), "test-wire-ceo")  # type: ignore[arg-type]
    assert (edge["hidden"], edge["kg"]["hidden_group"], edge["kg"]["direct"]) == (True, "deprecated", False)
    assert edge["label"] == "chief executive officer (deprecated)" and not looks_current(edge)
    assert edge["kg"]["claims"][0]["rank_reason"] == "the test says so"
    assert "deprecated claims (1)" in " ".join(" ".join(deprecated.text).split())
    preferred = Page(render_graph(ranked(two_sources, "test-wire-ceo", "preferredRank")).decode("utf-8"))
    data: dict[str, Any] = preferred.json("kg-data")  # type: ignore[assignment]
    (winner,) = edges_of(data, "test-wire-ceo")
    (outranked,) = edges_of(data, "xiaomi-ceo")
    assert winner["kg"]["direct"] and looks_current(winner)
    assert (outranked["kg"]["standing"], outranked["kg"]["direct"]) == ("outranked", False)
    assert outranked["label"] == "chief executive officer (outranked)" and not looks_current(outranked)
