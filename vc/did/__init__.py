"""DIDs: did:key, did:jwk, did:web and a resolver with a method registry and offline documents."""

from vc.did.jwk import did_jwk, did_jwk_document
from vc.did.key import did_key, did_key_document, did_key_public_key
from vc.did.resolver import DidMethod, DidResolver, JwkDidMethod, KeyDidMethod, default_resolver
from vc.did.url import DidUrl, absolute_id, parse_did, parse_did_url
from vc.did.verification_method import verification_method_key
from vc.did.web import WebDidMethod, did_web, did_web_document, did_web_url

__all__ = [
    "DidMethod",
    "DidResolver",
    "DidUrl",
    "JwkDidMethod",
    "KeyDidMethod",
    "WebDidMethod",
    "absolute_id",
    "default_resolver",
    "did_jwk",
    "did_jwk_document",
    "did_key",
    "did_key_document",
    "did_key_public_key",
    "did_web",
    "did_web_document",
    "did_web_url",
    "parse_did",
    "parse_did_url",
    "verification_method_key",
]
