// JOSE interop in one run (tests/interop/test_jose.py): vc+jwt with `jose`, SD-JWT VC with sd-jwt-js
// (@sd-jwt/sd-jwt-vc). Issuer keys are did:key (resolved here with @digitalbazaar/did-method-key from the
// JWS `kid`); holder keys come from Python as JWKs.
//
//   node jose.mjs INPUT.json
// INPUT: {"now": NumericDate,
//   "vcJwt": {"verify": [{"id", "token"}], "sign": [{"id", "alg", "credential"}]},
//   "sdJwt": {"verify": [{"id", "token", "aud", "nonce"}],                       // presentations with a KB-JWT
//             "present": [{"id", "token", "holderJwk", "frame", "aud", "nonce"}], // issued SD-JWTs to present
//             "issue": [{"id", "alg", "vct", "claims", "disclosureFrame", "holderJwk",
//                        "frame", "aud", "nonce"}]}}                            // issue, then present
// Prints {"versions", "vcJwt": {"verified": {id: {verified, errors, payload}}, "signed": {id: token}},
//         "sdJwt": {"verified": {id: {verified, errors, claims}}, "presented": {id: token},
//                   "issued": {id: {"issuance", "presentation"}}}}.

import crypto from 'node:crypto';

import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import * as jose from 'jose';

import {didKey, errorMessages, exchange, generateDidKey, versions} from './common.mjs';

// JOSE alg -> key type, the Multikey library, and node:crypto's digest for sign/verify
const ALGS = {
  EdDSA: {keyType: 'Ed25519', multikey: Ed25519Multikey, digest: null},
  ES256: {keyType: 'P-256', multikey: EcdsaMultikey, digest: 'sha256'}
};

const {input, answer} = exchange();
const now = input.now;

/** The issuer's public key for a JWS header `kid` (a did:key DID URL), as jose key and JWK. */
async function resolveKid(kid) {
  if(typeof kid !== 'string' || !kid.startsWith('did:key:')) {
    throw new Error(`kid ${kid} is not a did:key DID URL`);
  }
  const method = await didKey.get({url: kid});
  const multikey = method.publicKeyMultibase.startsWith('z6Mk') ? Ed25519Multikey : EcdsaMultikey;
  const jwk = await multikey.toJwk({keyPair: await multikey.from(method)});
  return {jwk, controller: method.controller, key: crypto.createPublicKey({key: jwk, format: 'jwk'})};
}

function algFor(jwk) {
  return jwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
}

// sd-jwt-js leaves signatures to the application: node:crypto, JOSE's r || s for ECDSA
function signerFor(privateKey, alg) {
  return async data => crypto.sign(ALGS[alg].digest, Buffer.from(data),
    {key: privateKey, dsaEncoding: 'ieee-p1363'}).toString('base64url');
}

function verifierFor(publicKey, alg) {
  return async (data, signature) => crypto.verify(ALGS[alg].digest, Buffer.from(data),
    {key: publicKey, dsaEncoding: 'ieee-p1363'}, Buffer.from(signature, 'base64url'));
}

const hasher = async (data, alg) => {
  if(alg !== 'sha-256') {
    throw new Error(`unexpected _sd_alg ${alg}`);
  }
  return new Uint8Array(crypto.createHash('sha256').update(
    typeof data === 'string' ? data : Buffer.from(data)).digest());
};
const saltGenerator = async length => crypto.randomBytes(length).toString('base64url');

// the KB-JWT is checked against the holder key the issuer put in `cnf`
async function kbVerifier(data, signature, payload) {
  const jwk = payload?.cnf?.jwk;
  if(!jwk) {
    throw new Error('the SD-JWT has no cnf.jwk');
  }
  return verifierFor(crypto.createPublicKey({key: jwk, format: 'jwk'}), algFor(jwk))(data, signature);
}

function holderSigning(holderJwk) {
  const alg = algFor(holderJwk);
  return {kbSigner: signerFor(crypto.createPrivateKey({key: holderJwk, format: 'jwk'}), alg), kbSignAlg: alg};
}

async function generateIssuer(alg) {
  const keyPair = await generateDidKey(ALGS[alg].keyType);
  const jwk = await ALGS[alg].multikey.toJwk({keyPair, secretKey: true});
  if(jwk.kty === 'OKP') {
    // ed25519-multikey 1.3.1 exports the 64-byte seed || public key as `d`; RFC 8037 `d` is the seed
    jwk.d = Buffer.from(jwk.d, 'base64url').subarray(0, 32).toString('base64url');
  }
  return {kid: keyPair.id, did: keyPair.controller, privateKey: crypto.createPrivateKey({key: jwk, format: 'jwk'})};
}

// --- vc+jwt ----------------------------------------------------------------------------------------------

async function verifyVcJwt(token) {
  const header = jose.decodeProtectedHeader(token);
  if(header.typ !== 'vc+jwt' || header.cty !== 'vc') {
    throw new Error(`unexpected header typ ${header.typ} cty ${header.cty}`);
  }
  const {key, controller} = await resolveKid(header.kid);
  const {payload} = await jose.compactVerify(token, key, {algorithms: ['EdDSA', 'ES256']});
  const credential = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(payload));
  const issuer = typeof credential.issuer === 'object' ? credential.issuer.id : credential.issuer;
  if(issuer !== controller) {
    throw new Error(`issuer ${issuer} is not the controller of kid ${header.kid}`);
  }
  return credential;
}

async function signVcJwt({alg, credential}) {
  const issuer = await generateIssuer(alg);
  const payload = {
    ...credential,
    issuer: typeof credential.issuer === 'object' ? {...credential.issuer, id: issuer.did} : issuer.did
  };
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({alg, kid: issuer.kid, typ: 'vc+jwt', cty: 'vc'})
    .sign(issuer.privateKey);
}

// --- SD-JWT VC -------------------------------------------------------------------------------------------

async function verifySdJwt({token, aud, nonce}) {
  const header = jose.decodeProtectedHeader(token.split('~')[0]);
  if(header.typ !== 'dc+sd-jwt') {
    throw new Error(`unexpected header typ ${header.typ}`);
  }
  const {key, controller} = await resolveKid(header.kid);
  const sdjwt = new SDJwtVcInstance({verifier: verifierFor(key, header.alg), hasher, kbVerifier});
  const {payload, kb} = await sdjwt.verify(token, {keyBindingNonce: nonce, currentDate: now});
  if(payload.iss !== controller) {
    throw new Error(`iss ${payload.iss} is not the controller of kid ${header.kid}`);
  }
  if(kb?.payload?.aud !== aud) {  // sd-jwt-js checks the nonce, leaves the audience to the application
    throw new Error(`KB-JWT aud ${kb?.payload?.aud} is not ${aud}`);
  }
  return payload;
}

async function present({token, holderJwk, frame, aud, nonce}) {
  const sdjwt = new SDJwtVcInstance({hasher, ...holderSigning(holderJwk)});
  return sdjwt.present(token, frame, {kb: {payload: {iat: now, aud, nonce}}});
}

async function issue({alg, vct, claims, disclosureFrame, holderJwk}) {
  const issuer = await generateIssuer(alg);
  const sdjwt = new SDJwtVcInstance({
    signer: signerFor(issuer.privateKey, alg), signAlg: alg, hasher, hashAlg: 'sha-256', saltGenerator
  });
  const {d, ...publicJwk} = holderJwk;
  return sdjwt.issue({iss: issuer.did, iat: now, vct, cnf: {jwk: publicJwk}, ...claims}, disclosureFrame,
    {header: {kid: issuer.kid}});
}

// --- run -------------------------------------------------------------------------------------------------

async function attempt(fn) {
  try {
    return {verified: true, errors: [], value: await fn()};
  } catch(error) {
    return {verified: false, errors: errorMessages(error)};
  }
}

const out = {
  versions: versions(['jose', '@sd-jwt/sd-jwt-vc', '@sd-jwt/core', '@digitalbazaar/did-method-key']),
  vcJwt: {verified: {}, signed: {}},
  sdJwt: {verified: {}, presented: {}, issued: {}}
};
for(const {id, token} of input.vcJwt.verify) {
  const {value, ...result} = await attempt(() => verifyVcJwt(token));
  out.vcJwt.verified[id] = {...result, payload: value ?? null};
}
for(const item of input.vcJwt.sign) {
  out.vcJwt.signed[item.id] = await signVcJwt(item);
}
for(const item of input.sdJwt.verify) {
  const {value, ...result} = await attempt(() => verifySdJwt(item));
  out.sdJwt.verified[item.id] = {...result, claims: value ?? null};
}
for(const item of input.sdJwt.present) {
  out.sdJwt.presented[item.id] = await present(item);
}
for(const item of input.sdJwt.issue) {
  const issuance = await issue(item);
  out.sdJwt.issued[item.id] = {issuance, presentation: await present({...item, token: issuance})};
}
answer(out);
