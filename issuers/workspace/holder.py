"""Who a credential is about and bound to: the subject ``id`` (a DID) and the holder's public key (``cnf``).

A holder is given as a public key (``PublicKey``, ``KeyPair`` or a JWK object: the subject is its
did:key), or as a DID. did:key and did:jwk carry their key, so they bind an SD-JWT VC offline; any
other DID is only the subject id (an SD-JWT VC for it needs the key itself). A ``Holder`` given as such
is used as it is: ``Holder(subject_id="urn:uuid:...", jwk=parent_jwk)`` is a credential about someone
else (a child) bound to the key of the person who holds and presents it (a parent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vc.did import did_key, did_key_public_key, parse_did
from vc.did.jwk import did_jwk_public_jwk
from vc.errors import UsageError, VcError
from vc.keys import KeyPair, PublicKey

__all__ = ["Holder", "HolderInput", "resolve_holder"]


@dataclass(frozen=True, slots=True)
class Holder:
    """``subject_id`` goes in ``credentialSubject.id`` / ``sub``; ``jwk`` (public) in ``cnf``."""

    subject_id: str | None = None
    jwk: Mapping[str, Any] | None = None


HolderInput = Holder | PublicKey | KeyPair | Mapping[str, Any] | str | None


def resolve_holder(holder: HolderInput) -> Holder:
    """The subject id and binding key for ``holder``; UsageError for something that is neither."""
    if holder is None:
        return Holder()
    if isinstance(holder, Holder):
        return holder
    if isinstance(holder, KeyPair):
        holder = holder.public
    if isinstance(holder, Mapping):
        try:
            holder = PublicKey.from_jwk(dict(holder))
        except VcError as exc:
            raise UsageError(f"the holder key is not a usable public JWK: {exc.message}") from None
    if isinstance(holder, PublicKey):
        return Holder(did_key(holder), holder.to_jwk())
    if isinstance(holder, str):
        try:
            method = parse_did(holder).method
            if method == "key":
                return Holder(holder, did_key_public_key(holder).to_jwk())
            if method == "jwk":
                return Holder(holder, PublicKey.from_jwk(did_jwk_public_jwk(holder)).to_jwk())
        except VcError as exc:
            raise UsageError(f"the holder is not a usable DID: {exc.message}") from None
        return Holder(holder, None)
    raise UsageError("holder must be a public key, a JWK object, a DID or a Holder")
