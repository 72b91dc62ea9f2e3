// The kg graph view's drawing at a distance, for large pages: vis-network draws each node and each edge on
// its own (a path, a fill, a stroke, saved and restored state, and every edge whether on screen or not),
// which at 10,000 entities is most of a second a frame. Here, while the view is zoomed out so far that no
// label is legible, nodes of one look are drawn as one path and edges of one look as one stroke, and only
// what is on screen; vis-network then draws only what is selected or under the mouse, on top. Zoomed in,
// vis-network draws as usual, but only the edges that cross the screen. Inlined just before view.js, which
// calls window.kgFar.attach(network, settings) on a page of more than kg.view.vis_data.FAR entities.
(function () {
  "use strict";

  // The outline of each of vis-network's shapes that the view uses, about the size vis-network gives it.
  const SHAPES = {
    dot: (ctx, x, y, r) => {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    },
    square: (ctx, x, y, r) => ctx.rect(x - r, y - r, 2 * r, 2 * r),
    diamond: (ctx, x, y, r) => polygon(ctx, x, y, r, [[0, -1], [1, 0], [0, 1], [-1, 0]]),
    triangle: (ctx, x, y, r) => polygon(ctx, x, y, r, [[0, -1.15], [1, 0.58], [-1, 0.58]]),
    triangleDown: (ctx, x, y, r) => polygon(ctx, x, y, r, [[0, 1.15], [1, -0.58], [-1, -0.58]]),
    hexagon: (ctx, x, y, r) => polygon(ctx, x, y, r, corners(6, 0, 1, 1)),
    star: (ctx, x, y, r) => polygon(ctx, x, y, r, corners(10, -Math.PI / 2, 1.2, 0.5)),
  };

  function corners(count, start, outer, inner) {
    const points = [];
    for (let i = 0; i < count; i++) {
      const angle = start + (i * 2 * Math.PI) / count;
      const radius = i % 2 ? inner : outer;
      points.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
    }
    return points;
  }

  function polygon(ctx, x, y, r, points) {
    ctx.moveTo(x + r * points[0][0], y + r * points[0][1]);
    for (let i = 1; i < points.length; i++) ctx.lineTo(x + r * points[i][0], y + r * points[i][1]);
    ctx.closePath();
  }

  const TINY = 2.5; // on-screen radius, in pixels, below which a node is drawn as a square

  // Items of one look, drawn together: a Map from the look's key to [look, items].
  function bucket(buckets, key, look, item) {
    const found = buckets.get(key);
    if (found) found[1].push(item);
    else buckets.set(key, [look, [item]]);
  }

  function attach(network, settings) {
    const body = network.body;
    // far: whether the last frame was drawn in batches; batched: what it drew so; handed: what it left to
    // vis-network (selected, hovered, and zoomed in, the edges on screen). For tests and benchmarks.
    const state = { far: false, dragging: false, zooming: false, swapped: null, batched: { nodes: 0, edges: 0 }, handed: null };
    const fontSize = settings.fontSize;
    const threshold = settings.drawThreshold;

    // The part of the canvas on screen, in the graph's coordinates, with a margin.
    function viewArea(scale) {
      const canvas = body.container.querySelector("canvas");
      const margin = 20 / scale;
      const topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
      const bottomRight = network.DOMtoCanvas({ x: canvas.clientWidth, y: canvas.clientHeight });
      return { left: topLeft.x - margin, top: topLeft.y - margin, right: bottomRight.x + margin, bottom: bottomRight.y + margin };
    }

    function onScreen(area, x1, y1, x2, y2) {
      return Math.max(x1, x2) >= area.left && Math.min(x1, x2) <= area.right && Math.max(y1, y2) >= area.top && Math.min(y1, y2) <= area.bottom;
    }

    // The edges that cross the screen: with ``buckets``, those vis-network need not draw go there, by look, and
    // the rest are returned for it; without, all of them are returned.
    function edgesFor(area, scale, buckets) {
      const kept = [];
      for (const id of body.edgeIndices) {
        const edge = body.edges[id];
        if (!edge.connected || !onScreen(area, edge.from.x, edge.from.y, edge.to.x, edge.to.y)) continue;
        if (!buckets || edge.selected || edge.hover) {
          kept.push(id);
          continue;
        }
        const o = edge.options;
        const width = Math.max(o.width, 0.3 / scale);
        const dashes = Array.isArray(o.dashes) ? o.dashes : o.dashes ? [5, 5] : null;
        const colour = o.color.color;
        bucket(buckets, colour + "|" + width + "|" + dashes, { colour, width, dashes }, edge);
      }
      return kept;
    }

    function nodesFor(area, scale, buckets) {
      const kept = [];
      for (const id of body.nodeIndices) {
        const node = body.nodes[id];
        if (node.selected || node.hover) {
          kept.push(id);
          continue;
        }
        const r = node.options.size;
        if (node.x + r < area.left || node.x - r > area.right || node.y + r < area.top || node.y - r > area.bottom) continue;
        const o = node.options;
        const border = Math.min(2 * r, o.borderWidth / scale);
        const key = o.color.background + "|" + o.color.border + "|" + o.shape + "|" + border;
        bucket(buckets, key, { fill: o.color.background, stroke: o.color.border, shape: o.shape, border }, node);
      }
      return kept;
    }

    function drawEdges(ctx, buckets) {
      for (const [look, items] of buckets.values()) {
        ctx.beginPath();
        for (const edge of items) {
          ctx.moveTo(edge.from.x, edge.from.y);
          ctx.lineTo(edge.to.x, edge.to.y);
        }
        ctx.strokeStyle = look.colour;
        ctx.lineWidth = look.width;
        ctx.setLineDash(look.dashes || []);
        ctx.stroke();
        state.batched.edges += items.length;
      }
      ctx.setLineDash([]);
    }

    // A node a few pixels across is a square of its colour: a filled rectangle costs a fraction of a path,
    // and at that size the shape cannot be told anyway.
    function drawNodes(ctx, buckets, scale) {
      const tiny = TINY / scale;
      for (const [look, items] of buckets.values()) {
        const outline = SHAPES[look.shape] || SHAPES.dot;
        ctx.fillStyle = look.fill;
        ctx.beginPath();
        let outlined = 0;
        for (const node of items) {
          const r = node.options.size;
          if (r < tiny) {
            const side = 2 * r + look.border;
            ctx.fillRect(node.x - side / 2, node.y - side / 2, side, side);
          } else {
            outline(ctx, node.x, node.y, r);
            outlined++;
          }
        }
        if (outlined) {
          ctx.fill();
          ctx.strokeStyle = look.stroke;
          ctx.lineWidth = look.border;
          ctx.stroke();
        }
        state.batched.nodes += items.length;
      }
    }

    // Runs after the page's own beforeDrawing (the white background), before vis-network draws.
    function before(ctx) {
      restore(); // a draw that threw before afterDrawing must not leave the indexes swapped
      const scale = network.getScale();
      const area = viewArea(scale);
      state.far = scale * fontSize < threshold;
      state.batched = { nodes: 0, edges: 0 };
      const full = { nodes: body.nodeIndices, edges: body.edgeIndices };
      if (!state.far) {
        body.edgeIndices = edgesFor(area, scale, null);
      } else {
        const edgeBuckets = new Map();
        const nodeBuckets = new Map();
        const moving = (state.dragging && settings.hideEdgesOnDrag) || (state.zooming && settings.hideEdgesOnZoom);
        const edges = moving ? [] : edgesFor(area, scale, edgeBuckets);
        const nodes = nodesFor(area, scale, nodeBuckets);
        ctx.save();
        drawEdges(ctx, edgeBuckets);
        drawNodes(ctx, nodeBuckets, scale);
        ctx.restore();
        body.edgeIndices = edges;
        body.nodeIndices = nodes;
      }
      state.swapped = full;
      state.handed = { nodes: body.nodeIndices.length, edges: body.edgeIndices.length };
    }

    function restore() {
      if (!state.swapped) return;
      body.nodeIndices = state.swapped.nodes;
      body.edgeIndices = state.swapped.edges;
      state.swapped = null;
    }

    network.on("beforeDrawing", before);
    network.on("afterDrawing", restore);
    network.on("dragStart", () => (state.dragging = true));
    network.on("dragEnd", () => (state.dragging = false));
    // Like vis-network, the edges come back a quarter of a second after the last turn of the wheel.
    let zoomEnd = null;
    network.on("zoom", () => {
      state.zooming = true;
      clearTimeout(zoomEnd);
      zoomEnd = setTimeout(() => {
        state.zooming = false;
        network.redraw();
      }, 250);
    });
    return state;
  }

  window.kgFar = { attach: attach };
})();
