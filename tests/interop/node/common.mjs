// Shared by the interop scripts: the JSON exchange with Python, a document loader that serves only
// the contexts Python passes in (jitsuin's bundle) and did:key, and error flattening.

import fs from 'node:fs';

import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

export const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
didKey.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});

/** The input JSON (argv[2]) and a function that prints the answer as one JSON object. */
export function exchange() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  return {input, answer: output => process.stdout.write(JSON.stringify(output))};
}

/** A jsonld document loader: the given contexts and did:key documents, nothing from the network. */
export function makeDocumentLoader(contexts) {
  const known = new Map(Object.entries(contexts));
  return async function documentLoader(url) {
    if(known.has(url)) {
      return {contextUrl: null, documentUrl: url, document: structuredClone(known.get(url))};
    }
    if(url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
    }
    throw new Error(`document loader: ${url} is not allowed (not a bundled context, not did:key)`);
  };
}

/** A key pair of the named type ("Ed25519" | "P-256") with id/controller set to its did:key. */
export async function generateDidKey(keyType) {
  const keyPair = keyType === 'P-256' ?
    await EcdsaMultikey.generate({curve: 'P-256'}) : await Ed25519Multikey.generate();
  const {didDocument} = await didKey.fromKeyPair({verificationKeyPair: keyPair});
  keyPair.id = didDocument.assertionMethod[0];
  keyPair.controller = didDocument.id;
  return keyPair;
}

/** Every message in a (nested) verification error, as "Name: message" strings. */
export function errorMessages(...errors) {
  const out = [];
  const walk = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error)) {
      error.forEach(walk);
      return;
    }
    if(Array.isArray(error.errors) && error.errors.length > 0) {
      walk(error.errors);
      return;
    }
    out.push(`${error.name ?? 'Error'}: ${error.message ?? String(error)}`);
  };
  errors.forEach(walk);
  return [...new Set(out)];
}

/** The installed versions of ``names`` (read from node_modules: some packages do not export package.json). */
export function versions(names) {
  const out = {node: process.version};
  for(const name of names) {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    out[name] = JSON.parse(fs.readFileSync(url, 'utf8')).version;
  }
  return out;
}
