"""Compact JWS (RFC 7515) with a registry of asymmetric algorithms and strict header rules.

Only asymmetric algorithms are in the registry, so a MAC algorithm can never be tried with a
public key as its secret (key confusion). Verification refuses, each with its own code:

- ``alg: none`` -> ``ALG_NONE``; ``HS256``/``HS384``/``HS512`` -> ``ALG_SYMMETRIC``
- an algorithm outside the caller's allow-list (or unknown) -> ``ALG_NOT_ALLOWED``
- an algorithm that does not fit the key type (``EdDSA`` with a P-256 key) -> ``ALG_KEY_MISMATCH``
- ``crit`` naming a parameter the caller does not understand -> ``CRIT_UNSUPPORTED``
- an unexpected ``typ`` -> ``TYP_MISMATCH``
- bad structure, base64url or JSON -> ``MALFORMED_JWS``; over the size limit -> ``JWS_TOO_LARGE``
- a signature that does not verify -> ``INVALID_SIGNATURE``

Keys never come from the header (``jwk``, ``jku``, ``x5u`` are ignored): the caller looks the
key up from ``kid`` through a trusted source (see ``vc.jose.issuer_keys``).

>>> token = sign_compact({"sub": "x"}, key, header={"typ": "JWT"})
>>> jws = verify_compact(token, key.public, typ=("JWT",))
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.errors import JoseError, MalformedError
from vc.keys import KeyPair, PublicKey

from .json_codec import compact_dumps, strict_loads

__all__ = [
    "CompactJws",
    "DEFAULT_ALGS",
    "JWS_ALGORITHMS",
    "JwsAlgorithm",
    "MAX_JWS_BYTES",
    "algorithm_for_key",
    "check_header",
    "get_algorithm",
    "normalize_typ",
    "parse_compact",
    "sign_compact",
    "verify_compact",
    "verify_signature",
]

MAX_JWS_BYTES = 1_000_000
"""Refuse larger compact JWS strings before decoding anything (a credential is a few kB)."""


@dataclass(frozen=True, slots=True)
class JwsAlgorithm:
    """One JWS ``alg``: the key type it needs; signing/verifying are the key type's own."""

    name: str  # "EdDSA"
    key_alg: str  # key type name in vc.keys: "Ed25519", "P-256", ...

    def sign(self, key: KeyPair, signing_input: bytes) -> bytes:
        """Sign with ``key``; ``ALG_KEY_MISMATCH`` when the key is of another type."""
        if key.alg != self.key_alg:
            raise JoseError(
                f"alg {self.name} needs a {self.key_alg} key, not {key.alg}", code="ALG_KEY_MISMATCH"
            )
        return key.sign(signing_input)

    def verify(self, key: PublicKey, signing_input: bytes, signature: bytes) -> bool:
        """True for a valid signature; False for a bad one or a key of another type (never raises)."""
        return key.alg == self.key_alg and key.verify(signature, signing_input)


JWS_ALGORITHMS: dict[str, JwsAlgorithm] = {
    a.name: a
    for a in (
        JwsAlgorithm("EdDSA", "Ed25519"),
        JwsAlgorithm("Ed25519", "Ed25519"),  # RFC 9864 fully-specified name
        JwsAlgorithm("ES256", "P-256"),
        JwsAlgorithm("ES384", "P-384"),  # usable when vc.keys registers the P-384 key type
        JwsAlgorithm("ES512", "P-521"),  # likewise P-521
    )
}
"""Asymmetric algorithms only. ``alg`` for a key: ``JWS_ALGORITHMS`` entry whose key_alg is key.alg."""

DEFAULT_ALGS: frozenset[str] = frozenset(JWS_ALGORITHMS)

# named only to refuse them with their own code: a MAC "verified" with a public key as the
# secret is the classic key-confusion forgery
_SYMMETRIC = frozenset({"HS256", "HS384", "HS512"})

# RFC 7515 section 4.1.11: crit must not list parameters this spec (or RFC 7516) defines
_REGISTERED = frozenset(
    {"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip"}
)


def get_algorithm(name: Any, *, allowed: Collection[str] = DEFAULT_ALGS) -> JwsAlgorithm:
    """The registered algorithm ``name`` if the caller allows it; a coded JoseError otherwise."""
    if not isinstance(name, str) or not name:
        raise JoseError("JWS header 'alg' is missing or not a string", code="MALFORMED_JWS")
    if name.lower() == "none":
        raise JoseError("JWS 'alg: none' (an unsecured JWS) is never accepted", code="ALG_NONE")
    if name.upper() in _SYMMETRIC:
        raise JoseError(
            f"JWS alg {name} is a shared-secret MAC; only asymmetric signatures are accepted",
            code="ALG_SYMMETRIC",
        )
    alg = JWS_ALGORITHMS.get(name)
    if alg is None or name not in allowed:
        raise JoseError(
            f"JWS alg {name} is not allowed; allowed: {', '.join(sorted(a for a in allowed))}",
            code="ALG_NOT_ALLOWED",
        )
    return alg


def algorithm_for_key(key: KeyPair | PublicKey) -> JwsAlgorithm:
    """The default algorithm for a key type (EdDSA for Ed25519, ES256 for P-256 ...)."""
    for alg in JWS_ALGORITHMS.values():
        if alg.key_alg == key.alg and alg.name != "Ed25519":
            return alg
    raise JoseError(f"no JWS algorithm for key type {key.alg}", code="ALG_KEY_MISMATCH")


@dataclass(frozen=True, slots=True)
class CompactJws:
    """A parsed (not yet verified) compact JWS: decoded header, payload bytes, signature."""

    header: dict[str, Any]
    payload: bytes
    signature: bytes
    signing_input: bytes  # ASCII(BASE64URL(header) || '.' || BASE64URL(payload))

    def payload_json(self, *, what: str = "JWS payload") -> dict[str, Any]:
        """The payload as a JSON object (``MALFORMED_JWS`` otherwise)."""
        value = strict_loads(self.payload, what=what)
        if not isinstance(value, dict):
            raise JoseError(f"{what} is not a JSON object", code="MALFORMED_JWS")
        return value


def _segment(value: str, name: str) -> bytes:
    try:
        return b64url_decode(value)
    except MalformedError as exc:
        raise JoseError(f"JWS {name} segment: {exc.message}", code="MALFORMED_JWS") from None


def parse_compact(token: str, *, max_bytes: int = MAX_JWS_BYTES) -> CompactJws:
    """Split and decode a compact JWS; ``MALFORMED_JWS`` / ``JWS_TOO_LARGE`` when it cannot be."""
    if isinstance(token, (bytes, bytearray)):
        try:
            token = bytes(token).decode("ascii")
        except UnicodeDecodeError:
            raise JoseError("a compact JWS must be ASCII", code="MALFORMED_JWS") from None
    if not isinstance(token, str):
        raise JoseError("a compact JWS must be a string", code="MALFORMED_JWS")
    if len(token) > max_bytes:
        raise JoseError(f"compact JWS is larger than {max_bytes} bytes", code="JWS_TOO_LARGE")
    token = token.strip()
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError(
            f"a compact JWS has 3 dot-separated parts, this has {len(parts)}", code="MALFORMED_JWS"
        )
    h, p, s = parts
    header = strict_loads(_segment(h, "header"), what="JWS header")
    if not isinstance(header, dict):
        raise JoseError("JWS header is not a JSON object", code="MALFORMED_JWS")
    payload = _segment(p, "payload")
    signature = _segment(s, "signature")
    return CompactJws(header, payload, signature, f"{h}.{p}".encode("ascii"))


def normalize_typ(value: str) -> str:
    """RFC 7515 section 4.1.9: media types compare case-insensitively, ``application/`` optional."""
    v = value.strip().lower()
    return v[len("application/") :] if v.startswith("application/") else v


def check_header(
    header: Mapping[str, Any],
    *,
    algs: Collection[str] = DEFAULT_ALGS,
    typ: Collection[str] | None = None,
    understood: Collection[str] = (),
) -> JwsAlgorithm:
    """Check ``alg`` against the allow-list, ``typ`` (when expected values are given) and ``crit``.

    ``understood`` names the extension parameters the caller processes (for ``crit``).
    """
    alg = get_algorithm(header.get("alg"), allowed=algs)
    # 'kid' is not checked here: only key lookups read it, and they need a string (the reference
    # SD-JWT test cases carry an integer kid that must not break verification with a pinned key)
    for name in ("typ", "cty"):
        if name in header and not isinstance(header[name], str):
            raise JoseError(f"JWS header '{name}' must be a string", code="MALFORMED_JWS")
    if typ is not None:
        got = header.get("typ")
        expected = {normalize_typ(t) for t in typ}
        if not isinstance(got, str) or normalize_typ(got) not in expected:
            raise JoseError(
                f"JWS header 'typ' must be {' or '.join(sorted(expected))}", code="TYP_MISMATCH"
            )
    if "crit" in header:
        crit = header["crit"]
        if (
            not isinstance(crit, list)
            or not crit
            or not all(isinstance(c, str) for c in crit)
            or len(set(crit)) != len(crit)
        ):
            raise JoseError("JWS header 'crit' must be a non-empty list of distinct names", code="MALFORMED_JWS")
        for name in crit:
            if name in _REGISTERED:
                raise JoseError(f"JWS 'crit' must not list the registered parameter '{name}'", code="MALFORMED_JWS")
            if name not in header:
                raise JoseError(f"JWS 'crit' lists '{name}' but the header lacks it", code="MALFORMED_JWS")
            if name not in understood:
                raise JoseError(
                    f"JWS 'crit' requires the extension '{name}', which is not supported",
                    code="CRIT_UNSUPPORTED",
                )
    if "b64" in header and header["b64"] is not True:
        # RFC 7797 unencoded payloads change what is signed; we do not implement them
        raise JoseError("JWS 'b64: false' (RFC 7797) is not supported", code="CRIT_UNSUPPORTED")
    return alg


def verify_signature(jws: CompactJws, key: PublicKey, alg: JwsAlgorithm) -> None:
    """Raise ``ALG_KEY_MISMATCH`` or ``INVALID_SIGNATURE`` unless ``key`` verifies ``jws`` under ``alg``."""
    if key.alg != alg.key_alg:
        raise JoseError(
            f"JWS alg {alg.name} does not fit the {key.alg} key it must verify with",
            code="ALG_KEY_MISMATCH",
        )
    if not alg.verify(key, jws.signing_input, jws.signature):
        raise JoseError("the JWS signature does not verify with the issuer's key", code="INVALID_SIGNATURE")


def sign_compact(
    payload: Mapping[str, Any] | bytes,
    key: KeyPair,
    *,
    header: Mapping[str, Any] | None = None,
    alg: str | None = None,
    dumps: Callable[[Any], str] = compact_dumps,
) -> str:
    """Sign ``payload`` (a JSON object, or bytes as they are) as a compact JWS.

    The protected header is ``alg`` first, then ``header``'s members in order. ``alg`` defaults to
    the key type's algorithm. ``dumps`` serializes header and payload (tests pass ``json.dumps``
    to reproduce other implementations' bytes).
    """
    algorithm = get_algorithm(alg, allowed=JWS_ALGORITHMS) if alg else algorithm_for_key(key)
    protected: dict[str, Any] = {"alg": algorithm.name}
    for name, value in (header or {}).items():
        if name != "alg":
            protected[name] = value
    body = payload if isinstance(payload, (bytes, bytearray)) else dumps(payload).encode("utf-8")
    signing_input = (
        b64url_encode(dumps(protected).encode("utf-8")) + "." + b64url_encode(bytes(body))
    ).encode("ascii")
    signature = algorithm.sign(key, signing_input)
    return signing_input.decode("ascii") + "." + b64url_encode(signature)


def verify_compact(
    token: str,
    key: PublicKey,
    *,
    algs: Collection[str] = DEFAULT_ALGS,
    typ: Collection[str] | None = None,
    understood: Collection[str] = (),
) -> CompactJws:
    """Parse, check the header, verify the signature with ``key``; the parsed JWS or a JoseError."""
    jws = parse_compact(token)
    alg = check_header(jws.header, algs=algs, typ=typ, understood=understood)
    verify_signature(jws, key, alg)
    return jws
