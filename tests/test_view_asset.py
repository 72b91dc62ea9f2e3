"""The view inlines vis-network from the installed pyvis package: if pyvis moves it, say so plainly."""

from __future__ import annotations

from importlib.metadata import version

from kg.view.page import VIS_JS, pyvis_folder


def test_the_vis_network_asset_is_where_the_pinned_pyvis_keeps_it() -> None:
    asset = pyvis_folder() / VIS_JS
    assert asset.is_file(), (
        f"pyvis {version('pyvis')} has no {VIS_JS}: the vis-network asset moved; "
        "update kg.view.page.VIS_JS and the pyvis range in pyproject.toml"
    )
    text = asset.read_text(encoding="utf-8")
    assert "vis-network" in text[:2000] and len(text) > 100_000
