"""Issuer role: make SD-JWTs (RFC 9901) and SD-JWT VCs (draft-ietf-oauth-sd-jwt-vc-18).

Which claims are selectively disclosable is a list of claim paths (``vc.sdjwt.claim_path``).
A path to an object member puts that member in a Disclosure (its digest under ``_sd``); a path to
an array element puts the element in a Disclosure (``{"...": digest}`` in the array). Listing a
path and a path below it gives recursive disclosures (the inner digests travel inside the outer
Disclosure). Decoy digests (RFC 9901 section 4.2.5) can be added to every object.

Randomness is a parameter: ``rng=random.Random(0)`` draws salts and decoy counts the way the
reference implementation does in its reproducible mode (the specification's examples then come
out byte for byte); without it salts come from the OS CSPRNG.

>>> sd_jwt = issue_sd_jwt_vc({"given_name": "太郎"}, issuer_key, vct="urn:jp:resident",
...                          sd=["given_name"], holder_key=holder_key.public)
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from vc.input import require_interoperable_numbers
from vc.errors import JoseError, UsageError
from vc.jose.claims import to_numeric_date
from vc.jose.json_codec import compact_dumps
from vc.jose.jws import sign_compact
from vc.jose.vc_jwt import default_kid, key_dids
from vc.keys import KeyPair, PublicKey
from vc.model import parse_datetime

from .claim_path import ClaimPath, PathLike, format_path, parse_paths
from .disclosure import SD_DIGESTS_KEY, SD_LIST_KEY, Disclosure, SaltSource, b64_digest, make_disclosure, new_salt
from .token import SdJwt

__all__ = [
    "NEVER_DISCLOSABLE",
    "SdPayload",
    "build_sd_payload",
    "holder_cnf",
    "issue_sd_jwt",
    "issue_sd_jwt_vc",
    "issue_sd_jwt_vc_from_credential",
]

# SD-JWT VC draft 18 section 2.2.2.3: these (and their sub-claims) must stay plain
NEVER_DISCLOSABLE = frozenset({"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", "aka_vcts"})

_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


@dataclass(frozen=True, slots=True)
class SdPayload:
    """The Issuer-signed JWT payload and the Disclosures it commits to (in creation order)."""

    payload: dict[str, Any]
    disclosures: tuple[Disclosure, ...]
    decoy_digests: tuple[str, ...] = ()


def _expand(claims: Any, path: ClaimPath) -> list[ClaimPath]:
    """Concrete paths (wildcards resolved) that ``path`` names in ``claims``; UsageError if none."""
    found: list[ClaimPath] = []

    def walk(value: Any, rest: ClaimPath, done: ClaimPath) -> None:
        if not rest:
            found.append(done)
            return
        head, tail = rest[0], rest[1:]
        if isinstance(head, str) and isinstance(value, Mapping) and head in value:
            walk(value[head], tail, done + (head,))
        elif head is None and isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, tail, done + (i,))
        elif isinstance(head, int) and isinstance(value, list) and head < len(value):
            walk(value[head], tail, done + (head,))

    walk(claims, path, ())
    if not found:
        raise UsageError(f"selective-disclosure path {format_path(path)!r} names no claim in the credential")
    return found


def _decoy_count(rng: SaltSource | None, decoys: tuple[int, int]) -> int:
    low, high = decoys
    return rng.randint(low, high) if rng is not None else low + secrets.randbelow(high - low + 1)


def build_sd_payload(
    claims: Mapping[str, Any],
    sd: Iterable[PathLike] = (),
    *,
    rng: SaltSource | None = None,
    decoys: tuple[int, int] | None = None,
    hash_alg: str = "sha-256",
    dumps: Callable[[Any], str] = compact_dumps,
) -> SdPayload:
    """Replace the claims at the ``sd`` paths by digests; the payload (without ``_sd_alg``/``cnf``)
    and the Disclosures. ``decoys=(low, high)`` adds that many decoy digests to every object.

    Traversal order matches the reference implementation (inner Disclosures before outer ones,
    members in order, decoys last per object) so that seeded salts reproduce its output.
    """
    marked: set[ClaimPath] = set()
    for path in parse_paths(sd):
        marked.update(_expand(claims, path))
    disclosures: list[Disclosure] = []
    decoy_digests: list[str] = []

    def disclose(name: str | None, value: Any) -> str:
        d = make_disclosure(new_salt(rng), name, value, dumps=dumps)
        disclosures.append(d)
        return d.digest(hash_alg)

    def build(value: Any, path: ClaimPath) -> Any:
        if isinstance(value, Mapping):
            out: dict[str, Any] = {SD_DIGESTS_KEY: []}  # first member, as the reference places it
            digests: list[str] = []
            for name, item in value.items():
                if name == SD_DIGESTS_KEY or (name == SD_LIST_KEY and len(value) == 1):
                    raise UsageError(f"claim name {name!r} is reserved by SD-JWT (at {format_path(path) or 'top level'})")
                sub = build(item, path + (name,))
                if path + (name,) in marked:
                    digests.append(disclose(name, sub))
                else:
                    out[name] = sub
            if decoys is not None:
                for _ in range(_decoy_count(rng, decoys)):
                    digest = b64_digest(new_salt(rng), hash_alg)
                    decoy_digests.append(digest)
                    digests.append(digest)
            if digests:
                out[SD_DIGESTS_KEY] = sorted(digests)  # sorted, so order reveals nothing
            else:
                del out[SD_DIGESTS_KEY]
            return out
        if isinstance(value, list):
            items = []
            for i, item in enumerate(value):
                sub = build(item, path + (i,))
                items.append({SD_LIST_KEY: disclose(None, sub)} if path + (i,) in marked else sub)
            return items
        return value

    payload = build(claims, ())
    if not isinstance(payload, dict):
        raise UsageError("SD-JWT claims must be a JSON object")
    return SdPayload(payload, tuple(disclosures), tuple(decoy_digests))


def holder_cnf(holder_key: PublicKey | KeyPair | Mapping[str, Any]) -> dict[str, Any]:
    """``{"jwk": <public JWK>}`` for the ``cnf`` claim; a private JWK or key pair gives its public part."""
    if isinstance(holder_key, KeyPair):
        holder_key = holder_key.public
    if isinstance(holder_key, PublicKey):
        return {"jwk": holder_key.to_jwk()}
    if isinstance(holder_key, Mapping):
        PublicKey.from_jwk(dict(holder_key))  # refuses an unusable key now, not at presentation time
        return {"jwk": {k: v for k, v in holder_key.items() if k not in _PRIVATE_JWK_MEMBERS}}
    raise UsageError("holder_key must be a PublicKey, a KeyPair or a JWK")


def issue_sd_jwt(
    claims: Mapping[str, Any],
    key: KeyPair,
    *,
    sd: Iterable[PathLike] = (),
    holder_key: PublicKey | KeyPair | Mapping[str, Any] | None = None,
    typ: str | None = "dc+sd-jwt",
    kid: str | None = None,
    alg: str | None = None,
    header: Mapping[str, Any] | None = None,
    rng: SaltSource | None = None,
    decoys: tuple[int, int] | None = None,
    hash_alg: str = "sha-256",
    dumps: Callable[[Any], str] = compact_dumps,
    serialization: str = "compact",
) -> str:
    """An SD-JWT over ``claims`` with the ``sd`` paths selectively disclosable.

    Adds ``_sd_alg`` and, with ``holder_key``, ``cnf.jwk``. The header is ``alg``, ``typ``,
    ``kid``, then ``header``'s members. ``serialization``: ``compact`` (default) or ``flattened``
    (JWS JSON, RFC 9901 section 8.2). Returns the issuance (SD-JWT with every Disclosure).
    """
    if serialization not in ("compact", "flattened"):
        raise UsageError("serialization must be 'compact' or 'flattened'")
    require_interoperable_numbers(claims, "claims")
    built = build_sd_payload(claims, sd, rng=rng, decoys=decoys, hash_alg=hash_alg, dumps=dumps)
    payload = built.payload
    if "_sd_alg" in payload:
        raise UsageError("claims must not contain '_sd_alg'; pass hash_alg=")
    payload["_sd_alg"] = hash_alg
    if holder_key is not None:
        if "cnf" in payload:
            raise UsageError("claims already contain 'cnf'; pass either cnf or holder_key")
        payload["cnf"] = holder_cnf(holder_key)
    protected: dict[str, Any] = {}
    if typ is not None:
        protected["typ"] = typ
    if kid is not None:
        protected["kid"] = kid
    protected.update(header or {})
    jws = sign_compact(payload, key, header=protected, alg=alg, dumps=dumps)
    return SdJwt(jws, tuple(d.encoded for d in built.disclosures), None, serialization).serialize()


def _numeric(value: datetime | int | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return to_numeric_date(value)


def issue_sd_jwt_vc(
    claims: Mapping[str, Any],
    key: KeyPair,
    *,
    vct: str,
    sd: Iterable[PathLike] = (),
    holder_key: PublicKey | KeyPair | Mapping[str, Any] | None = None,
    iss: str | None = None,
    kid: str | None = None,
    now: datetime | None = None,
    not_before: datetime | int | None = None,
    expires: datetime | int | None = None,
    status: Mapping[str, Any] | None = None,
    alg: str | None = None,
    rng: SaltSource | None = None,
    decoys: tuple[int, int] | None = None,
    typ: str = "dc+sd-jwt",
) -> str:
    """An SD-JWT VC: ``iss``, ``iat``, ``nbf``/``exp`` when given, ``vct``, ``status``, then ``claims``.

    ``iss`` defaults to the key's did:key (and ``kid`` to its DID URL); with an HTTPS ``iss`` the
    verifier finds the key through ``/.well-known/jwt-vc-issuer`` by ``kid``. ``sd`` paths may not
    name the claims of ``NEVER_DISCLOSABLE``.
    """
    if not isinstance(vct, str) or not vct:
        raise UsageError("an SD-JWT VC needs a 'vct' (the credential type) string")
    sd = parse_paths(sd)
    for path in sd:
        if path[0] in NEVER_DISCLOSABLE:
            raise JoseError(
                f"claim {path[0]!r} must not be selectively disclosable in an SD-JWT VC", code="CLAIM_NOT_DISCLOSABLE"
            )
    reserved = (NEVER_DISCLOSABLE | {"iat"}) & set(claims)
    if reserved:
        raise UsageError(f"pass {', '.join(sorted(reserved))} as options, not inside claims")
    iss = iss or key_dids(key.public)[0]
    if kid is None and iss.startswith("did:"):
        kid = default_kid(key.public, iss)
    full: dict[str, Any] = {"iss": iss, "iat": to_numeric_date((now or datetime.now(timezone.utc)))}
    for name, value in (("nbf", _numeric(not_before)), ("exp", _numeric(expires))):
        if value is not None:
            full[name] = value
    full["vct"] = vct
    if status is not None:
        full["status"] = copy.deepcopy(dict(status))
    full.update(claims)  # build_sd_payload rebuilds every object and array: no aliasing of the caller's
    return issue_sd_jwt(full, key, sd=sd, holder_key=holder_key, typ=typ, kid=kid, alg=alg, rng=rng, decoys=decoys)


def issue_sd_jwt_vc_from_credential(
    credential: Mapping[str, Any],
    key: KeyPair,
    *,
    vct: str | None = None,
    sd: Iterable[PathLike] = (),
    **options: Any,
) -> str:
    """An SD-JWT VC from a VCDM credential: ``credentialSubject`` claims become the claims
    (``id`` becomes ``sub``), ``vct`` defaults to the most specific ``type``, ``issuer`` becomes
    ``iss``, ``validFrom``/``validUntil`` become ``nbf``/``exp``. ``sd`` paths may be written
    relative to the claims or with a leading ``credentialSubject.``.

    ``options`` go to ``issue_sd_jwt_vc`` (holder_key, kid, now, rng, decoys ...).
    """
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        raise UsageError("the credential needs one credentialSubject object to become an SD-JWT VC")
    claims = copy.deepcopy(dict(subject))
    if "id" in claims:
        claims["sub"] = claims.pop("id")
    if vct is None:
        types = credential.get("type")
        types = [types] if isinstance(types, str) else list(types or [])
        specific = [t for t in types if t != "VerifiableCredential"]
        if not specific:
            raise UsageError("the credential has no specific type to use as 'vct'; pass vct=")
        vct = specific[-1]
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if isinstance(issuer, str):
        options.setdefault("iss", issuer)
    for prop, option in (("validFrom", "not_before"), ("validUntil", "expires")):
        if prop in credential:
            options.setdefault(option, parse_datetime(credential[prop], what=prop))
    relative = [_strip_subject(p) for p in parse_paths(sd)]
    return issue_sd_jwt_vc(claims, key, vct=vct, sd=relative, **options)


def _strip_subject(path: ClaimPath) -> ClaimPath:
    if len(path) > 1 and path[0] == "credentialSubject":
        path = path[1:]
    if path[0] == "id":
        return ("sub",) + path[1:]
    return path
