// Times Digital Bazaar's VC stack (vc.issue / vc.verifyCredential with the eddsa-rdfc-2022 and
// ecdsa-rdfc-2019 cryptosuites, and jsonld.canonize alone) on the credential bench_rdfc.py uses.
//
// Run by bench/bench_rdfc.py from .bench-cache/node (where npm installed package.json's packages):
//   node bench.mjs CONFIG.json
// CONFIG: {"credential": {...}, "contexts": {url: document}, "seconds": 2}
// Prints one JSON object: {"eddsa-rdfc-2022": {"issue": ops/s, "verify": ops/s}, "ecdsa-rdfc-2019": ...,
// "canonize": ops/s, "versions": {...}}. The document loader serves only the given contexts and did:key.

import fs from 'node:fs';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {cryptosuite as ecdsaRdfc2019CryptoSuite} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsonld from 'jsonld';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const seconds = config.seconds ?? 2;

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
didKey.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});

const contexts = new Map(Object.entries(config.contexts));

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
  }
  throw new Error(`document loader: ${url} is not allowed`);
}

async function rate(fn) {
  for(let i = 0; i < 20; ++i) {
    await fn();  // warm up (JIT, caches)
  }
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while(now < end) {
    await fn();
    ++count;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}

async function suiteRates(keyPair, cryptosuite) {
  const {didDocument} = await didKey.fromKeyPair({verificationKeyPair: keyPair});
  keyPair.id = didDocument.assertionMethod[0];
  keyPair.controller = didDocument.id;
  // vc.issue adds the proof to the object it is given: give it a fresh copy each time
  const unsigned = () => ({...structuredClone(config.credential), issuer: didDocument.id});
  const signingSuite = () => new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
  const signed = await vc.issue({credential: unsigned(), suite: signingSuite(), documentLoader});
  if(Array.isArray(signed.proof)) {
    throw new Error('expected exactly one proof');
  }
  const check = await vc.verifyCredential({
    credential: signed, suite: new DataIntegrityProof({cryptosuite}), documentLoader
  });
  if(!check.verified) {
    throw new Error(`the signed credential did not verify: ${JSON.stringify(check.error ?? check)}`);
  }
  return {
    issue: await rate(() => vc.issue({credential: unsigned(), suite: signingSuite(), documentLoader})),
    verify: await rate(async () => {
      const result = await vc.verifyCredential({
        credential: signed, suite: new DataIntegrityProof({cryptosuite}), documentLoader
      });
      if(!result.verified) {
        throw new Error('verification failed');
      }
    })
  };
}

const versions = {};
for(const name of ['@digitalbazaar/vc', '@digitalbazaar/data-integrity',
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite', '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite',
  'jsonld', 'rdf-canonize']) {
  // read the installed package.json directly (some packages do not export it)
  const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  versions[name] = JSON.parse(fs.readFileSync(url, 'utf8')).version;
}

const result = {node: process.version, versions};
result.canonize = await rate(() => jsonld.canonize(config.credential, {
  algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true
}));
result['eddsa-rdfc-2022'] = await suiteRates(await Ed25519Multikey.generate(), eddsaRdfc2022CryptoSuite);
result['ecdsa-rdfc-2019'] = await suiteRates(
  await EcdsaMultikey.generate({curve: 'P-256'}), ecdsaRdfc2019CryptoSuite);
console.log(JSON.stringify(result));
