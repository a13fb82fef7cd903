import pytest

from tests.support.static_server import StaticServer
from vc.did import DidResolver, WebDidMethod, did_web, did_web_document, did_web_url
from vc.errors import DidResolutionError, InvalidDidError, UsageError
from vc.keys import KeyPair


# --- URL mapping and the document builder ----------------------------------------------------


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
    ],
)
def test_did_web_url(did, url):
    # the first three are the did:web specification's examples
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "bad",
    ["did:web:", "did:web:example.com::x", "did:web:example.com:..", "did:web:example.com:%2E%2E",
     "did:web:user%40example.com", "did:web:example.com%2Fpath", "did:web:example.com%3A99999",
     "did:web:-example.com", "did:key:z6Mk", "did:web:example.com:a%2Fb"],
)
def test_did_web_url_refuses(bad):
    with pytest.raises(InvalidDidError):
        did_web_url(bad)


@pytest.mark.parametrize(
    ("value", "did"),
    [
        ("example.com", "did:web:example.com"),
        ("example.com:8443", "did:web:example.com%3A8443"),
        ("example.com/issuers/tokyo", "did:web:example.com:issuers:tokyo"),
        ("https://example.com/issuers/tokyo/did.json", "did:web:example.com:issuers:tokyo"),
        ("https://example.com/.well-known/did.json", "did:web:example.com"),
        ("did:web:example.com", "did:web:example.com"),
    ],
)
def test_did_web_from_domain(value, did):
    assert did_web(value) == did


def test_document_builder():
    ed, p256 = KeyPair.generate().public, KeyPair.generate("P-256").public
    document = did_web_document("city.example.jp/issuers/tokyo", [ed, p256], key_ids=["key-1", "key-2"])
    did = "did:web:city.example.jp:issuers:tokyo"
    assert document["id"] == did
    assert document["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    assert document["verificationMethod"] == [
        {"id": f"{did}#key-1", "type": "Multikey", "controller": did, "publicKeyMultibase": ed.to_multibase()},
        {"id": f"{did}#key-2", "type": "Multikey", "controller": did, "publicKeyMultibase": p256.to_multibase()},
    ]
    assert document["assertionMethod"] == [f"{did}#key-1", f"{did}#key-2"]
    assert document["authentication"] == [f"{did}#key-1", f"{did}#key-2"]
    resolver = DidResolver(preloaded={did: document})
    assert resolver.verification_method_key(resolver.dereference(f"{did}#key-2")) == p256
    assert resolver.is_authorized(f"{did}#key-1", "assertionMethod")
    assert not resolver.is_authorized(f"{did}#key-1", "capabilityInvocation")


def test_document_builder_jwk_and_default_ids():
    key = KeyPair.generate("P-256").public
    document = did_web_document("example.com", [key], vm_type="JsonWebKey")
    vm = document["verificationMethod"][0]
    assert vm["id"] == f"did:web:example.com#{key.thumbprint()}"
    assert vm["publicKeyJwk"]["x"] == key.to_jwk()["x"]
    assert "https://w3id.org/security/jwk/v1" in document["@context"]
    default = did_web_document("example.com", [key])
    assert default["verificationMethod"][0]["id"] == f"did:web:example.com#{key.to_multibase()}"


@pytest.mark.parametrize(
    "kwargs",
    [{"keys": []}, {"vm_type": "RsaKey"}, {"key_ids": ["a", "b"]}, {"key_ids": ["a"], "dup": True}],
)
def test_document_builder_misuse(kwargs):
    key = KeyPair.generate().public
    keys = kwargs.pop("keys", [key, key] if kwargs.pop("dup", False) else [key])
    with pytest.raises(UsageError):
        did_web_document("example.com", keys, **kwargs)


# --- resolution against a real HTTP server on 127.0.0.1 --------------------------------------


@pytest.fixture(scope="module")
def _shared_server():
    with StaticServer(content_type="application/did+json") as shared:
        yield shared


@pytest.fixture
def server(_shared_server):
    _shared_server.reset()
    return _shared_server


@pytest.fixture
def resolver(server):
    r = DidResolver(allow_http_for={server.authority}, timeout=2.0, max_bytes=16 * 1024)
    yield r


def _document(did, key):
    return did_web_document(did, [key], key_ids=["key-1"])


def test_resolves_root_document(server, resolver):
    key = KeyPair.generate().public
    server.serve("/.well-known/did.json", _document(server.did_web, key))
    document = resolver.resolve(server.did_web)
    assert document["id"] == server.did_web
    vm = resolver.dereference(server.did_web + "#key-1")
    assert resolver.verification_method_key(vm) == key
    assert resolver.is_authorized(server.did_web + "#key-1", "assertionMethod")


def test_resolves_path_based_did(server, resolver):
    did = server.did_web + ":issuers:tokyo"
    key = KeyPair.generate("P-256").public
    server.serve("/issuers/tokyo/did.json", _document(did, key), content_type="application/json; charset=utf-8")
    assert resolver.verification_method_key(resolver.dereference(did + "#key-1")) == key
    assert server.hits == {"/issuers/tokyo/did.json": 1}


def test_relative_ids_are_resolved_against_the_did(server, resolver):
    key = KeyPair.generate().public
    server.serve("/.well-known/did.json", {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": server.did_web,
        "verificationMethod": [{"id": "#key-1", "type": "Multikey", "controller": server.did_web,
                                "publicKeyMultibase": key.to_multibase()}],
        "assertionMethod": ["#key-1"],
    })
    vm = resolver.dereference(server.did_web + "#key-1")
    assert vm["id"] == server.did_web + "#key-1"
    assert resolver.is_authorized(server.did_web + "#key-1", "assertionMethod")
    assert resolver.is_authorized(server.did_web + "?versionId=1#key-1", "assertionMethod")


@pytest.mark.parametrize(
    ("status", "content_type", "body", "message"),
    [
        (404, "text/plain", b"not found", "HTTP 404"),
        (500, "application/json", b"{}", "HTTP 500"),
        (302, "text/html", b"", "HTTP 302"),
        (200, "text/html", b"<html></html>", "not served as JSON"),
        (200, "application/json", b"<html></html>", "not valid JSON"),
        (200, "application/json", b"[1, 2]", "not a JSON object"),
        (200, "application/json", b'{"id": "did:web:a", "id": "did:web:b"}', "not valid JSON"),
    ],
    ids=["404", "500", "redirect", "html-type", "non-json", "array", "duplicate-keys"],
)
def test_bad_responses(server, resolver, status, content_type, body, message):
    server.serve("/.well-known/did.json", body, status=status, content_type=content_type,
                 headers={"Location": "/elsewhere/did.json"})
    with pytest.raises(DidResolutionError) as info:
        resolver.resolve(server.did_web)
    assert message in info.value.message
    assert "/elsewhere/did.json" not in server.hits  # redirects are never followed


def test_missing_document_is_404(server, resolver):
    with pytest.raises(DidResolutionError) as info:
        resolver.resolve(server.did_web + ":nobody")
    assert info.value.detail["status"] == 404


def test_id_mismatch(server, resolver):
    other = f"did:web:127.0.0.1%3A{server.port}:someone:else"
    server.serve("/.well-known/did.json", _document(other, KeyPair.generate().public))
    with pytest.raises(DidResolutionError) as info:
        resolver.resolve(server.did_web)
    assert "'id'" in info.value.message


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "streamed"])
def test_oversize_body(server, resolver, declare_length):
    document = _document(server.did_web, KeyPair.generate().public)
    document["padding"] = "x" * (2 * 1024 * 1024)  # 2 MB against a 16 KB limit
    server.serve("/.well-known/did.json", document, declare_length=declare_length)
    with pytest.raises(DidResolutionError) as info:
        resolver.resolve(server.did_web)
    assert "limit" in info.value.message


def test_timeout(server):
    server.serve("/.well-known/did.json", _document(server.did_web, KeyPair.generate().public), delay=1.5)
    slow = DidResolver(allow_http_for={server.authority}, timeout=0.2)
    with pytest.raises(DidResolutionError) as info:
        slow.resolve(server.did_web)
    assert "timed out" in info.value.message


def test_cache_hits_and_expiry(server):
    now = [1000.0]
    resolver = DidResolver(allow_http_for={server.authority}, cache_ttl=60, clock=lambda: now[0])
    server.serve("/.well-known/did.json", _document(server.did_web, KeyPair.generate().public))
    first = resolver.resolve(server.did_web)
    first["assertionMethod"].append("tampered")  # callers get copies; the cache is unaffected
    second = resolver.resolve(server.did_web)
    resolver.dereference(server.did_web + "#key-1")
    assert server.hits["/.well-known/did.json"] == 1
    assert "tampered" not in second["assertionMethod"]
    now[0] += 61
    resolver.resolve(server.did_web)
    assert server.hits["/.well-known/did.json"] == 2


def test_failures_are_not_cached(server, resolver):
    with pytest.raises(DidResolutionError):
        resolver.resolve(server.did_web)
    server.serve("/.well-known/did.json", _document(server.did_web, KeyPair.generate().public))
    assert resolver.resolve(server.did_web)["id"] == server.did_web


def test_production_default_refuses_http_and_local_addresses(server):
    server.serve("/.well-known/did.json", _document(server.did_web, KeyPair.generate().public))
    for did in (server.did_web, "did:web:localhost%3A8080", "did:web:10.0.0.1", "did:web:169.254.169.254"):
        with pytest.raises(DidResolutionError):
            DidResolver().resolve(did)
    assert server.hits == {}


def test_connection_refused():
    closed = StaticServer()
    port = closed.port
    closed.close()
    with pytest.raises(DidResolutionError):
        DidResolver(allow_http_for={f"127.0.0.1:{port}"}, timeout=1).resolve(f"did:web:127.0.0.1%3A{port}")


def test_web_method_close_is_idempotent():
    method = WebDidMethod()
    method.close()
    method.close()
