"""Holder role: choose Disclosures by claim path and add a Key Binding JWT (RFC 9901 section 7.2).

Disclosing a path releases the claim there, every selectively disclosable claim on the way to
it (a nested claim needs its parents) and everything below it (disclosing ``address`` shows the
whole address). ``disclose=None`` releases everything; ``disclose=[]`` releases nothing.
Array positions count the elements of the Issuer-signed payload.

>>> presentation = present_sd_jwt(issued, disclose=["address.locality"], holder_key=holder,
...                               aud="https://verifier.example", nonce="n-0S6_WzA2Mj")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from vc.errors import JoseError, UsageError
from vc.jose.claims import to_numeric_date
from vc.jose.json_codec import compact_dumps
from vc.jose.jws import parse_compact, sign_compact
from vc.keys import KeyPair, PublicKey

from .claim_path import ClaimPath, PathLike, format_path, parse_paths
from .disclosure import SD_DIGESTS_KEY, SD_LIST_KEY, b64_digest, parse_disclosure
from .token import SdJwt, parse_sd_jwt

__all__ = ["ClaimNode", "claim_nodes", "disclosable_paths", "make_kb_jwt", "present_sd_jwt", "select_disclosures"]


@dataclass(frozen=True, slots=True)
class ClaimNode:
    """A claim of the (fully disclosed) credential: its path and its Disclosure, if it has one."""

    path: ClaimPath
    disclosure: str | None


def claim_nodes(token: SdJwt) -> list[ClaimNode]:
    """Every claim reachable with the Disclosures at hand (unverified; for choosing what to show)."""
    payload = parse_compact(token.issuer_jwt).payload_json(what="SD-JWT payload")
    alg = payload.get("_sd_alg", "sha-256")
    by_digest = {b64_digest(d, alg): parse_disclosure(d) for d in token.disclosures}
    nodes: list[ClaimNode] = []

    def walk(value: Any, path: ClaimPath) -> None:
        if isinstance(value, dict):
            digests = value.get(SD_DIGESTS_KEY, [])
            for digest in digests if isinstance(digests, list) else []:
                d = by_digest.get(digest) if isinstance(digest, str) else None
                if d is not None and d.name is not None:
                    nodes.append(ClaimNode(path + (d.name,), d.encoded))
                    walk(d.value, path + (d.name,))
            for name, item in value.items():
                if name == SD_DIGESTS_KEY or (not path and name == "_sd_alg"):
                    continue
                nodes.append(ClaimNode(path + (name,), None))
                walk(item, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict) and set(item) == {SD_LIST_KEY}:
                    d = by_digest.get(item[SD_LIST_KEY]) if isinstance(item[SD_LIST_KEY], str) else None
                    if d is not None and d.name is None:
                        nodes.append(ClaimNode(path + (i,), d.encoded))
                        walk(d.value, path + (i,))
                else:
                    nodes.append(ClaimNode(path + (i,), None))
                    walk(item, path + (i,))

    walk(payload, ())
    return nodes


def _matches(a: ClaimPath, b: ClaimPath) -> bool:
    """Component-wise equality where ``None`` in ``b`` matches any array index."""
    return len(a) == len(b) and all(y is None and isinstance(x, int) or x == y for x, y in zip(a, b))


def disclosable_paths(sd_jwt: str | SdJwt) -> list[ClaimPath]:
    """The paths of the selectively disclosable claims the holder can choose from."""
    token = sd_jwt if isinstance(sd_jwt, SdJwt) else parse_sd_jwt(sd_jwt)
    return [n.path for n in claim_nodes(token) if n.disclosure is not None]


def select_disclosures(token: SdJwt, disclose: Iterable[PathLike] | None) -> tuple[str, ...]:
    """The Disclosures (in issuance order) that release the ``disclose`` paths; UsageError for a
    path that names no claim."""
    if disclose is None:
        return token.disclosures
    nodes = claim_nodes(token)
    chosen: set[str] = set()
    for path in parse_paths(disclose):
        if not any(_matches(n.path, path) for n in nodes):
            raise UsageError(f"the credential has no claim at {format_path(path)!r} to disclose")
        for n in nodes:
            if n.disclosure is None:
                continue
            k = min(len(n.path), len(path))
            # on the way to the claim (ancestor) or inside it (descendant)
            if _matches(n.path[:k], path[:k]):
                chosen.add(n.disclosure)
    return tuple(d for d in token.disclosures if d in chosen)


def make_kb_jwt(
    sd_jwt_part: str,
    holder_key: KeyPair,
    *,
    aud: str,
    nonce: str,
    hash_alg: str = "sha-256",
    now: datetime | None = None,
    alg: str | None = None,
    dumps: Callable[[Any], str] = compact_dumps,
) -> str:
    """A Key Binding JWT (``typ: kb+jwt``; ``nonce``, ``aud``, ``iat``, ``sd_hash``) over ``sd_jwt_part``."""
    if not isinstance(aud, str) or not aud or not isinstance(nonce, str) or not nonce:
        raise UsageError("key binding needs the verifier's audience (aud) and nonce as non-empty strings")
    claims = {
        "nonce": nonce,
        "aud": aud,
        "iat": to_numeric_date(now or datetime.now(timezone.utc)),
        "sd_hash": b64_digest(sd_jwt_part, hash_alg),
    }
    return sign_compact(claims, holder_key, header={"typ": "kb+jwt"}, alg=alg, dumps=dumps)


def present_sd_jwt(
    sd_jwt: str,
    *,
    disclose: Iterable[PathLike] | None = None,
    holder_key: KeyPair | None = None,
    aud: str | None = None,
    nonce: str | None = None,
    now: datetime | None = None,
    alg: str | None = None,
    dumps: Callable[[Any], str] = compact_dumps,
) -> str:
    """A presentation of an issued SD-JWT with the chosen Disclosures; with ``holder_key`` (which
    must be the key in ``cnf``) it ends with a KB-JWT for ``aud`` and ``nonce``.

    Answers in the serialization it was given (compact, or JWS JSON).
    """
    token = parse_sd_jwt(sd_jwt)
    if token.kb_jwt is not None:
        raise JoseError("this is already a presentation (it has a KB-JWT); present the issued SD-JWT", code="KB_JWT_PRESENT")
    chosen = token.with_disclosures(select_disclosures(token, disclose))
    if holder_key is None:
        if aud is not None or nonce is not None:
            raise UsageError("aud and nonce need holder_key: they are carried by the Key Binding JWT")
        return chosen.serialize()
    payload = parse_compact(token.issuer_jwt).payload_json(what="SD-JWT payload")
    jwk = payload.get("cnf", {}).get("jwk") if isinstance(payload.get("cnf"), dict) else None
    if not isinstance(jwk, dict):
        raise JoseError("the SD-JWT has no 'cnf.jwk' holder key, so it cannot be key-bound", code="HOLDER_KEY_MISSING")
    if PublicKey.from_jwk(jwk) != holder_key.public:
        raise JoseError("holder_key is not the key this SD-JWT was issued to ('cnf')", code="HOLDER_KEY_MISMATCH")
    kb = make_kb_jwt(
        chosen.sd_jwt_part(),
        holder_key,
        aud=aud or "",
        nonce=nonce or "",
        hash_alg=payload.get("_sd_alg", "sha-256"),
        now=now,
        alg=alg,
        dumps=dumps,
    )
    return chosen.with_disclosures(chosen.disclosures, kb).serialize()
