// Parse an RDF file with N3.js, an engine independent of rdflib, and report what it read.
//
//   node tests/js/parse-check.mjs FILE FORMAT      FORMAT: Turtle, N-Triples, N-Quads or TriG
//
// Prints {"quads": N, "graphs": [names...]} on success (the default graph is ""). On a syntax error
// prints the parser's message on stderr and exits 1. The parser is strict for the format named, so a
// Turtle-only construct in an N-Triples file is an error too.
import { readFileSync } from "node:fs";
import N3 from "n3";

const FORMATS = new Set(["Turtle", "N-Triples", "N-Quads", "TriG"]);
const [file, format] = process.argv.slice(2);
if (!file || !FORMATS.has(format)) {
  console.error(`usage: node parse-check.mjs FILE ${[...FORMATS].join("|")}`);
  process.exit(2);
}

const parser = new N3.Parser({ format });
try {
  const quads = parser.parse(readFileSync(file, "utf8"));
  const graphs = [...new Set(quads.map((q) => q.graph.value))].sort();
  console.log(JSON.stringify({ quads: quads.length, graphs }));
} catch (error) {
  console.error(`${file}: ${error.message}`);
  process.exit(1);
}
