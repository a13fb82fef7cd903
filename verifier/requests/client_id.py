"""Client Identifier Prefixes (OpenID4VP 1.0 section 5.9): how a wallet identifies this verifier.

- ``redirect_uri:<response_uri>`` — no key; the request cannot be signed, so the verifier's
  name and purpose travel unsigned. Each request has its own response URI, hence its own
  client_id (and the presentation's audience names the request too).
- ``decentralized_identifier:<did>`` — the request object is a JWT signed with a key of the DID's
  document (``kid`` = the verification method's DID URL); the wallet resolves the DID.

The full string, prefix included, is the audience of every presentation (KB-JWT ``aud``,
vp+jwt ``aud``, Data Integrity ``domain``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vc.errors import PresentationRequestError, UsageError
from vc.keys import KeyPair

__all__ = ["CLIENT_ID_PREFIXES", "ClientIdPrefix", "VerifierIdentity", "split_client_id"]


@dataclass(frozen=True, slots=True)
class ClientIdPrefix:
    """One prefix: whether its requests are signed and how its client_id is formed."""

    name: str
    signed: bool
    client_id: Callable[["VerifierIdentity", str], str]  # (identity, response_uri) -> client_id


CLIENT_ID_PREFIXES: dict[str, ClientIdPrefix] = {
    p.name: p
    for p in (
        ClientIdPrefix("redirect_uri", False, lambda ident, response_uri: f"redirect_uri:{response_uri}"),
        ClientIdPrefix("decentralized_identifier", True, lambda ident, response_uri: f"decentralized_identifier:{ident.did}"),
    )
}


def split_client_id(client_id: str) -> tuple[str | None, str]:
    """``(prefix, original client id)``; prefix None when the value before the first ``:`` is not
    a prefix this verifier knows (a pre-registered client id)."""
    head, sep, rest = client_id.partition(":")
    if sep and head in CLIENT_ID_PREFIXES:
        return head, rest
    return None, client_id


@dataclass(frozen=True)
class VerifierIdentity:
    """Who the verifier is to the wallet.

    ``base_url`` is the public HTTPS origin (and path prefix) of the verifier service: request
    and response URIs are built under it. ``name`` holds ``ja``/``en`` display names. With the
    ``decentralized_identifier`` prefix, ``did``, ``key`` and ``kid`` (a DID URL of ``did``)
    sign request objects.
    """

    base_url: str
    name: dict[str, str] = field(default_factory=lambda: {"ja": "検証者", "en": "Verifier"})
    prefix: str = "redirect_uri"
    did: str | None = None
    key: KeyPair | None = field(default=None, repr=False)
    kid: str | None = None

    def __post_init__(self) -> None:
        if self.prefix not in CLIENT_ID_PREFIXES:
            raise PresentationRequestError(
                f"client id prefix must be one of {', '.join(CLIENT_ID_PREFIXES)}", code="CLIENT_ID_PREFIX_UNSUPPORTED"
            )
        if not self.base_url.startswith(("https://", "http://")):
            raise UsageError("base_url must be an absolute http(s) URL")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if CLIENT_ID_PREFIXES[self.prefix].signed:
            if not (self.did and self.key and self.kid):
                raise PresentationRequestError(
                    "the decentralized_identifier prefix signs requests: give did, key and kid",
                    code="REQUEST_SIGNING_KEY_MISSING",
                )
            if not self.kid.startswith(self.did + "#"):
                raise UsageError("kid must be a DID URL of the verifier's did (did#fragment)")

    @property
    def signs_requests(self) -> bool:
        return CLIENT_ID_PREFIXES[self.prefix].signed

    def response_uri(self, request_id: str) -> str:
        return f"{self.base_url}/responses/{request_id}"

    def request_uri(self, request_id: str) -> str:
        return f"{self.base_url}/requests/{request_id}"

    def client_id(self, request_id: str) -> str:
        """The full client_id (prefix included) of one request."""
        return CLIENT_ID_PREFIXES[self.prefix].client_id(self, self.response_uri(request_id))

    def display_name(self) -> str:
        ja, en = self.name.get("ja"), self.name.get("en")
        return ja or en or "Verifier"

    def to_dict(self) -> dict[str, Any]:
        """Public facts only (never the key)."""
        return {"base_url": self.base_url, "name": dict(self.name), "prefix": self.prefix, "did": self.did, "kid": self.kid}
