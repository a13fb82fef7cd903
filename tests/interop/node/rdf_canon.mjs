// RDFC-1.0 with Digital Bazaar's rdf-canonize and its defaults (maxWorkFactor 1), as jsonld.js and vc-js use it
// (tests/interop/test_rdf_canon.py): which datasets it canonicalizes, and to what.
//
//   node rdf_canon.mjs INPUT.json
// INPUT: {"cases": [{"id", "nquads", "hash"}]}, hash "sha256" or "sha384".
// Prints {"versions": {...}, "results": {id: {"nquads": canonical} | {"error": message}}}.

import canonize from 'rdf-canonize';

import {exchange, versions} from './common.mjs';

const {input, answer} = exchange();
const results = {};
for(const {id, nquads, hash} of input.cases) {
  try {
    results[id] = {nquads: await canonize.canonize(nquads, {
      algorithm: 'RDFC-1.0',
      inputFormat: 'application/n-quads',
      format: 'application/n-quads',
      messageDigestAlgorithm: hash.toUpperCase()
    })};
  } catch(error) {
    results[id] = {error: `${error.name}: ${error.message}`};
  }
}
answer({versions: versions(['rdf-canonize']), results});
