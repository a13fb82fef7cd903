"""The offline document loader: bundled contexts pinned by SHA-256, registration, caching, no network."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from vc.errors import ContextIntegrityError, ContextNotAllowedError, MalformedError, UsageError
from vc.jsonld import BUNDLED_CONTEXTS_DIR, DocumentLoader, canonize, default_loader

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
APP_CONTEXT = "https://certificates.example.jp/contexts/residence/v1"
APP_DOCUMENT = {
    "@context": {"@protected": True, "ResidenceCertificate": "https://certificates.example.jp/vocab#ResidenceCertificate"}
}

MANIFEST = json.loads((BUNDLED_CONTEXTS_DIR / "manifest.json").read_bytes())["contexts"]

CREDENTIAL = {
    "@context": [V2, EXAMPLES_V2],
    "type": ["VerifiableCredential", "ExampleDegreeCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:subject", "degree": {"type": "ExampleBachelorDegree"}},
}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any attempt to open a network connection fails the test (and is recorded)."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError("the JSON-LD loader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _copy_bundle(tmp_path: Path) -> Path:
    target = tmp_path / "contexts"
    shutil.copytree(BUNDLED_CONTEXTS_DIR, target)
    return target


# -- bundled contexts ---------------------------------------------------------------------------


def test_manifest_lists_every_bundled_file_with_its_hash() -> None:
    files = {p.name for p in BUNDLED_CONTEXTS_DIR.glob("*.jsonld")}
    assert files == {item["file"] for item in MANIFEST}
    assert len(MANIFEST) == 22  # the 21 W3C/CCG contexts and jitsuin-v1
    for item in MANIFEST:
        assert set(item) >= {"url", "file", "sha256", "source", "license"}
        assert hashlib.sha256((BUNDLED_CONTEXTS_DIR / item["file"]).read_bytes()).hexdigest() == item["sha256"]
    # the VCDM 2.0 REC publishes this hash for the v2 context
    v2 = next(item for item in MANIFEST if item["url"] == V2)
    assert v2["sha256"] == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


@pytest.mark.parametrize("item", MANIFEST, ids=[item["file"] for item in MANIFEST])
def test_serves_every_bundled_context(item: dict[str, str]) -> None:
    loader = DocumentLoader()
    remote = loader(item["url"], {})
    assert remote["documentUrl"] == item["url"]
    assert remote["contextUrl"] is None
    assert remote["tag"] == "static"
    assert remote["document"] == json.loads((BUNDLED_CONTEXTS_DIR / item["file"]).read_bytes())
    assert loader.is_bundled(item["url"])


def test_tampered_bundled_bytes_raise_context_integrity_error(tmp_path: Path) -> None:
    bundle = _copy_bundle(tmp_path)
    path = bundle / "credentials-v2.jsonld"
    path.write_bytes(path.read_bytes().replace(b"https://schema.org/name", b"https://evil.example/name"))
    loader = DocumentLoader(bundle=bundle)
    with pytest.raises(ContextIntegrityError) as info:
        loader(V2)
    assert V2 in info.value.message
    # only the tampered file fails: hashes are checked per file, at first use
    assert loader(EXAMPLES_V2)["document"]["@context"]
    with pytest.raises(ContextIntegrityError):
        loader.verify_bundle()


def test_tampered_context_fails_canonicalization_with_integrity_error(tmp_path: Path) -> None:
    bundle = _copy_bundle(tmp_path)
    path = bundle / "credentials-examples-v2.jsonld"
    path.write_bytes(path.read_bytes() + b" ")
    with pytest.raises(ContextIntegrityError):
        canonize(CREDENTIAL, loader=DocumentLoader(bundle=bundle))


def test_bundled_bytes_are_read_and_hashed_once(tmp_path: Path) -> None:
    bundle = _copy_bundle(tmp_path)
    loader = DocumentLoader(bundle=bundle)
    first = loader(V2)["document"]
    # a change on disk after first use is not seen: the file was read, hashed and parsed once
    (bundle / "credentials-v2.jsonld").write_bytes(b"{}")
    assert loader(V2)["document"] == first


def test_missing_bundled_file_is_an_integrity_error(tmp_path: Path) -> None:
    bundle = _copy_bundle(tmp_path)
    (bundle / "multikey-v1.jsonld").unlink()
    with pytest.raises(ContextIntegrityError):
        DocumentLoader(bundle=bundle)("https://w3id.org/security/multikey/v1")


def test_returned_documents_are_private_copies() -> None:
    loader = DocumentLoader()
    loader(V2)["document"]["@context"]["name"] = "https://evil.example/name"
    assert loader(V2)["document"]["@context"]["name"] == "https://schema.org/name"


def test_default_loader_is_one_shared_instance() -> None:
    assert default_loader() is default_loader()
    assert V2 in default_loader().urls


# -- unknown URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/unknown/v1",
        V2 + "/",  # no trailing-slash folding
        "http://www.w3.org/ns/credentials/v2",  # no scheme upgrade
        "https://www.w3.org/ns/credentials/V2",  # no case folding
        "https://www.w3.org/2018/credentials/v1#",
    ],
)
def test_unknown_url_raises_context_not_allowed(url: str) -> None:
    with pytest.raises(ContextNotAllowedError) as info:
        DocumentLoader()(url)
    assert info.value.code == "CONTEXT_NOT_ALLOWED"
    assert url in info.value.message
    assert "register" in info.value.message
    assert info.value.detail["url"] == url


def test_loader_without_bundle_serves_nothing() -> None:
    with pytest.raises(ContextNotAllowedError):
        DocumentLoader(bundle=None)(V2)


# -- registration ---------------------------------------------------------------------------------


def test_register_dict_serves_a_copy() -> None:
    loader = DocumentLoader()
    document = json.loads(json.dumps(APP_DOCUMENT))
    loader.register(APP_CONTEXT, document)
    document["@context"]["ResidenceCertificate"] = "https://evil.example/"  # caller's later change is not seen
    assert loader(APP_CONTEXT)["document"] == APP_DOCUMENT
    assert APP_CONTEXT in loader.urls and not loader.is_bundled(APP_CONTEXT)


def test_register_bytes_with_sha256() -> None:
    raw = json.dumps(APP_DOCUMENT).encode()
    loader = DocumentLoader()
    loader.register(APP_CONTEXT, raw, sha256=hashlib.sha256(raw).hexdigest())
    assert loader(APP_CONTEXT)["document"] == APP_DOCUMENT


def test_register_bytes_with_wrong_sha256_is_refused() -> None:
    loader = DocumentLoader()
    with pytest.raises(ContextIntegrityError):
        loader.register(APP_CONTEXT, json.dumps(APP_DOCUMENT).encode(), sha256="00" * 32)
    assert APP_CONTEXT not in loader.urls


def test_register_through_constructor() -> None:
    loader = DocumentLoader(contexts={APP_CONTEXT: APP_DOCUMENT})
    assert loader(APP_CONTEXT)["document"] == APP_DOCUMENT


@pytest.mark.parametrize(
    ("url", "document", "kwargs", "error"),
    [
        ("contexts/v1", APP_DOCUMENT, {}, UsageError),  # relative URL
        ("https://x.example/a b", APP_DOCUMENT, {}, UsageError),
        (APP_CONTEXT, APP_DOCUMENT, {"sha256": "00" * 32}, UsageError),  # a hash pins bytes, not a dict
        (APP_CONTEXT, ["not", "an", "object"], {}, UsageError),
        (APP_CONTEXT, b"not json", {}, MalformedError),
        (APP_CONTEXT, b"[1, 2]", {}, MalformedError),
    ],
)
def test_register_refuses_bad_input(url: str, document: Any, kwargs: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        DocumentLoader().register(url, document, **kwargs)


def test_a_registered_url_cannot_change_meaning() -> None:
    loader = DocumentLoader()
    loader.register(APP_CONTEXT, APP_DOCUMENT)
    loader.register(APP_CONTEXT, json.dumps(APP_DOCUMENT).encode())  # same content again: fine
    with pytest.raises(UsageError):
        loader.register(APP_CONTEXT, {"@context": {}})
    with pytest.raises(UsageError):
        loader.register(V2, {"@context": {"name": "https://evil.example/name"}})
    assert loader(V2)["document"]["@context"]["name"] == "https://schema.org/name"


def test_registration_does_not_leak_between_loaders_through_the_cache() -> None:
    doc = {**CREDENTIAL, "@context": [*CREDENTIAL["@context"], APP_CONTEXT]}
    trusting = DocumentLoader(contexts={APP_CONTEXT: APP_DOCUMENT})
    canonize(doc, loader=trusting)  # the processed context is now cached for `trusting`
    with pytest.raises(ContextNotAllowedError):
        canonize(doc, loader=DocumentLoader())


# -- network and caching --------------------------------------------------------------------------


def test_never_touches_the_network(no_network: list[Any]) -> None:
    loader = DocumentLoader()
    assert canonize(CREDENTIAL, loader=loader, safe=True)
    with pytest.raises(ContextNotAllowedError):
        canonize({**CREDENTIAL, "@context": [V2, "https://example.com/remote/context"]}, loader=loader)
    with pytest.raises(ContextNotAllowedError):
        canonize({**CREDENTIAL, "@context": [V2, "https://example.com/remote/context"]}, loader=default_loader())
    assert no_network == []


class _UncachedLoader(DocumentLoader):
    """The same loader without the 'static' tag: pyld then re-resolves contexts on every call."""

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        return {**super().__call__(url, options), "tag": None}


def test_processed_contexts_are_cached_per_loader() -> None:
    loader = DocumentLoader()
    first = canonize(CREDENTIAL, loader=loader)
    for _ in range(4):
        assert canonize(CREDENTIAL, loader=loader, safe=True) == first
    # each context document was fetched from the loader once, then served from pyld's resolved-context cache
    assert loader.load_counts == {V2: 1, EXAMPLES_V2: 1}
    cache = loader.pyld_options()["contextResolver"].shared_cache
    assert {V2, EXAMPLES_V2} <= set(cache)
    assert "static" in cache[V2]
    # and the processed active context hangs off the resolved context, so processing is cached too
    resolved = cache[V2]["static"]
    assert len(resolved) == 1 and len(resolved[0].cache) >= 1


def test_without_static_tag_every_call_reloads() -> None:
    loader = _UncachedLoader()
    for _ in range(3):
        canonize(CREDENTIAL, loader=loader)
    assert loader.load_counts == {V2: 3, EXAMPLES_V2: 3}


def test_pyld_process_wide_cache_is_not_used() -> None:
    from pyld import jsonld as pyld_jsonld

    before = set(pyld_jsonld._resolved_context_cache)
    canonize(CREDENTIAL, loader=DocumentLoader(), safe=True)
    assert set(pyld_jsonld._resolved_context_cache) == before
