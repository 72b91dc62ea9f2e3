// The kg graph view's details as DOM text: a claim with every axis, its hedge, quote and source; a conflict
// with both claims side by side. Loaded before view.js, which uses window.kgClaims. Data from the graph only
// ever reaches the page as text (textContent), never as markup.
(function () {
  "use strict";

  const page = JSON.parse(document.getElementById("kg-data").textContent).page;
  const axisLabels = page.axis_labels;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function row(list, term, value) {
    list.append(el("dt", null, term), el("dd", null, value));
  }

  // A word for how the edge or claim stands ("current", "possible", "unlikely" …), as a coloured badge.
  function badge(standing) {
    return el("span", "kg-badge kg-" + String(standing).replace(/[^a-z]/g, ""), standing);
  }

  function axis(value) {
    return value ? axisLabels[value] || value : "not given";
  }

  // Every axis of a claim in words; outcome only where the statement gives one (plans and events).
  function axisRows(list, claim) {
    const axes = claim.axes || {};
    let who = axis(axes.attribution);
    if (claim.attributed_to) who += ": " + claim.attributed_to;
    row(list, "attribution", who);
    row(list, "timing", axis(axes.timing));
    if (axes.outcome) row(list, "outcome", axis(axes.outcome));
    row(list, "likelihood", axis(axes.likelihood));
    row(list, "polarity", axis(axes.polarity));
    row(list, "rank", axis(axes.rank) + (claim.rank_reason ? ": " + claim.rank_reason : ""));
    if (claim.hedge) row(list, "hedge", "\u201c" + claim.hedge + "\u201d");
    row(list, "direct layer", claim.direct ? "gives the direct edge" : "statement only, no direct edge");
  }

  function claimBlock(claim, heading) {
    const box = el("div", "kg-claim");
    const head = el("p");
    if (heading) head.append(el("strong", null, heading), " ");
    head.append(badge(claim.standing));
    box.append(head);
    const facets = el("dl");
    axisRows(facets, claim);
    for (const [name, value] of claim.qualifiers || []) row(facets, name, value);
    if (claim.note) row(facets, "curator's note", claim.note);
    box.append(facets);
    if (claim.evidence) box.append(el("blockquote", null, "\u201c" + claim.evidence + "\u201d"));
    if (claim.source) box.append(el("p", "kg-source", "source: " + (claim.source_label || claim.source)));
    box.append(el("p", "kg-statement", "statement: " + claim.statement));
    return box;
  }

  // One conflict: both claims side by side, each with its value and source.
  function conflictBlock(conflict) {
    const box = el("div", "kg-conflict" + (conflict.settled ? " kg-settled" : ""));
    box.append(
      el("p", "kg-conflict-head", conflict.settled ? "Settled conflict (a curator ranked one claim)" : "\u26a0 Conflicting claims"),
    );
    const sides = el("div", "kg-sides");
    for (const side of conflict.claims) {
      const cell = el("div", "kg-side");
      if (!side.drawn) {
        cell.append(el("p", null, "not in this view"), el("p", "kg-statement", "statement: " + side.statement));
      } else {
        cell.append(el("p", null, side.subject + " \u2192 " + side.predicate + ": " + side.value));
        cell.append(claimBlock(side.claim));
      }
      sides.append(cell);
    }
    box.append(sides);
    return box;
  }

  function conflictBlocks(indexes) {
    return (indexes || []).map((i) => conflictBlock(page.conflicts[i]));
  }

  window.kgClaims = { el: el, row: row, badge: badge, claimBlock: claimBlock, conflictBlocks: conflictBlocks };
})();
