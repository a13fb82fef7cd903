"""OpenID4VCI 1.0 key proofs of type ``jwt`` (Appendix F.1): the wallet shows it holds the key to bind.

Header: ``typ: openid4vci-proof+jwt``, an asymmetric ``alg``, and exactly one of ``jwk`` (a public key) or
``kid`` (a DID URL: did:key / did:jwk, resolved offline); ``x5c`` is not supported. Claims: ``aud`` = the
Credential Issuer Identifier, ``iat`` recent, ``nonce`` = a ``c_nonce`` from the nonce endpoint (checked and
used up by the caller, which owns the nonce store). Every refusal is an :class:`OAuthError` ``invalid_proof``
whose description names what failed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from vc.did import DidResolver, JwkDidMethod, KeyDidMethod, did_jwk
from vc.errors import VcError
from vc.jose.jws import check_header, parse_compact, verify_signature
from vc.keys import PublicKey

from .problems import OAuthError

__all__ = ["HolderKey", "KeyProof", "PROOF_ALGS", "PROOF_TYP", "verify_key_proof"]

PROOF_TYP = "openid4vci-proof+jwt"
PROOF_ALGS = ("EdDSA", "ES256")
_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_MAX_PROOF_CHARS = 16_384  # a key proof is a few hundred bytes

# holder DIDs are resolved offline only: a did:web kid would make the issuer fetch URLs a wallet chose
_OFFLINE_RESOLVER = DidResolver(methods=(KeyDidMethod(), JwkDidMethod()))


@dataclass(frozen=True, slots=True)
class HolderKey:
    """The key a credential is bound to: the public key, and the DID when the proof named one by ``kid``."""

    public: PublicKey
    did: str | None = None

    @property
    def subject_id(self) -> str:
        """The ``credentialSubject.id`` for W3C formats: the proof's DID, else the key's did:jwk."""
        return self.did or did_jwk(self.public)


@dataclass(frozen=True, slots=True)
class KeyProof:
    """A verified key proof: the holder key, and the ``nonce`` it carries (None when absent)."""

    key: HolderKey
    nonce: str | None
    issued_at: int


def _refuse(description: str) -> OAuthError:
    return OAuthError("invalid_proof", description)


def verify_key_proof(
    token: Any,
    *,
    audience: str,
    now: datetime,
    max_age: timedelta,
    skew: timedelta,
    algs: Collection[str] = PROOF_ALGS,
    resolver: DidResolver | None = None,
) -> KeyProof:
    """Check a ``jwt`` key proof's header, key, signature, ``aud`` and ``iat``; the holder key and nonce."""
    if not isinstance(token, str) or len(token) > _MAX_PROOF_CHARS:
        raise _refuse("each jwt key proof must be a compact JWT string")
    try:
        jws = parse_compact(token)
        alg = check_header(jws.header, algs=algs, typ=(PROOF_TYP,))
    except VcError as exc:
        raise _refuse(f"key proof header: {exc.message}") from None
    header = jws.header
    named = [h for h in ("jwk", "kid", "x5c") if h in header]
    if len(named) != 1:
        raise _refuse("the key proof header must carry exactly one of 'jwk' and 'kid' (a DID URL)")
    holder = _holder_key(header, resolver or _OFFLINE_RESOLVER)
    try:
        verify_signature(jws, holder.public, alg)
    except VcError:
        raise _refuse("the key proof signature does not verify with the key its header names") from None
    try:
        claims = jws.payload_json(what="key proof payload")
    except VcError as exc:
        raise _refuse(exc.message) from None
    aud = claims.get("aud")
    if not (aud == audience or (isinstance(aud, list) and audience in aud)):
        raise _refuse(f"the key proof 'aud' must be the credential issuer identifier {audience}")
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)):
        raise _refuse("the key proof needs 'iat' (seconds since the epoch)")
    moment = now.timestamp()
    if iat > moment + skew.total_seconds():
        raise _refuse("the key proof 'iat' is in the future; check the wallet's clock")
    if iat < moment - max_age.total_seconds():
        raise _refuse(f"the key proof 'iat' is older than {int(max_age.total_seconds())} seconds; make a new proof")
    nonce = claims.get("nonce")
    if nonce is not None and not isinstance(nonce, str):
        raise _refuse("the key proof 'nonce' must be a string")
    return KeyProof(key=holder, nonce=nonce, issued_at=int(iat))


def _holder_key(header: dict[str, Any], resolver: DidResolver) -> HolderKey:
    if "x5c" in header:
        raise _refuse("x5c key proofs are not supported; send the key as 'jwk' or a DID URL 'kid'")
    if "jwk" in header:
        jwk = header["jwk"]
        if not isinstance(jwk, dict):
            raise _refuse("the key proof 'jwk' must be a JSON object")
        if _PRIVATE_JWK_MEMBERS & set(jwk):
            raise _refuse("the key proof 'jwk' contains private key material; send only the public key")
        try:
            return HolderKey(PublicKey.from_jwk(jwk))
        except VcError as exc:
            raise _refuse(f"the key proof 'jwk' is not a usable public key: {exc.message}") from None
    kid = header["kid"]
    if not isinstance(kid, str) or not kid.startswith(("did:key:", "did:jwk:")) or "#" not in kid:
        raise _refuse("the key proof 'kid' must be a did:key or did:jwk DID URL with a fragment")
    try:
        vm = resolver.dereference(kid)
        if not resolver.is_authorized(kid, "authentication"):
            raise _refuse("the key proof 'kid' is not an authentication key of its DID")
        public = resolver.verification_method_key(vm)
    except VcError as exc:
        raise _refuse(f"the key proof 'kid' cannot be resolved: {exc.message}") from None
    return HolderKey(public, did=kid.split("#", 1)[0])
