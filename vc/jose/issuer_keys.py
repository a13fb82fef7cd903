"""Finding the key that must verify a JWS: a ``KeyLookup`` callback and its implementations.

A lookup gets the untrusted header and payload and returns a ``ResolvedKey`` (the key, who
controls it, its id) or raises a coded VcError. It never trusts key material carried in the
token itself (``jwk``/``jku``/``x5u`` headers are ignored).

- ``DidKeyLookup``: ``kid`` is a DID URL (absolute, or ``#fragment`` relative to a DID ``iss``);
  the verification method must be authorized for the proof purpose. Codes: ``KID_MISSING``,
  ``KID_NOT_DID_URL``, ``KID_NOT_FOUND``, ``KEY_PURPOSE_MISMATCH`` and the DID errors' own.
- ``StaticKeyLookup``: keys the verifier already trusts, by ``kid`` (tests, pinned issuers).
- ``vc.sdjwt.issuer_metadata.JwtVcIssuerLookup``: ``/.well-known/jwt-vc-issuer`` over HTTPS.
- ``FirstApplicable``: tries the lookups that apply to the token, in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from vc.errors import JoseError, KeyPurposeMismatchError, VerificationMethodNotFoundError
from vc.keys import PublicKey

__all__ = [
    "DidKeyLookup",
    "FirstApplicable",
    "KeyLookup",
    "ResolvedKey",
    "StaticKeyLookup",
    "issuer_id",
]


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    """A verification key and what is known about it."""

    key: PublicKey
    controller: str | None = None  # the DID or URL that controls the key; None = not known
    id: str | None = None  # verification method id or JWK kid


class KeyLookup(Protocol):
    """``lookup(header, payload, purpose=...) -> ResolvedKey``; raises a coded VcError when it cannot."""

    def __call__(self, header: Mapping[str, Any], payload: Mapping[str, Any], *, purpose: str) -> ResolvedKey: ...

    def applies(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> bool: ...


def issuer_id(payload: Mapping[str, Any]) -> str | None:
    """The issuer a token claims: ``iss``, else a VCDM ``issuer`` (string or ``id``), else ``holder``."""
    for name in ("iss", "issuer", "holder"):
        value = payload.get(name)
        if isinstance(value, dict):
            value = value.get("id")
        if isinstance(value, str) and value:
            return value
    return None


# did:key and did:jwk documents are derived from the DID itself and never change: their lookups
# are kept (bounded) so repeated verification does not rebuild the document
_SELF_CERTIFYING = ("did:key:", "did:jwk:")
_MAX_CACHED = 1024


@dataclass(frozen=True)
class DidKeyLookup:
    """Resolve ``kid`` as a DID URL with a ``vc.did.DidResolver`` and check the key's purpose."""

    resolver: Any  # vc.did.DidResolver (typed loosely so tests can pass a preloaded one)
    _cache: dict[tuple[str, str], ResolvedKey] = field(default_factory=dict, compare=False, repr=False)

    def applies(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
        kid = header.get("kid")
        if isinstance(kid, str) and kid.startswith("did:"):
            return True
        base = issuer_id(payload)
        return isinstance(kid, str) and kid.startswith("#") and bool(base and base.startswith("did:"))

    def __call__(self, header: Mapping[str, Any], payload: Mapping[str, Any], *, purpose: str) -> ResolvedKey:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise JoseError("JWS header has no 'kid'; it must name the signing key as a DID URL", code="KID_MISSING")
        if kid.startswith("#"):
            base = issuer_id(payload)
            if not base or not base.startswith("did:"):
                raise JoseError("a relative 'kid' needs a DID as 'iss' or 'issuer'", code="KID_NOT_DID_URL")
            kid = base.split("#", 1)[0] + kid
        if not kid.startswith("did:"):
            raise JoseError("JWS 'kid' is not a DID URL", code="KID_NOT_DID_URL")
        cached = self._cache.get((kid, purpose))
        if cached is not None:
            return cached
        found = self._resolve(kid, purpose)
        if kid.startswith(_SELF_CERTIFYING):
            if len(self._cache) >= _MAX_CACHED:
                self._cache.clear()
            self._cache[(kid, purpose)] = found
        return found

    def _resolve(self, kid: str, purpose: str) -> ResolvedKey:
        try:
            vm = self.resolver.dereference(kid)
        except VerificationMethodNotFoundError as exc:
            raise JoseError(
                "JWS 'kid' names no verification method in the DID document", code="KID_NOT_FOUND", kid=kid
            ) from exc
        if not self.resolver.is_authorized(kid, purpose):
            raise KeyPurposeMismatchError(
                f"the key named by 'kid' is not listed under '{purpose}' in its DID document", kid=kid
            )
        key = self.resolver.verification_method_key(vm)
        controller = vm.get("controller") if isinstance(vm.get("controller"), str) else kid.split("#", 1)[0]
        return ResolvedKey(key, controller, vm.get("id", kid))


@dataclass(frozen=True)
class StaticKeyLookup:
    """Keys the verifier trusts already, by ``kid``; a single key also serves tokens without ``kid``.

    >>> lookup = StaticKeyLookup({"key-1": issuer_public}, controller="https://issuer.example")
    """

    keys: Mapping[str, PublicKey]
    controller: str | None = None
    match_any_kid: bool = False  # one key for whatever kid the token names (test-suite fixtures)

    def applies(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
        kid = header.get("kid")
        return self.match_any_kid or kid in self.keys or (kid is None and len(self.keys) == 1)

    def __call__(self, header: Mapping[str, Any], payload: Mapping[str, Any], *, purpose: str) -> ResolvedKey:
        kid = header.get("kid")
        if isinstance(kid, str) and kid in self.keys:
            return ResolvedKey(self.keys[kid], self.controller, kid)
        if (kid is None or self.match_any_kid) and len(self.keys) == 1:
            (only_kid, key), = self.keys.items()
            return ResolvedKey(key, self.controller, only_kid)
        raise JoseError("no trusted key has the token's 'kid'", code="KID_NOT_FOUND")


@dataclass(frozen=True)
class FirstApplicable:
    """Use the first lookup that applies to the token (e.g. DID ``kid`` first, then issuer metadata)."""

    lookups: tuple[Any, ...] = field(default=())

    def applies(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
        return any(lk.applies(header, payload) for lk in self.lookups)

    def __call__(self, header: Mapping[str, Any], payload: Mapping[str, Any], *, purpose: str) -> ResolvedKey:
        for lookup in self.lookups:
            if lookup.applies(header, payload):
                return lookup(header, payload, purpose=purpose)
        if not isinstance(header.get("kid"), str):
            raise JoseError("JWS header has no 'kid' and no other way to find the issuer's key", code="KID_MISSING")
        raise JoseError(
            "no trusted way to find the key named by 'kid' (not a DID URL, no HTTPS issuer metadata)",
            code="ISSUER_KEY_NOT_FOUND",
        )
