import pytest

from vc.did import DidResolver, default_resolver, did_jwk, did_key
from vc.encoding import encode_base58
from vc.errors import (
    DidMethodNotSupportedError,
    DidResolutionError,
    InvalidDidError,
    InvalidKeyError,
    UnsupportedKeyTypeError,
    VerificationMethodNotFoundError,
)
from vc.keys import KeyPair

DID = "did:web:city.example.jp"
OTHER = "did:web:prefecture.example.jp"
ED = KeyPair.from_seed(bytes(range(32))).public
ED_2 = KeyPair.from_seed(bytes(range(1, 33))).public
P256 = KeyPair.from_seed(bytes(31) + b"\x07", "P-256").public


def _document():
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": DID,
        "verificationMethod": [
            {"id": "#multikey", "type": "Multikey", "controller": DID, "publicKeyMultibase": ED.to_multibase()},
            {"id": f"{DID}#jwk", "type": "JsonWebKey", "controller": DID, "publicKeyJwk": P256.to_jwk()},
            {"id": f"{DID}#jwk2020", "type": "JsonWebKey2020", "controller": DID,
             "publicKeyJwk": {k: v for k, v in P256.to_jwk().items() if k != "kid"}},
            {"id": "#ed2020", "type": "Ed25519VerificationKey2020", "controller": DID,
             "publicKeyMultibase": ED_2.to_multibase()},
            {"id": "#ed2018", "type": "Ed25519VerificationKey2018", "controller": DID,
             "publicKeyBase58": encode_base58(ED_2.raw)},
            {"id": "#delegated", "type": "Multikey", "controller": OTHER, "publicKeyMultibase": ED.to_multibase()},
            {"id": "#unknown", "type": "RsaVerificationKey2018", "controller": DID, "publicKeyPem": "..."},
        ],
        "assertionMethod": ["#multikey", f"{DID}#jwk", "#ed2020", "#delegated"],
        "authentication": [
            "#ed2018",
            {"id": "#embedded", "type": "Multikey", "controller": DID, "publicKeyMultibase": ED_2.to_multibase()},
        ],
    }


def _other_document():
    return {"id": OTHER, "assertionMethod": [f"{DID}#delegated"]}


@pytest.fixture
def resolver():
    return DidResolver(preloaded={DID: _document(), OTHER: _other_document()})


@pytest.mark.parametrize(
    ("fragment", "key"),
    [("multikey", ED), ("jwk", P256), ("jwk2020", P256), ("ed2020", ED_2), ("ed2018", ED_2), ("embedded", ED_2)],
)
def test_dereference_and_key_for_each_vm_type(resolver, fragment, key):
    vm = resolver.dereference(f"{DID}#{fragment}")
    assert vm["id"] == f"{DID}#{fragment}"
    assert isinstance(vm["type"], str) and vm["controller"] in (DID, OTHER)
    assert resolver.verification_method_key(vm) == key


def test_query_and_path_variants_are_tolerated(resolver):
    assert resolver.dereference(f"{DID}?versionId=3#multikey")["id"] == f"{DID}#multikey"
    assert resolver.resolve(f"{DID}?versionTime=2024-01-01T00:00:00Z")["id"] == DID
    assert resolver.resolve(f"{DID}#multikey")["id"] == DID


@pytest.mark.parametrize(
    ("fragment", "purpose", "expected"),
    [
        ("multikey", "assertionMethod", True),
        ("jwk", "assertionMethod", True),
        ("multikey", "authentication", False),
        ("ed2018", "authentication", True),
        ("embedded", "authentication", True),
        ("embedded", "assertionMethod", False),
        ("jwk2020", "assertionMethod", False),
        ("multikey", "capabilityInvocation", False),
        ("multikey", "nonsense", False),
        # controlled by OTHER, whose document authorizes it
        ("delegated", "assertionMethod", True),
        ("delegated", "authentication", False),
    ],
)
def test_is_authorized(resolver, fragment, purpose, expected):
    assert resolver.is_authorized(f"{DID}#{fragment}", purpose) is expected


def test_controller_document_is_the_authority():
    # OTHER's document does not list the delegated key, even though DID's own document does
    resolver = DidResolver(preloaded={DID: _document(), OTHER: {"id": OTHER, "assertionMethod": []}})
    assert not resolver.is_authorized(f"{DID}#delegated", "assertionMethod")


def test_missing_method(resolver):
    with pytest.raises(VerificationMethodNotFoundError):
        resolver.dereference(f"{DID}#nope")
    with pytest.raises(VerificationMethodNotFoundError):
        resolver.dereference(DID)


def test_unknown_vm_type(resolver):
    with pytest.raises(UnsupportedKeyTypeError):
        resolver.verification_method_key(resolver.dereference(f"{DID}#unknown"))


@pytest.mark.parametrize(
    "vm",
    [
        {"type": "Multikey"},
        {"type": "Multikey", "publicKeyMultibase": "z0OIl"},
        {"type": "JsonWebKey", "publicKeyJwk": "x"},
        {"type": "JsonWebKey", "publicKeyJwk": KeyPair.generate().to_jwk(private=True)},
        {"type": "Ed25519VerificationKey2020", "publicKeyMultibase": P256.to_multibase()},
        {"type": "Ed25519VerificationKey2018", "publicKeyBase58": "0OIl"},
        {"type": "Ed25519VerificationKey2018", "publicKeyBase58": encode_base58(bytes(31))},
        "not an object",
    ],
    ids=["no-key", "bad-multibase", "jwk-not-object", "private-jwk", "2020-not-ed25519", "bad-base58",
         "short-2018", "string"],
)
def test_bad_verification_methods(vm):
    with pytest.raises(InvalidKeyError):
        DidResolver().verification_method_key(vm)


def test_preloaded_documents_are_checked_and_copied():
    with pytest.raises(DidResolutionError):
        DidResolver(preloaded={DID: {"id": OTHER}})
    with pytest.raises(InvalidDidError):
        DidResolver(preloaded={"not-a-did": {"id": "not-a-did"}})
    document = _document()
    resolver = DidResolver(preloaded=[document])  # an iterable of documents keyed by their ids
    document["assertionMethod"].clear()
    assert resolver.is_authorized(f"{DID}#multikey", "assertionMethod")
    resolver.resolve(DID)["assertionMethod"].clear()
    assert resolver.is_authorized(f"{DID}#multikey", "assertionMethod")


def test_preloaded_wins_over_methods():
    did = did_key(ED)
    pinned = {"id": did, "verificationMethod": [], "assertionMethod": []}
    resolver = DidResolver().with_preloaded({did: pinned})
    assert resolver.resolve(did) == pinned
    assert DidResolver().resolve(did) != pinned
    assert resolver.preloaded == (did,)


def test_method_registry():
    resolver = DidResolver(methods=[])
    with pytest.raises(DidMethodNotSupportedError):
        resolver.resolve(did_key(ED))

    class ExampleMethod:
        name = "example"

        def resolve(self, did):
            return {"id": did, "verificationMethod": [
                {"id": "#k", "type": "Multikey", "controller": did, "publicKeyMultibase": ED.to_multibase()}]}

    extended = DidResolver().with_methods(ExampleMethod())
    assert extended.methods == ("example", "jwk", "key", "web")
    assert extended.verification_method_key(extended.dereference("did:example:123#k")) == ED
    with pytest.raises(DidMethodNotSupportedError):
        DidResolver().resolve("did:example:123")


def test_method_returning_wrong_id_is_refused():
    class Liar:
        name = "liar"

        def resolve(self, did):
            return {"id": "did:liar:someone-else"}

    with pytest.raises(DidResolutionError):
        DidResolver(methods=[Liar()]).resolve("did:liar:me")


def test_default_resolver_is_shared_and_offline_for_key_and_jwk():
    assert default_resolver() is default_resolver()
    for public in (ED, P256):
        for did, fragment in ((did_key(public), public.to_multibase()), (did_jwk(public), "0")):
            vm = default_resolver().dereference(f"{did}#{fragment}")
            assert default_resolver().verification_method_key(vm) == public
            assert default_resolver().is_authorized(vm["id"], "assertionMethod")
            assert default_resolver().is_authorized(vm["id"], "authentication")


def test_did_key_fragment_must_match():
    did = did_key(ED)
    with pytest.raises(VerificationMethodNotFoundError):
        DidResolver().dereference(f"{did}#{ED_2.to_multibase()}")


# --- what the resolver keeps between calls ------------------------------------------------------


def test_dereferenced_methods_are_copies_even_when_kept(resolver):
    for did_url in (f"{DID}#jwk", f"{did_key(ED)}#{ED.to_multibase()}", f"{did_jwk(P256)}#0"):
        first = resolver.dereference(did_url)
        first["controller"] = "did:example:mallory"
        first.get("publicKeyJwk", {}).clear()
        second = resolver.dereference(did_url)
        assert second["controller"] != "did:example:mallory" and second == resolver.dereference(did_url)
        assert resolver.verification_method_key(second) in (ED, P256)


class _Rotating:
    """A method whose document changes over time (as a did:web document may): nothing may be kept."""

    name = "rotating"

    def __init__(self) -> None:
        self.rotated = False
        self.calls = 0

    def resolve(self, did):
        self.calls += 1
        key, relationship = (ED_2, "authentication") if self.rotated else (ED, "assertionMethod")
        return {"id": did, relationship: ["#k"],
                "verificationMethod": [{"id": "#k", "type": "Multikey", "controller": did,
                                        "publicKeyMultibase": key.to_multibase()}]}


def test_documents_of_other_methods_are_resolved_every_time():
    method = _Rotating()
    resolver = DidResolver().with_methods(method)

    def answers() -> tuple:
        key = resolver.verification_method_key(resolver.dereference("did:rotating:x#k"))
        return key, resolver.is_authorized("did:rotating:x#k", "assertionMethod")

    assert answers() == answers() == (ED, True)
    method.rotated = True
    assert answers() == (ED_2, False)
    assert method.calls == 9


def test_deterministic_methods_are_asked_once_per_did_url():
    class CountingKeys:
        name = "key"
        deterministic = True

        def __init__(self) -> None:
            self.calls = 0

        def resolve(self, did):
            self.calls += 1
            return DidResolver().resolve(did)

    method = CountingKeys()
    resolver = DidResolver(methods=[method])
    vm_id = f"{did_key(ED)}#{ED.to_multibase()}"
    for _ in range(3):
        assert resolver.dereference(vm_id)["id"] == vm_id
        assert resolver.is_authorized(vm_id, "assertionMethod") and not resolver.is_authorized(vm_id, "keyAgreement")
    assert method.calls == 3  # dereference once; is_authorized resolves the controller once per purpose
    assert DidResolver(methods=[method]).with_preloaded({}).dereference(vm_id) and method.calls == 4


def test_preloaded_documents_are_kept_per_resolver():
    pinned = DidResolver(preloaded={DID: _document(), OTHER: _other_document()})
    assert pinned.is_authorized(f"{DID}#multikey", "assertionMethod")
    changed = _document()
    changed["assertionMethod"] = []
    replaced = pinned.with_preloaded({DID: changed})  # a new resolver: it must not reuse the old answers
    assert not replaced.is_authorized(f"{DID}#multikey", "assertionMethod")
    assert pinned.is_authorized(f"{DID}#multikey", "assertionMethod")
