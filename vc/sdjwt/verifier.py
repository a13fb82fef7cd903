"""Verifier role: check an SD-JWT or SD-JWT+KB (RFC 9901 sections 7.1 and 7.3) and show only the
disclosed claims.

Checks (``VerificationResult.checks``), in order:

- ``header``: serialization, sizes, ``typ`` (``dc+sd-jwt``; ``vc+sd-jwt``/``vp+sd-jwt`` too),
  ``alg`` allow-list, ``crit``
- ``issuer_key`` / ``signature``: the key from ``key_lookup`` (default: ``kid`` as a DID URL, else
  JWT VC Issuer Metadata for an HTTPS ``iss``); every signature of a general JSON serialization
- ``disclosures``: ``_sd_alg`` supported; each Disclosure well formed, referenced exactly once,
  never twice; no ``_sd``/``...`` claim names, no overwriting a plain claim
  (``SD_ALG_UNSUPPORTED``, ``MALFORMED_DISCLOSURE``, ``DISCLOSURE_DUPLICATE``, ``DIGEST_DUPLICATE``,
  ``DISCLOSURE_NOT_REFERENCED``, ``DISCLOSURE_RESERVED_NAME``, ``DISCLOSURE_OVERWRITES_CLAIM``,
  ``DISCLOSURE_WRONG_SHAPE``)
- ``issuer``: the key's controller is ``iss`` (and the VCDM ``issuer``)
- ``data_model``: SD-JWT VC (``vct``, claims that must not be disclosable) or VCDM rules
- ``validity``: ``exp``/``nbf``/``iat`` (and ``validFrom``/``validUntil`` for VCDM payloads)
- ``kb_jwt``: when required (default: whenever ``aud`` or ``nonce`` is expected) or present:
  ``typ: kb+jwt``, signed by ``cnf.jwk``, ``iat`` within ``max_age``, ``aud``, ``nonce``, replay,
  ``sd_hash`` (``KB_JWT_MISSING``, ``HOLDER_KEY_MISSING``, ``HOLDER_KEY_MISMATCH``, ``STALE_IAT``,
  ``IAT_IN_FUTURE``, ``AUD_MISMATCH``, ``NONCE_MISMATCH``, ``NONCE_REUSED``, ``SD_HASH_MISMATCH``)

``VerificationResult.document`` is the processed payload: plain claims plus the disclosed ones,
without ``_sd``/``_sd_alg``/``...`` (present only when the signature verified).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from vc.errors import DataModelError, HolderMismatchError, IssuerMismatchError, JoseError
from vc.jose.check_list import CheckList
from vc.jose.claims import check_time_claims, numeric_date
from vc.jose.envelope import verify_presentation_entry
from vc.jose.issuer_keys import DidKeyLookup, FirstApplicable, KeyLookup, ResolvedKey
from vc.jose.jws import DEFAULT_ALGS, CompactJws, check_header, normalize_typ, parse_compact, verify_signature
from vc.jose.vc_jwt import DEFAULT_SKEW, check_binding
from vc.keys import PublicKey
from vc.model import check_validity, validate_credential, validate_presentation
from vc.results import VerificationResult

from .disclosure import HASH_ALGORITHMS, SD_DIGESTS_KEY, SD_LIST_KEY, b64_digest, parse_disclosure
from .issuer import NEVER_DISCLOSABLE
from .issuer_metadata import JwtVcIssuerLookup
from .token import MAX_DISCLOSURE_BYTES, SdJwt, parse_sd_jwt

__all__ = ["DEFAULT_KB_MAX_AGE", "DEFAULT_SD_JWT_TYPS", "ProcessedSdJwt", "default_key_lookup", "process_disclosures", "verify_sd_jwt"]

DEFAULT_SD_JWT_TYPS = ("dc+sd-jwt", "vc+sd-jwt", "vp+sd-jwt")
DEFAULT_KB_MAX_AGE = timedelta(minutes=5)


_shared: list[KeyLookup] = []


def default_key_lookup(resolver: Any = None, *, http: Any = None) -> KeyLookup:
    """``kid`` as a DID URL first, then JWT VC Issuer Metadata for an https ``iss``.

    Without arguments one shared lookup is returned (its caches live across calls).
    """
    from vc.did import default_resolver

    if resolver is None and http is None:
        if not _shared:
            _shared.append(FirstApplicable((DidKeyLookup(default_resolver()), JwtVcIssuerLookup())))
        return _shared[0]
    return FirstApplicable((DidKeyLookup(resolver or default_resolver()), JwtVcIssuerLookup(http=http)))


@dataclass(frozen=True, slots=True)
class ProcessedSdJwt:
    """The payload with Disclosures applied, and which top-level claims came from Disclosures."""

    claims: dict[str, Any]
    disclosed_top_level: frozenset[str] = field(default_factory=frozenset)


def process_disclosures(payload: Mapping[str, Any], disclosures: Collection[str]) -> ProcessedSdJwt:
    """RFC 9901 section 7.1 step 3-5: replace digests by the disclosed claims; coded JoseError on any rule broken."""
    alg = payload.get("_sd_alg", "sha-256")
    if not isinstance(alg, str) or alg not in HASH_ALGORITHMS:
        raise JoseError("'_sd_alg' names a hash algorithm this verifier does not support", code="SD_ALG_UNSUPPORTED")
    by_digest = {}
    for encoded in disclosures:
        d = parse_disclosure(encoded)
        digest = b64_digest(encoded, alg)
        if digest in by_digest:
            raise JoseError("the same Disclosure is listed twice", code="DISCLOSURE_DUPLICATE")
        by_digest[digest] = d
    seen: set[str] = set()
    top_level: set[str] = set()

    def take(digest: Any) -> Any:
        if not isinstance(digest, str):
            raise JoseError("a digest in '_sd' or '...' must be a string", code="MALFORMED_SD_JWT")
        if digest in seen:
            raise JoseError("a digest appears more than once in the SD-JWT", code="DIGEST_DUPLICATE")
        seen.add(digest)
        return by_digest.get(digest)

    def walk(value: Any, depth: int) -> Any:
        if isinstance(value, dict):
            out = {
                k: walk(v, depth + 1) if isinstance(v, (dict, list)) else v
                for k, v in value.items()
                if k != SD_DIGESTS_KEY and not (depth == 0 and k == "_sd_alg")
            }
            digests = value.get(SD_DIGESTS_KEY, ())
            if not isinstance(digests, (list, tuple)):
                raise JoseError("'_sd' must be an array of digests", code="MALFORMED_SD_JWT")
            for digest in digests:
                d = take(digest)
                if d is None:
                    continue  # a decoy, or a claim the holder did not disclose
                if d.name is None:
                    raise JoseError("an array-element Disclosure is referenced from an object's '_sd'", code="DISCLOSURE_WRONG_SHAPE")
                if d.name in (SD_DIGESTS_KEY, SD_LIST_KEY):
                    raise JoseError(f"a Disclosure must not set the reserved name '{d.name}'", code="DISCLOSURE_RESERVED_NAME")
                if d.name in out or d.name in value:
                    raise JoseError(f"a Disclosure would overwrite the claim '{d.name}'", code="DISCLOSURE_OVERWRITES_CLAIM")
                out[d.name] = walk(d.value, depth + 1)
                if depth == 0:
                    top_level.add(d.name)
            return out
        if isinstance(value, list):
            items = []
            for item in value:
                if isinstance(item, dict) and SD_LIST_KEY in item:
                    if len(item) != 1:
                        raise JoseError("an array digest must be an object with only '...'", code="MALFORMED_SD_JWT")
                    d = take(item[SD_LIST_KEY])
                    if d is None:
                        continue  # undisclosed elements disappear
                    if d.name is not None:
                        raise JoseError("an object-property Disclosure is referenced from an array", code="DISCLOSURE_WRONG_SHAPE")
                    items.append(walk(d.value, depth + 1))
                else:
                    items.append(walk(item, depth + 1) if isinstance(item, (dict, list)) else item)
            return items
        return value

    claims = walk(dict(payload), 0)
    if set(by_digest) - seen:
        raise JoseError("a Disclosure is not referenced by any digest in the SD-JWT", code="DISCLOSURE_NOT_REFERENCED")
    return ProcessedSdJwt(claims, frozenset(top_level))


# --- profiles: what the payload must be, chosen by the header typ --------------------------


def _profile(typ: str, payload: Mapping[str, Any]) -> str:
    t = normalize_typ(typ)
    if t == "dc+sd-jwt":
        return "dc+sd-jwt"
    if t == "vc+sd-jwt":
        # SD-JWT VC drafts before -06 used vc+sd-jwt; VC-JOSE-COSE uses it for a VCDM payload
        return "vc+sd-jwt" if "@context" in payload and "vct" not in payload else "dc+sd-jwt"
    if t == "vp+sd-jwt":
        return "vp+sd-jwt"
    return "sd-jwt"


def _check_sd_jwt_vc(processed: ProcessedSdJwt) -> None:
    vct = processed.claims.get("vct")
    if not isinstance(vct, str) or not vct:
        raise DataModelError("an SD-JWT VC needs a 'vct' string naming its type", code="VCT_MISSING")
    hidden = processed.disclosed_top_level & NEVER_DISCLOSABLE
    if hidden:
        raise JoseError(
            f"claims {', '.join(sorted(hidden))} must not be selectively disclosable in an SD-JWT VC",
            code="CLAIM_NOT_DISCLOSABLE",
        )


def _doc_party(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _check_issuer(found: ResolvedKey, claims: Mapping[str, Any], profile: str) -> None:
    iss = claims.get("iss")
    party = None
    if profile == "vc+sd-jwt":
        party = _doc_party(claims, "issuer")
    elif profile == "vp+sd-jwt":
        party = _doc_party(claims, "holder")
    if iss is not None and party is not None and iss != party:
        raise IssuerMismatchError("'iss' differs from the document's issuer/holder")
    expected = party or (iss if isinstance(iss, str) else None)
    if found.controller is not None and expected is not None and found.controller.split("#", 1)[0] != expected:
        error = HolderMismatchError if profile == "vp+sd-jwt" else IssuerMismatchError
        raise error("the signing key is not controlled by the SD-JWT's issuer (or holder)")


def verify_sd_jwt(
    token: str,
    *,
    key_lookup: KeyLookup | None = None,
    resolver: Any = None,
    http: Any = None,
    algs: Collection[str] = DEFAULT_ALGS,
    typ: Collection[str] | None = DEFAULT_SD_JWT_TYPS,
    aud: str | None = None,
    nonce: str | None = None,
    require_kb: bool | None = None,
    seen_nonces: Callable[[str], bool] | None = None,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    max_age: timedelta = DEFAULT_KB_MAX_AGE,
    max_disclosure_bytes: int = MAX_DISCLOSURE_BYTES,
    credential_key_lookup: KeyLookup | None = None,
    status: Any = True,
) -> VerificationResult:
    """Verify an SD-JWT(+KB); never raises for bad input.

    ``status`` is passed to the credentials a ``vp+sd-jwt`` holds (True, a StatusChecker, or False);
    the status of the SD-JWT VC itself is ``vc.credentials.with_status_checks``' job.

    ``typ``: accepted header ``typ`` values (None accepts any, for generic SD-JWTs); ``aud``/
    ``nonce``: what this verifier expects in the KB-JWT; ``require_kb`` defaults to True when
    either is given; ``seen_nonces(nonce) -> bool`` reports (and records) reuse; ``max_age``
    bounds the KB-JWT ``iat``; ``credential_key_lookup`` finds the keys of credentials enveloped
    in a ``vp+sd-jwt`` (default: ``key_lookup``).
    """
    checks = CheckList()
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    lookup = key_lookup or default_key_lookup(resolver, http=http)
    require_kb = (aud is not None or nonce is not None) if require_kb is None else require_kb

    def header() -> tuple[SdJwt, CompactJws, Any, dict[str, Any]]:
        sd = parse_sd_jwt(token, max_disclosure_bytes=max_disclosure_bytes)
        jws = parse_compact(sd.issuer_jwt)
        alg = check_header(jws.header, algs=algs, typ=typ)
        return sd, jws, alg, jws.payload_json(what="SD-JWT payload")

    parsed = checks.run("header", header)
    if parsed is None:
        return VerificationResult(checks=checks.checks(), format="sd-jwt")
    sd, jws, alg, payload = parsed
    profile = _profile(jws.header.get("typ", ""), payload)
    purpose = "authentication" if profile == "vp+sd-jwt" else "assertionMethod"
    lookup_header = {**sd.unprotected, **jws.header}  # a general serialization may carry kid unprotected
    found = checks.run("issuer_key", lambda: lookup(lookup_header, payload, purpose=purpose))
    if found is None:
        return VerificationResult(checks=checks.checks(), format=profile)
    signed = checks.run("signature", lambda: (verify_signature(jws, found.key, alg), _other_signatures(sd, payload, lookup, algs, purpose), True)[-1])
    if not signed:
        return VerificationResult(checks=checks.checks(), format=profile)
    processed = checks.run("disclosures", lambda: process_disclosures(payload, sd.disclosures))
    if processed is None:
        return VerificationResult(checks=checks.checks(), format=profile)
    claims = processed.claims
    checks.run("issuer", lambda: _check_issuer(found, claims, profile))
    lenient_iat = profile in ("vc+sd-jwt", "vp+sd-jwt")  # VCDM payloads date themselves with validFrom
    if profile == "dc+sd-jwt":
        checks.run("data_model", lambda: _check_sd_jwt_vc(processed))
    elif profile == "vc+sd-jwt":
        checks.run("data_model", lambda: validate_credential(claims))
    elif profile == "vp+sd-jwt":
        checks.run("data_model", lambda: validate_presentation(claims))
    checks.run("validity", lambda: _check_validity(claims, profile, now=now, skew=skew, lenient_iat=lenient_iat))
    if require_kb or sd.kb_jwt is not None:
        checks.run(
            "kb_jwt",
            lambda: _verify_kb_jwt(sd, payload, algs=algs, aud=aud, nonce=nonce, now=now, skew=skew, max_age=max_age, seen_nonces=seen_nonces),
        )
    credentials: tuple[VerificationResult, ...] = ()
    if profile == "vp+sd-jwt":
        entries = claims.get("verifiableCredential", [])
        entries = entries if isinstance(entries, list) else [entries]
        credentials = tuple(
            verify_presentation_entry(e, key_lookup=credential_key_lookup or key_lookup, resolver=resolver, http=http,
                                      algs=algs, now=now, skew=skew, status=status)
            for e in entries
        )
    return VerificationResult(checks=checks.checks(), format=profile, document=claims, credentials=credentials)


def _other_signatures(sd: SdJwt, payload: Mapping[str, Any], lookup: KeyLookup, algs: Collection[str], purpose: str) -> None:
    """General JSON serialization: every further signature must verify too."""
    body = sd.issuer_jwt.split(".")[1]
    for sig in sd.other_signatures:
        protected, signature, unprotected = sig.get("protected"), sig.get("signature"), sig.get("header", {})
        if not isinstance(protected, str) or not isinstance(signature, str) or not isinstance(unprotected, dict):
            raise JoseError("a signature of the JSON serialization is incomplete", code="MALFORMED_SD_JWT")
        jws = parse_compact(f"{protected}.{body}.{signature}")
        alg = check_header(jws.header, algs=algs)
        found = lookup({**unprotected, **jws.header}, payload, purpose=purpose)
        verify_signature(jws, found.key, alg)


def _check_validity(claims: Mapping[str, Any], profile: str, *, now: datetime, skew: timedelta, lenient_iat: bool) -> None:
    check_time_claims(claims, now=now, skew=skew, lenient_iat=lenient_iat)
    if profile == "vc+sd-jwt":
        check_validity(dict(claims), now=now, skew=skew)


def _holder_key(payload: Mapping[str, Any]) -> PublicKey:
    cnf = payload.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, Mapping) else None
    if not isinstance(jwk, dict):
        raise JoseError("key binding is required but the SD-JWT has no 'cnf.jwk' holder key", code="HOLDER_KEY_MISSING")
    return PublicKey.from_jwk(jwk)


def _verify_kb_jwt(
    sd: SdJwt,
    payload: Mapping[str, Any],
    *,
    algs: Collection[str],
    aud: str | None,
    nonce: str | None,
    now: datetime,
    skew: timedelta,
    max_age: timedelta,
    seen_nonces: Callable[[str], bool] | None,
) -> None:
    if sd.kb_jwt is None:
        raise JoseError("key binding is required but the presentation has no KB-JWT", code="KB_JWT_MISSING")
    key = _holder_key(payload)
    jws = parse_compact(sd.kb_jwt)
    alg = check_header(jws.header, algs=algs, typ=("kb+jwt",))
    if key.alg != alg.key_alg:
        raise JoseError(f"the KB-JWT alg {alg.name} does not fit the holder's {key.alg} key in 'cnf'", code="ALG_KEY_MISMATCH")
    if not alg.verify(key, jws.signing_input, jws.signature):
        raise JoseError("the KB-JWT is not signed by the holder key in 'cnf'", code="HOLDER_KEY_MISMATCH")
    kb = jws.payload_json(what="KB-JWT payload")
    for name in ("iat", "aud", "nonce", "sd_hash"):
        if name not in kb:
            raise JoseError(f"the KB-JWT lacks the required claim '{name}'", code="INVALID_CLAIM")
    expected_hash = b64_digest(sd.sd_jwt_part(), payload.get("_sd_alg", "sha-256"))
    if kb["sd_hash"] != expected_hash:
        raise JoseError("the KB-JWT 'sd_hash' does not match this SD-JWT and its Disclosures", code="SD_HASH_MISMATCH")
    iat = numeric_date(kb, "iat")
    assert iat is not None
    if iat > now + skew:
        raise JoseError("the KB-JWT 'iat' is in the future; check the clocks", code="IAT_IN_FUTURE")
    if now - iat > max_age + skew:
        raise JoseError("the KB-JWT is older than the accepted window; ask for a fresh presentation", code="STALE_IAT")
    check_time_claims(kb, now=now, skew=skew)
    check_binding(kb, aud=aud, nonce=nonce, seen_nonces=seen_nonces)
