"""Credentials and presentations secured with JOSE (W3C VC-JOSE-COSE section 3.1, compact JWS).

- ``vc+jwt``: the payload is the VCDM 2.0 credential itself; header ``typ: vc+jwt``,
  ``cty: vc``, ``alg`` (EdDSA, ES256 ...), ``kid`` = DID URL of the issuer's key.
- ``vp+jwt``: the payload is a presentation whose ``verifiableCredential`` entries are
  ``EnvelopedVerifiableCredential`` data: URLs; ``aud``/``nonce``/``iat``/``exp`` JWT claims bind
  it to one verifier and one request.
- VCDM 1.1 JWT credentials (``vc`` claim with ``iss``/``nbf``/``exp``/``jti``/``sub``, VCDM 1.1
  section 6.3.1) verify for compatibility (format ``jwt_vc_json``).

Verification never raises for a bad token; it returns a ``VerificationResult`` with the checks
``header``, ``issuer_key``/``holder_key``, ``signature``, ``issuer``/``holder``, ``data_model``,
``validity`` and (presentations) ``binding``.

>>> token = issue_vc_jwt(credential, issuer_key)
>>> verify_vc_jwt(token).verified
True
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from vc.did import default_resolver, did_jwk, did_key
from vc.errors import DataModelError, HolderMismatchError, IssuerMismatchError, JoseError, UsageError
from vc.input import require_interoperable_numbers
from vc.jsonld import DocumentLoader, check_safe
from vc.keys import KeyPair, PublicKey
from vc.model import check_validity, data_model_version, format_datetime, validate_credential, validate_presentation
from vc.results import VerificationResult

from .check_list import CheckList
from .claims import check_time_claims, numeric_date, to_numeric_date
from .envelope import VC_V2_CONTEXT, envelope_credential, verify_presentation_entry
from .issuer_keys import DidKeyLookup, KeyLookup, ResolvedKey
from .jws import DEFAULT_ALGS, CompactJws, JwsAlgorithm, check_header, normalize_typ, parse_compact, sign_compact, verify_signature

__all__ = [
    "DEFAULT_SKEW",
    "VCDM_TOP_LEVEL_TERMS",
    "check_binding",
    "default_kid",
    "issue_vc_jwt",
    "issue_vp_jwt",
    "key_dids",
    "verify_jwt",
    "verify_vc_jwt",
    "verify_vp_jwt",
]

DEFAULT_SKEW = timedelta(minutes=5)

# terms the VCDM 2.0 context defines for a credential (VerifiableCredential scoped context plus
# top-level terms); issuers may refuse anything else with known_properties_only=True
VCDM_TOP_LEVEL_TERMS = frozenset(
    {
        "@context", "id", "type", "issuer", "validFrom", "validUntil", "credentialSubject",
        "credentialStatus", "credentialSchema", "refreshService", "termsOfUse", "evidence",
        "proof", "name", "description", "relatedResource", "renderMethod", "confidenceMethod",
    }
)  # fmt: skip


@lru_cache(maxsize=256)
def key_dids(key: PublicKey) -> tuple[str, str]:
    """``(did:key, did:jwk)`` of a key, cached: they are pure functions of it and issuers sign with few keys."""
    return did_key(key), did_jwk(key)


def default_kid(key: PublicKey, controller: str) -> str:
    """The DID URL of ``key`` when ``controller`` is the key's own did:key or did:jwk; else UsageError."""
    dk, dj = key_dids(key)
    if controller == dk:
        return f"{dk}#{dk.removeprefix('did:key:')}"
    if controller == dj:
        return f"{controller}#0"
    raise UsageError(
        "the issuer is not this key's did:key or did:jwk; pass kid= (the DID URL of the key in the issuer's DID document)"
    )


def _id_of(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc)


# --- issuing ------------------------------------------------------------------------------


def issue_vc_jwt(
    credential: Mapping[str, Any],
    key: KeyPair,
    *,
    kid: str | None = None,
    alg: str | None = None,
    now: datetime | None = None,
    known_properties_only: bool = False,
    loader: DocumentLoader | None = None,
) -> str:
    """Secure a VCDM 2.0 credential as a ``vc+jwt`` compact JWS; fills ``issuer``/``validFrom`` when absent.

    ``kid`` defaults to the key's DID URL when the issuer is the key's did:key/did:jwk.
    ``known_properties_only`` refuses top-level properties the VCDM 2.0 context does not define.
    Raises DataModelError (invalid credential) or UsageError (no kid for the issuer).
    """
    doc = copy.deepcopy(dict(credential))
    doc.pop("proof", None)
    doc.setdefault("issuer", key_dids(key.public)[0])
    if isinstance(doc["issuer"], dict) and "id" not in doc["issuer"]:
        doc["issuer"] = {**doc["issuer"], "id": key_dids(key.public)[0]}  # as issue_credential does
    if data_model_version(doc) != "2.0":
        raise DataModelError("vc+jwt secures VCDM 2.0 credentials ('@context' must start with the v2 context)", code="INVALID_CONTEXT")
    doc.setdefault("validFrom", format_datetime(_now(now)))
    _refuse_jwt_vc_claims(doc)
    if known_properties_only:
        unknown = sorted(set(doc) - VCDM_TOP_LEVEL_TERMS)
        if unknown:
            raise DataModelError(
                f"top-level properties not defined by VCDM 2.0: {', '.join(unknown)}; move them into credentialSubject",
                code="UNKNOWN_PROPERTY",
            )
    validate_credential(doc)
    require_interoperable_numbers(doc)
    check_safe(doc, loader=loader)  # a vc+jwt payload is JSON-LD too: every term must expand
    header = {"kid": kid or default_kid(key.public, _id_of(doc["issuer"]) or ""), "typ": "vc+jwt", "cty": "vc"}
    return sign_compact(doc, key, header=header, alg=alg)


def issue_vp_jwt(
    credentials: Sequence[str | Mapping[str, Any]],
    key: KeyPair,
    *,
    aud: str | None = None,
    nonce: str | None = None,
    holder: str | None = None,
    kid: str | None = None,
    alg: str | None = None,
    now: datetime | None = None,
    ttl: timedelta = timedelta(minutes=10),
    presentation: Mapping[str, Any] | None = None,
) -> str:
    """A ``vp+jwt`` presentation of ``credentials`` (compact vc+jwt/SD-JWT strings are enveloped).

    ``holder`` defaults to the key's did:key; ``aud``/``nonce`` bind it to the verifier's request;
    ``iat``/``exp`` = now, now + ttl. ``presentation`` supplies other members (e.g. ``id``).
    """
    issued = _now(now)
    vp: dict[str, Any] = {"@context": [VC_V2_CONTEXT], "type": ["VerifiablePresentation"]}
    vp.update(copy.deepcopy(dict(presentation or {})))
    vp["holder"] = holder or _id_of(vp.get("holder")) or key_dids(key.public)[0]
    vp["verifiableCredential"] = [c if isinstance(c, Mapping) else envelope_credential(c) for c in credentials]
    validate_presentation(vp)
    vp["iat"] = to_numeric_date(issued)
    vp["exp"] = to_numeric_date(issued + ttl)
    if aud is not None:
        vp["aud"] = aud
    if nonce is not None:
        vp["nonce"] = nonce
    header = {"kid": kid or default_kid(key.public, _id_of(vp["holder"]) or ""), "typ": "vp+jwt", "cty": "vp"}
    return sign_compact(vp, key, header=header, alg=alg)


def _refuse_jwt_vc_claims(doc: Mapping[str, Any]) -> None:
    # VC-JOSE-COSE section 3.1.1: the VCDM 1.1 'vc'/'vp' claims must not appear in a vc+jwt
    for name in ("vc", "vp"):
        if name in doc:
            raise DataModelError(
                f"a vc+jwt payload must not contain the JWT claim '{name}' (that is the VCDM 1.1 JWT encoding)",
                code="JWT_VC_CLAIM_FORBIDDEN",
            )


# --- verifying ----------------------------------------------------------------------------


_default_lookup: list[DidKeyLookup] = []


def _lookup(key_lookup: KeyLookup | None, resolver: Any) -> KeyLookup:
    if key_lookup is not None:
        return key_lookup
    if resolver is not None:
        return DidKeyLookup(resolver)
    if not _default_lookup:  # one shared lookup keeps its did:key/did:jwk cache across calls
        _default_lookup.append(DidKeyLookup(default_resolver()))
    return _default_lookup[0]


def _parse(checks: CheckList, token: Any, *, typ: str, cty: str, algs: Collection[str]) -> tuple[CompactJws, JwsAlgorithm, dict[str, Any]] | None:
    def run() -> tuple[CompactJws, JwsAlgorithm, dict[str, Any]]:
        jws = parse_compact(token)
        alg = check_header(jws.header, algs=algs, typ=(typ,))
        _check_cty(jws.header, cty)
        return jws, alg, jws.payload_json()

    return checks.run("header", run)


def _verify_key_and_signature(
    checks: CheckList, jws: CompactJws, alg: JwsAlgorithm, payload: dict[str, Any], lookup: KeyLookup, *, purpose: str, check: str
) -> ResolvedKey | None:
    found = checks.run(check, lambda: lookup(jws.header, payload, purpose=purpose))
    if found is None:
        return None
    if not checks.run("signature", lambda: (verify_signature(jws, found.key, alg), True)[1]):
        return None
    return found


def _check_controller(party: str | None, found: ResolvedKey, payload: Mapping[str, Any], role: str) -> None:
    if party is None:
        raise DataModelError(f"the document names no {role}", code=f"MISSING_{role.upper()}")
    error = HolderMismatchError if role == "holder" else IssuerMismatchError
    iss = payload.get("iss")
    if iss is not None and iss != party:
        raise error(f"JWT 'iss' differs from the {role} of the document")
    if found.controller is not None and found.controller.split("#", 1)[0] != party:
        raise error(f"the signing key is not controlled by the document's {role}")


def verify_vc_jwt(
    token: str,
    *,
    resolver: Any = None,
    key_lookup: KeyLookup | None = None,
    algs: Collection[str] = DEFAULT_ALGS,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    allow_vcdm11: bool = True,
    loader: DocumentLoader | None = None,
) -> VerificationResult:
    """Verify a ``vc+jwt`` (or, with ``allow_vcdm11``, a VCDM 1.1 JWT with a ``vc`` claim).

    The key comes from ``key_lookup`` (default: ``kid`` as a DID URL via ``resolver``, purpose
    ``assertionMethod``); the key's controller and ``iss`` must be the credential's issuer.
    """
    checks = CheckList()
    now = _now(now)
    lookup = _lookup(key_lookup, resolver)

    def header() -> tuple[CompactJws, JwsAlgorithm, dict[str, Any], str]:
        jws = parse_compact(token)
        typ = jws.header.get("typ")
        if allow_vcdm11 and (typ is None or (isinstance(typ, str) and normalize_typ(typ) == "jwt")):
            payload = jws.payload_json()
            if isinstance(payload.get("vc"), dict):  # VCDM 1.1 section 6.3.1 encoding
                return jws, check_header(jws.header, algs=algs), payload, "jwt_vc_json"
        alg = check_header(jws.header, algs=algs, typ=("vc+jwt",))
        _check_cty(jws.header, "vc")
        return jws, alg, jws.payload_json(), "vc+jwt"

    parsed = checks.run("header", header)
    if parsed is None:
        return VerificationResult(checks=checks.checks(), format="vc+jwt")
    jws, alg, payload, fmt = parsed
    found = _verify_key_and_signature(checks, jws, alg, payload, lookup, purpose="assertionMethod", check="issuer_key")
    if found is None:
        return VerificationResult(checks=checks.checks(), format=fmt)
    if fmt == "jwt_vc_json":
        return _verify_vcdm11(checks, payload, found, now=now, skew=skew)
    checks.run("issuer", lambda: _check_controller(_id_of(payload.get("issuer")), found, payload, "issuer"))
    if checks.run("data_model", lambda: (_refuse_jwt_vc_claims(payload), validate_credential(payload), True)[-1]):
        checks.run("jsonld", lambda: check_safe(payload, loader=loader))
    checks.run(
        "validity",
        lambda: (check_validity(payload, now=now, skew=skew), check_time_claims(payload, now=now, skew=skew, lenient_iat=True)),
    )
    return VerificationResult(checks=checks.checks(), format=fmt, document=payload)


def _check_cty(header: Mapping[str, Any], cty: str) -> None:
    got = header.get("cty")
    if got is not None and normalize_typ(got) != cty:
        raise JoseError(f"JWS header 'cty' must be {cty} when present", code="CTY_MISMATCH")


def _verify_vcdm11(checks: CheckList, payload: dict[str, Any], found: ResolvedKey, *, now: datetime, skew: timedelta) -> VerificationResult:
    fmt = "jwt_vc_json"
    credential = checks.run("data_model", lambda: _vcdm11_credential(payload))
    if credential is None:
        return VerificationResult(checks=checks.checks(), format=fmt)
    checks.run("issuer", lambda: _check_controller(_id_of(credential.get("issuer")), found, payload, "issuer"))
    checks.run(
        "validity",
        lambda: (check_time_claims(payload, now=now, skew=skew), check_validity(credential, now=now, skew=skew)),
    )
    return VerificationResult(checks=checks.checks(), format=fmt, document=credential)


def _vcdm11_credential(payload: Mapping[str, Any]) -> dict[str, Any]:
    """VCDM 1.1 section 6.3.1 JWT decoding: registered claims become credential properties."""
    vc = copy.deepcopy(payload["vc"])
    iss = payload.get("iss")
    if not isinstance(iss, str):
        raise JoseError("a VCDM 1.1 JWT credential needs an 'iss' claim", code="INVALID_CLAIM")
    issuer = vc.get("issuer")
    if issuer is not None and _id_of(issuer) != iss:
        raise IssuerMismatchError("the 'vc' issuer differs from the JWT 'iss'")
    if isinstance(issuer, dict):
        issuer["id"] = iss
    else:
        vc["issuer"] = iss
    for claim, prop in (("nbf", "issuanceDate"), ("exp", "expirationDate")):
        when = numeric_date(payload, claim)
        if when is not None:
            vc[prop] = format_datetime(when)
    if isinstance(payload.get("jti"), str):
        vc["id"] = payload["jti"]
    sub = payload.get("sub")
    subject = vc.get("credentialSubject")
    if isinstance(sub, str) and isinstance(subject, dict):
        if "id" in subject and subject["id"] != sub:
            raise DataModelError("credentialSubject.id differs from the JWT 'sub'", code="INVALID_SUBJECT")
        subject["id"] = sub
    validate_credential(vc)
    return vc


def verify_vp_jwt(
    token: str,
    *,
    aud: str | None = None,
    nonce: str | None = None,
    resolver: Any = None,
    key_lookup: KeyLookup | None = None,
    algs: Collection[str] = DEFAULT_ALGS,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    max_age: timedelta | None = None,
    seen_nonces: Callable[[str], bool] | None = None,
    credential_key_lookup: KeyLookup | None = None,
    loader: DocumentLoader | None = None,
    status: Any = True,
) -> VerificationResult:
    """Verify a ``vp+jwt`` and every enveloped credential in it.

    ``aud``/``nonce``: the values this verifier expects (each checked when given);
    ``seen_nonces(nonce) -> bool`` returns True when the nonce was used before (replay) and
    records it; ``max_age`` bounds how old ``iat`` may be. The holder key is looked up with purpose
    ``authentication`` and must be controlled by ``holder``.
    """
    checks = CheckList()
    now = _now(now)
    lookup = _lookup(key_lookup, resolver)
    parsed = _parse(checks, token, typ="vp+jwt", cty="vp", algs=algs)
    if parsed is None:
        return VerificationResult(checks=checks.checks(), format="vp+jwt")
    jws, alg, payload = parsed
    found = _verify_key_and_signature(checks, jws, alg, payload, lookup, purpose="authentication", check="holder_key")
    if found is None:
        return VerificationResult(checks=checks.checks(), format="vp+jwt")
    checks.run("holder", lambda: _check_controller(_id_of(payload.get("holder")), found, payload, "holder"))
    checks.run("data_model", lambda: validate_presentation(payload))
    checks.run("validity", lambda: _check_fresh(payload, now=now, skew=skew, max_age=max_age))
    if aud is not None or nonce is not None:
        checks.run("binding", lambda: check_binding(payload, aud=aud, nonce=nonce, seen_nonces=seen_nonces))
    entries = payload.get("verifiableCredential", [])
    entries = entries if isinstance(entries, list) else [entries]
    results = tuple(
        verify_presentation_entry(
            e, key_lookup=credential_key_lookup or key_lookup, resolver=resolver, algs=algs, now=now, skew=skew,
            loader=loader, status=status,
        )
        for e in entries
    )
    return VerificationResult(checks=checks.checks(), format="vp+jwt", document=payload, credentials=results)


def _check_fresh(payload: Mapping[str, Any], *, now: datetime, skew: timedelta, max_age: timedelta | None) -> None:
    check_time_claims(payload, now=now, skew=skew)
    if max_age is not None:
        iat = numeric_date(payload, "iat")
        if iat is None:
            raise JoseError("the presentation has no 'iat'; its age cannot be checked", code="IAT_MISSING")
        if now - iat > max_age + skew:
            raise JoseError("the presentation's 'iat' is older than the accepted window", code="STALE_IAT")


def check_binding(
    payload: Mapping[str, Any],
    *,
    aud: str | None,
    nonce: str | None,
    seen_nonces: Callable[[str], bool] | None = None,
) -> None:
    """``aud`` (a string or a list holding it) and ``nonce`` must equal what the verifier expects;
    a nonce ``seen_nonces`` reports as used before is a replay (``NONCE_REUSED``)."""
    if aud is not None:
        got = payload.get("aud")
        if not (got == aud or (isinstance(got, list) and aud in got)):
            raise JoseError("'aud' is not this verifier; the presentation was made for someone else", code="AUD_MISMATCH")
    if nonce is not None:
        if payload.get("nonce") != nonce:
            raise JoseError("'nonce' differs from the one this verifier issued", code="NONCE_MISMATCH")
        if seen_nonces is not None and seen_nonces(nonce):
            raise JoseError("this 'nonce' was already used: a replayed presentation", code="NONCE_REUSED")


def verify_jwt(token: str, *, aud: str | None = None, nonce: str | None = None, **options: Any) -> VerificationResult:
    """Route a compact JWS by its header ``typ``: ``vp+jwt`` to ``verify_vp_jwt`` (with ``aud``/
    ``nonce`` and its other options), anything else to ``verify_vc_jwt``."""
    try:
        typ = parse_compact(token).header.get("typ")
    except JoseError:
        typ = None
    if isinstance(typ, str) and normalize_typ(typ) == "vp+jwt":
        return verify_vp_jwt(token, aud=aud, nonce=nonce, **options)
    vc_options = {k: v for k, v in options.items() if k in ("resolver", "key_lookup", "algs", "now", "skew", "allow_vcdm11", "loader")}
    return verify_vc_jwt(token, **vc_options)

