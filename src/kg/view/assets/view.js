// The kg graph view: reads the JSON the page carries, draws it with vis-network, and wires search, the class
// filter, the toggles that reveal hidden claims (unlikely and negated, failed plans, deprecated), the source
// filter and "colour by source", neighbourhood highlight, hover and pinned details, and PNG export.
// Data from the graph only ever reaches the page as text (textContent), never as markup; the details are
// built by claims.js (window.kgClaims).
(async function () {
  "use strict";

  // A large page carries its nodes and edges deflated (kg.view.page.page_data), inflated here by the browser.
  async function readData() {
    const data = JSON.parse(document.getElementById("kg-data").textContent);
    if (data.packed === undefined) return data;
    const bytes = Uint8Array.fromBase64
      ? Uint8Array.fromBase64(data.packed)
      : Uint8Array.from(atob(data.packed), (c) => c.charCodeAt(0));
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return { ...JSON.parse(await new Response(inflated).text()), page: data.page };
  }

  const data = await readData();
  const options = JSON.parse(document.getElementById("kg-options").textContent);
  const page = data.page;
  const container = document.getElementById("kg-graph");
  const statusLine = document.getElementById("kg-status");
  const details = document.getElementById("kg-details");
  const panel = document.getElementById("kg-panel");
  const tip = document.getElementById("kg-tip");
  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const classLabel = new Map(page.classes.map((c) => [c.name, c.label]));
  const hiddenClasses = new Set();
  const revealed = new Set(); // the hidden groups the reader chose to see
  const shownSources = new Set(page.sources.map((s) => s.iri));
  const sourceColour = new Map(page.sources.map((s) => [s.iri, s.colour]));
  let colourBySource = false;
  // the ids hidden at the moment: at first, what the page hides by default (hidden groups)
  const hiddenNow = {
    nodes: new Set(data.nodes.filter((n) => n.hidden).map((n) => n.id)),
    edges: new Set(data.edges.filter((e) => e.hidden).map((e) => e.id)),
  };
  const DIM_NODE = { background: "#eceef1", border: "#d5d9de" };
  const DIM_EDGE = { color: "#e1e4e8", highlight: "#e1e4e8", hover: "#e1e4e8" };
  const DIM_TEXT = "#b8bec5";

  // vis-network gets only what it draws: it deep-copies every field of every item when the page opens,
  // and the claims behind them (quotes, sources) are read from data.nodes and data.edges instead.
  const drawn = (leftOut) => (item) => Object.fromEntries(Object.entries(item).filter(([key]) => !leftOut.has(key)));
  const nodes = new vis.DataSet(data.nodes.map(drawn(new Set(["kg"]))));
  const edges = new vis.DataSet(data.edges.map(drawn(new Set(page.edge_labels ? ["kg"] : ["kg", "label"]))));
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  const view = { nodes: nodes, edges: edges, ready: false, readyAt: null, firstFrameAt: null, highlighted: null };
  window.network = network; // for tests and for readers who want the console
  window.kgView = view;
  view.data = data; // the page's nodes and edges with their claims, inflated if they came deflated

  // ---- the layout comes with the data (computed once by kg render): the page is ready at its first frame
  function settled() {
    if (view.ready) return;
    view.ready = true;
    view.readyAt = performance.now();
    document.body.dataset.ready = "true";
    showCounts();
  }
  network.once("afterDrawing", () => {
    view.firstFrameAt = performance.now();
    requestAnimationFrame(settled);
  });
  // Where the reader is looking, for tests and benchmarks that must not depend on the renderer's internals.
  view.camera = () => ({ ...network.getViewPosition(), scale: network.getScale() });
  view.drawnNodes = () => network.body.nodeIndices.length;
  // When each of the last frames was drawn, so a benchmark can tell the frame time while the view moves.
  view.frames = [];
  network.on("afterDrawing", () => {
    view.frames.push(performance.now());
    if (view.frames.length > 500) view.frames.splice(0, 250);
  });
  if (data.nodes.length === 0) settled();

  // A white background, so that a saved PNG is not transparent.
  network.on("beforeDrawing", (ctx) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  // Zoomed out on a large page, nodes and edges are drawn in batches (far.js); after the background above.
  if (page.far) {
    view.far = window.kgFar.attach(network, {
      fontSize: options.nodes.font.size,
      drawThreshold: options.nodes.scaling.label.drawThreshold,
      hideEdgesOnDrag: options.interaction.hideEdgesOnDrag,
      hideEdgesOnZoom: options.interaction.hideEdgesOnZoom,
    });
  }

  // ---- building details as DOM text (claims.js)
  const { el, row, badge, claimBlock, conflictBlocks } = window.kgClaims;

  const WIKIDATA = /^https?:\/\/www\.wikidata\.org\/entity\/Q[0-9]+$/;

  function nodeDetails(node, pinned) {
    const box = el("div", "kg-item");
    box.append(el("h3", null, node.label), el("p", "kg-kind", classLabel.get(node.kg.cls) || node.kg.cls));
    const facets = el("dl");
    row(facets, "IRI", node.kg.iri);
    if (node.kg.wikidata) {
      const link = el(pinned && WIKIDATA.test(node.kg.wikidata) ? "a" : "span", null, node.kg.wikidata);
      if (link.tagName === "A") {
        link.href = node.kg.wikidata;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
      }
      facets.append(el("dt", null, "Wikidata"), el("dd"));
      facets.lastChild.append(link);
    }
    row(facets, "claims", network.getConnectedEdges(node.id).length);
    box.append(facets);
    for (const fact of node.kg.facts || []) box.append(claimBlock(fact.claim, fact.label + ": " + fact.value));
    box.append(...conflictBlocks(node.kg.conflicts));
    if (pinned) box.append(connections(node));
    return box;
  }

  // The node's edges in words ("owns → Foton Motor"), each naming its standing.
  function connections(node) {
    const list = el("ul", "kg-links");
    for (const id of network.getConnectedEdges(node.id)) {
      const edge = edgeById.get(id);
      const outgoing = edge.from === node.id;
      const other = nodeById.get(outgoing ? edge.to : edge.from).label;
      const item = el("li", null, outgoing ? edge.label + " \u2192 " + other : other + " \u2192 " + edge.label);
      item.append(" ", badge(edge.kg.standing));
      list.append(item);
    }
    return list;
  }

  function edgeDetails(edge) {
    const box = el("div", "kg-item");
    const from = nodeById.get(edge.from).label;
    const to = nodeById.get(edge.to).label;
    box.append(el("h3", null, edge.label), el("p", "kg-kind", from + " \u2192 " + to));
    const head = el("p");
    head.append(badge(edge.kg.standing));
    if (!edge.kg.direct) head.append(" ", el("span", null, "claimed only in statements, no direct edge"));
    box.append(head);
    box.append(...conflictBlocks(edge.kg.conflicts));
    if (!edge.kg.claims.length) box.append(el("p", null, "No statement supports this edge."));
    for (const claim of edge.kg.claims) box.append(claimBlock(claim));
    box.append(el("p", "kg-iri", "property: " + edge.kg.predicate));
    return box;
  }

  // ---- hover tooltip and pinned details
  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    const area = container.getBoundingClientRect();
    const x = area.left + pointer.x + 16;
    const y = area.top + pointer.y + 16;
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    tip.style.left = Math.max(4, x + width > window.innerWidth ? x - width - 32 : x) + "px";
    tip.style.top = Math.max(4, y + height > window.innerHeight ? y - height - 32 : y) + "px";
  }
  function hideTip() {
    tip.hidden = true;
    tip.replaceChildren();
  }
  network.on("hoverNode", (p) => showTip(nodeDetails(nodeById.get(p.node), false), p.pointer.DOM));
  network.on("hoverEdge", (p) => showTip(edgeDetails(edgeById.get(p.edge)), p.pointer.DOM));
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  container.addEventListener("mouseleave", hideTip);

  function pin(content) {
    hideTip();
    details.replaceChildren(content);
    panel.hidden = false;
  }
  function unpin() {
    panel.hidden = true;
    details.replaceChildren();
  }

  // ---- neighbourhood highlight
  // Dimming restyles every node and edge; above DIM_LIMIT that takes long enough to be felt, so there the
  // selection (the node and its claims drawn bold) is the highlight.
  const DIM_LIMIT = 3000;
  function highlight(id) {
    view.highlighted = id;
    if (data.nodes.length > DIM_LIMIT) return;
    const near = new Set(network.getConnectedNodes(id).concat([id]));
    const touching = new Set(network.getConnectedEdges(id));
    nodes.update(data.nodes.map((n) => nodeLook(n, near.has(n.id))));
    edges.update(data.edges.map((e) => edgeLook(e, touching.has(e.id))));
  }
  function unhighlight() {
    if (view.highlighted === null) return;
    view.highlighted = null;
    if (data.nodes.length > DIM_LIMIT) return;
    nodes.update(data.nodes.map((n) => nodeLook(n, true)));
    edges.update(data.edges.map((e) => edgeLook(e, true)));
  }
  function nodeLook(node, bright) {
    const colour = bright ? options.groups[node.group].color : { ...DIM_NODE, highlight: DIM_NODE, hover: DIM_NODE };
    return { id: node.id, color: colour, font: { color: bright ? options.nodes.font.color : DIM_TEXT } };
  }
  function edgeLook(edge, bright) {
    return {
      id: edge.id,
      color: bright ? edgeColour(edge) : DIM_EDGE,
      font: { color: bright ? (edge.font || options.edges.font).color : DIM_TEXT },
    };
  }

  function selectNode(id) {
    network.selectNodes([id]);
    highlight(id);
    pin(nodeDetails(nodeById.get(id), true));
  }
  function clearSelection() {
    network.unselectAll();
    unhighlight();
    unpin();
  }

  network.on("click", (p) => {
    if (p.nodes.length) {
      selectNode(p.nodes[0]);
    } else if (p.edges.length) {
      unhighlight();
      pin(edgeDetails(edgeById.get(p.edges[0])));
    } else {
      clearSelection();
    }
  });

  // ---- search by label
  const searchForm = document.getElementById("kg-search");
  const searchInput = document.getElementById("kg-search-input");
  const results = document.getElementById("kg-search-results");
  const MAX_RESULTS = 30;

  function findNodes(text) {
    const wanted = text.trim().toLocaleLowerCase();
    if (!wanted) return [];
    const rank = (n) => {
      const label = n.label.toLocaleLowerCase();
      return label === wanted ? 0 : label.startsWith(wanted) ? 1 : 2;
    };
    return data.nodes
      .filter((n) => n.label.toLocaleLowerCase().includes(wanted))
      .sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  }

  function goTo(id) {
    const node = nodeById.get(id);
    if (hiddenClasses.has(node.group)) {
      hiddenClasses.delete(node.group);
      document.querySelector('input[data-class="' + CSS.escape(node.group) + '"]').checked = true;
    }
    for (const group of groupsHiding(node)) {
      revealed.add(group);
      document.querySelector('input[data-reveal="' + CSS.escape(group) + '"]').checked = true;
    }
    if (hiddenNow.nodes.has(id)) applyFilters();
    selectNode(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300 } });
  }

  function showResults(found) {
    results.replaceChildren();
    for (const node of found.slice(0, MAX_RESULTS)) {
      const button = el("button", null, node.label);
      button.type = "button";
      button.title = classLabel.get(node.group) || node.group;
      button.addEventListener("click", () => goTo(node.id));
      const item = el("li");
      item.append(button);
      results.append(item);
    }
    if (searchInput.value.trim() && !found.length) results.append(el("li", "kg-empty", "No entity has that label."));
    if (found.length > MAX_RESULTS) results.append(el("li", "kg-empty", found.length - MAX_RESULTS + " more…"));
  }

  searchInput.addEventListener("input", () => showResults(findNodes(searchInput.value)));
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const found = findNodes(searchInput.value);
    showResults(found);
    if (found.length) goTo(found[0].id);
  });

  // ---- filters: by class, the hidden groups, by source
  // Only the items whose visibility changes are updated: at 20,000 nodes, updating all of them is slow.
  function setHidden(set, items, shouldHide, current) {
    const changes = [];
    for (const item of items) {
      const hide = shouldHide(item);
      if (hide !== current.has(item.id)) {
        changes.push({ id: item.id, hidden: hide });
        if (hide) current.add(item.id);
        else current.delete(item.id);
      }
    }
    if (changes.length) set.update(changes);
  }
  // The groups that hide a node: all of its claims are hidden by default, and none of their groups is revealed.
  function groupsHiding(node) {
    const groups = node.kg.hidden_groups || [];
    return groups.some((g) => revealed.has(g)) ? [] : groups;
  }
  const allSources = () => shownSources.size === page.sources.length;
  function edgeHidden(e) {
    if (e.kg.hidden_group && !revealed.has(e.kg.hidden_group)) return true;
    if (!allSources() && !(e.kg.sources || []).some((s) => shownSources.has(s))) return true;
    return hiddenNow.nodes.has(e.from) || hiddenNow.nodes.has(e.to);
  }
  function applyFilters() {
    const nodeHidden = (n) => hiddenClasses.has(n.group) || groupsHiding(n).length > 0;
    setHidden(nodes, data.nodes, nodeHidden, hiddenNow.nodes);
    setHidden(edges, data.edges, edgeHidden, hiddenNow.edges);
    showCounts();
  }
  function toggle(set, key, shown) {
    if (shown) set.delete(key);
    else set.add(key);
    applyFilters();
  }
  for (const box of document.querySelectorAll("input[data-class]")) {
    box.addEventListener("change", () => toggle(hiddenClasses, box.dataset.class, box.checked));
  }
  for (const box of document.querySelectorAll("input[data-reveal]")) {
    box.addEventListener("change", () => toggle(revealed, box.dataset.reveal, !box.checked));
  }
  for (const box of document.querySelectorAll("input[data-source]")) {
    const iri = page.sources[Number(box.dataset.source)].iri;
    box.addEventListener("change", () => toggle(shownSources, iri, !box.checked));
  }

  // ---- colour by source: an edge takes its source's colour, or one colour for several sources
  function edgeColour(e) {
    if (!colourBySource) return e.color || options.edges.color;
    const sources = e.kg.sources || [];
    const colour = sources.length === 1 ? sourceColour.get(sources[0]) : page.several_sources;
    return { color: colour, highlight: colour, hover: colour };
  }
  document.getElementById("kg-colour-by-source").addEventListener("change", (event) => {
    colourBySource = event.target.checked;
    document.body.classList.toggle("kg-by-source", colourBySource);
    edges.update(data.edges.map((e) => ({ id: e.id, color: edgeColour(e) })));
  });

  function showCounts() {
    const shownNodes = data.nodes.length - hiddenNow.nodes.size;
    const shownEdges = data.edges.length - hiddenNow.edges.size;
    document.getElementById("kg-node-count").textContent =
      shownNodes === data.nodes.length ? String(shownNodes) : shownNodes + " of " + data.nodes.length;
    document.getElementById("kg-edge-count").textContent =
      shownEdges === data.edges.length ? String(shownEdges) : shownEdges + " of " + data.edges.length;
    if (view.ready) {
      statusLine.textContent =
        "Hover over an entity or a claim to see its sources; click to pin the details and highlight its neighbours.";
    }
  }

  // ---- buttons
  function pngDataUrl() {
    return container.querySelector("canvas").toDataURL("image/png");
  }
  view.pngDataUrl = pngDataUrl;
  document.getElementById("kg-png").addEventListener("click", () => {
    const link = document.createElement("a");
    link.download = (document.title || "graph").replace(/[^\w.-]+/g, "-") + ".png";
    link.href = pngDataUrl();
    document.body.append(link);
    link.click();
    link.remove();
  });
  document.getElementById("kg-fit").addEventListener("click", () => network.fit({ animation: { duration: 300 } }));
  document.getElementById("kg-clear").addEventListener("click", clearSelection);
  document.getElementById("kg-panel-close").addEventListener("click", clearSelection);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clearSelection();
  });
})();
