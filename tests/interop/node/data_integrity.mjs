// Data Integrity interop with Digital Bazaar's stack, in one run (tests/interop/test_data_integrity.py):
// verify what jitsuin signed with vc.verifyCredential, and sign credentials for jitsuin to verify.
//
//   node data_integrity.mjs INPUT.json
// INPUT: {"now": ISO date-time, "contexts": {url: document},
//         "verify": [{"id", "credential"}], "sign": [{"id", "suite", "credential"}],
//         "verifyPresentations": [{"id", "presentation", "challenge", "domain"}],
//         "signPresentations": [{"id", "suite", "credentialId", "challenge", "domain"}]}
// Prints {"versions": {...}, "verified": {id: {"verified": bool, "errors": [...]}},
//         "signed": {id: credential | {"error": message}}, "presentations": {id: presentation | {"error"}}}.
// Each signed credential gets a fresh did:key of the suite's key type as its issuer (an issuer object
// keeps its other members); a signed presentation holds the credential this run signed as credentialId,
// with a fresh did:key holder.

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {createSignCryptosuite, createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

import {errorMessages, exchange, generateDidKey, makeDocumentLoader, versions} from './common.mjs';

// suite name -> key type, a signing suite for a key, and a verifying suite
const SUITES = {
  'eddsa-rdfc-2022': {
    keyType: 'Ed25519',
    signing: (key, date) => new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022, date}),
    verifying: () => new DataIntegrityProof({cryptosuite: eddsaRdfc2022})
  },
  'eddsa-jcs-2022': {
    keyType: 'Ed25519',
    signing: (key, date) => new DataIntegrityProof(
      {signer: key.signer(), cryptosuite: createSignCryptosuite(), date}),
    verifying: () => new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()})
  },
  'ecdsa-rdfc-2019': {
    keyType: 'P-256',
    signing: (key, date) => new DataIntegrityProof({signer: key.signer(), cryptosuite: ecdsaRdfc2019, date}),
    verifying: () => new DataIntegrityProof({cryptosuite: ecdsaRdfc2019})
  },
  Ed25519Signature2020: {
    keyType: 'Ed25519',
    signing: (key, date) => new Ed25519Signature2020({signer: key.signer(), date}),
    verifying: () => new Ed25519Signature2020()
  }
};

const {input, answer} = exchange();
const documentLoader = makeDocumentLoader(input.contexts);
const now = new Date(input.now);

const verified = {};
for(const {id, credential} of input.verify) {
  // every suite is offered, as a verifier that does not know what it will receive would
  const suite = Object.values(SUITES).map(s => s.verifying());
  const result = await vc.verifyCredential({credential, suite, documentLoader, now});
  const results = result.results ?? [];
  verified[id] = {
    verified: result.verified === true,
    errors: errorMessages(result.error, ...results.map(r => r.error))
  };
}

const signed = {};
for(const {id, suite, credential} of input.sign) {
  try {
    const key = await generateDidKey(SUITES[suite].keyType);
    const issuer = typeof credential.issuer === 'object' ?
      {...credential.issuer, id: key.controller} : key.controller;
    signed[id] = await vc.issue({
      credential: {...credential, issuer},
      suite: SUITES[suite].signing(key, now),
      documentLoader,
      now
    });
  } catch(error) {
    signed[id] = {error: `${error.name}: ${error.message}`};
  }
}

for(const {id, presentation, challenge, domain} of input.verifyPresentations) {
  const suite = Object.values(SUITES).map(s => s.verifying());
  try {
    const result = await vc.verify({presentation, suite, challenge, domain, documentLoader, now});
    verified[id] = {
      verified: result.verified === true,
      errors: errorMessages(result.error, ...(result.credentialResults ?? []).map(r => r.error))
    };
  } catch(error) {  // vc.verify lets some errors through as a rejected promise
    verified[id] = {verified: false, errors: errorMessages(error)};
  }
}

const presentations = {};
for(const {id, suite, credentialId, challenge, domain} of input.signPresentations) {
  try {
    const key = await generateDidKey(SUITES[suite].keyType);
    const presentation = vc.createPresentation({verifiableCredential: [signed[credentialId]], holder: key.controller});
    presentations[id] = await vc.signPresentation({
      presentation, suite: SUITES[suite].signing(key, now), challenge, domain, documentLoader
    });
  } catch(error) {
    presentations[id] = {error: `${error.name}: ${error.message}`};
  }
}

answer({
  versions: versions([
    '@digitalbazaar/vc', '@digitalbazaar/data-integrity', '@digitalbazaar/eddsa-rdfc-2022-cryptosuite',
    '@digitalbazaar/eddsa-jcs-2022-cryptosuite', '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite',
    '@digitalbazaar/ed25519-signature-2020', '@digitalbazaar/did-method-key', 'jsonld'
  ]),
  verified,
  signed,
  presentations
});
