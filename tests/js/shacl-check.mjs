// Validate RDF files against SHACL shapes with shacl-engine, an engine independent of pySHACL, and print
// the top-level results of its W3C validation report as JSON, one object per result.
//
// Usage: node shacl-check.mjs SHAPES.ttl [MORE.ttl ...] -- DATA.ttl [DATA.ttl ...] [--- DATA.ttl ...]...
//
// Each group of data files between `---` separators is one data graph, validated on its own against the same
// shapes (one process for many cases: starting node and loading the engine cost most of a small case).
//
// shacl-engine 1.1 follows rdfs:subClassOf in the shapes graph only (SHACL says: the data graph), so pass
// the ontology among the shapes files as well as among the data files.
// Output, one line per data graph: {"conforms": bool, "results": [{"focusNode": term, "sourceShape": term,
//          "sourceConstraintComponent": iri, "resultSeverity": iri, "resultPath": term | null}]}
// where a term is {"termType", "value", "datatype"?, "language"?}.

import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { DataFactory, Parser, Store } from 'n3'
import { Validator } from 'shacl-engine'

const SH = 'http://www.w3.org/ns/shacl#'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'

// shacl-engine builds its report with factory.dataset(); an N3 store serves.
const factory = { ...DataFactory, dataset: quads => new Store(quads || []) }

function load (paths) {
  const store = new Store()
  for (const path of paths) {
    const parser = new Parser({ baseIRI: pathToFileURL(path).href })
    store.addQuads(parser.parse(readFileSync(path, 'utf8')))
  }
  return store
}

function term (node) {
  if (!node) return null
  const out = { termType: node.termType, value: node.value }
  if (node.termType === 'Literal') {
    out.datatype = node.datatype.value
    if (node.language) out.language = node.language
  }
  return out
}

function one (store, subject, predicate) {
  const [quad] = store.getQuads(subject, DataFactory.namedNode(predicate), null, null)
  return quad ? quad.object : null
}

async function validateOne (shapes, dataPaths) {
  const validator = new Validator(shapes, { factory })
  const report = await validator.validate({ dataset: load(dataPaths) })
  const graph = report.dataset
  const reportNode = graph.getSubjects(DataFactory.namedNode(RDF_TYPE), DataFactory.namedNode(SH + 'ValidationReport'), null)[0]
  const results = graph.getObjects(reportNode, DataFactory.namedNode(SH + 'result'), null).map(node => ({
    focusNode: term(one(graph, node, SH + 'focusNode')),
    sourceShape: term(one(graph, node, SH + 'sourceShape')),
    sourceConstraintComponent: one(graph, node, SH + 'sourceConstraintComponent').value,
    resultSeverity: one(graph, node, SH + 'resultSeverity').value,
    resultPath: term(one(graph, node, SH + 'resultPath'))
  }))
  return { conforms: report.conforms, results }
}

async function main () {
  const args = process.argv.slice(2)
  const split = args.indexOf('--')
  const shapesPaths = args.slice(0, split)
  const groups = [[]]
  for (const arg of args.slice(split + 1)) {
    if (arg === '---') groups.push([])
    else groups[groups.length - 1].push(arg)
  }
  if (split < 1 || groups.some(group => group.length === 0)) {
    console.error('usage: node shacl-check.mjs SHAPES... -- DATA... [--- DATA...]...')
    process.exit(2)
  }
  const shapes = load(shapesPaths)
  for (const group of groups) {
    process.stdout.write(JSON.stringify(await validateOne(shapes, group)) + '\n')
  }
}

main().catch(error => {
  console.error(error.stack || String(error))
  process.exit(1)
})
