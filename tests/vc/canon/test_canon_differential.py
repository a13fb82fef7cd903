"""The fast path against pyld's full algorithm on generated and realistic credentials.

For every document: either the fast path declines (``Unsupported``; ``canonize`` then uses pyld) or its
canonical N-Quads equal pyld's byte for byte; where pyld raises, the fast path must decline, and
``canonize`` raises the same error as the full path. The JSON-LD safe-mode check (``check_safe``, which
asks the fast path first) gives the verdict and error of pyld's safe expansion on the same documents.
Generated documents use VC v2 plus a test context (``data/catalog-test-v1.jsonld``) with the catalog's
shapes: type- and property-scoped contexts, coercions, term languages, language maps, lists, ``@json``,
reverse properties, ids and blank nodes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vc.canon import Unsupported, canonicalize, canonize, canonize_full, fast_quads, fast_safe_check
from vc.errors import VcError
from vc.jsonld import DocumentLoader, check_safe, expand_safe

V2 = "https://www.w3.org/ns/credentials/v2"
CATALOG = "https://jitsuin.example/test/catalog/v1"
DATA = Path(__file__).parent / "data"
VCDM_SUITE = Path(__file__).parents[2] / "vectors" / "vc-data-model-2.0"
NO_LIMIT = 10**9


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    loader = DocumentLoader()
    loader.register(CATALOG, (DATA / "catalog-test-v1.jsonld").read_bytes())
    return loader


def outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ok", run()
    except VcError as exc:
        return "error", exc.code
    except Exception as exc:  # noqa: BLE001 - pyld itself can crash on odd input; so must we then
        return "crash", type(exc).__name__


def check_document(doc: Any, loader: DocumentLoader, *, safe: bool) -> str:
    """Assert the fast path agrees with pyld on ``doc``; returns "fast" or "declined"."""
    full = outcome(lambda: canonize_full(doc, loader=loader, safe=safe, max_work=NO_LIMIT))
    try:
        fast = canonicalize(fast_quads(doc, loader=loader, safe=safe), max_work=NO_LIMIT)
    except Unsupported:
        taken = "declined"
    else:
        assert full[0] == "ok", f"the fast path answered where the full path gave {full}"
        assert fast == full[1]
        taken = "fast"
    if full[0] != "crash":
        assert outcome(lambda: canonize(doc, loader=loader, safe=safe, max_work=NO_LIMIT)) == full
    return taken


def safe_outcome(run: Any) -> tuple[Any, ...]:
    try:
        run()
    except VcError as exc:
        return "error", type(exc).__name__, exc.code, exc.message
    except Exception as exc:  # noqa: BLE001
        return "crash", type(exc).__name__
    return ("ok",)


def check_safe_verdict(doc: Any, loader: DocumentLoader) -> str:
    """Assert ``check_safe`` gives pyld's safe-mode verdict and error on ``doc``; "fast" or "pyld" (who decided)."""
    reference = safe_outcome(lambda: expand_safe(doc, loader=loader))  # pyld's safe expansion alone
    fast = fast_safe_check(doc, loader=loader)
    if fast:
        assert reference == ("ok",), f"the fast path passed a document pyld's safe mode refuses: {reference}"
    assert safe_outcome(lambda: check_safe(doc, loader=loader)) == reference
    return "fast" if fast else "pyld"


# --- generated documents ---------------------------------------------------------------------------

TERMS = [
    "familyName", "givenName", "familyNameKana", "givenNameKana", "birthDate", "ageOver18", "count",
    "amount", "ratio", "flag", "note", "displayName", "nameEn", "noLanguage", "rtlNote", "labels",
    "members", "chain", "formData", "homepage", "relationship", "partOf", "byIndex", "address",
    "prefecture", "streetAddress", "school", "schoolCode", "employer", "representative", "nickname",
    "sex", "residentSince", "isHouseholder", "relationshipToHouseholder", "birthDateTime",
    "birthWeightGrams", "birthLengthCm", "name", "description", "id", "type", "attachedGraph",
    "attachedGraphs", "proof",
]
ODD_KEYS = [
    "undefinedTerm", "jp:custom", "https://example.org/prop", "_:bnodeProp", "@id", "@type", "@value",
    "@language", "@index", "@graph", "@list", "@set", "@reverse", "@nest", "@included", "@direction",
    "@json", "@foo", "",
]
TYPES = [
    "Person", "PostalAddress", "Child", "ResidentRecordCredential", "BirthCertificateCredential",
    "本人", "子", "UndefinedType", "jp:Custom", "https://example.org/T", "_:t", "@json", "VerifiableCredential",
]
IDS = [
    "did:example:abc", "https://example.org/x", "urn:uuid:2f0f7e0e-1f4f-4b5b-9b1a-0c4c3f2b0a11", "jp:thing",
    "_:b1", "_:b2", "relative", "#frag", "@weird", "http://ex.example/ü path", "",
]
DATATYPES = ["xsd:date", "http://www.w3.org/2001/XMLSchema#integer", "xsd:double", "jp:custom",
             "http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
             "relativeType", "_:dt", "@json"]
LANGUAGES = ["ja", "en-US", "EN", "x-private", "not a tag", ""]

texts = st.one_of(
    st.sampled_from(["山田", "ヤマダ", "東京都千代田区霞が関2-1-2", "1", "true", "2020-01-01", "a\"b\\c",
                     "tab\tnl\ncr\rbs\bff\fnul\x00del\x7f", "", "did:example:abc"]),
    st.text(max_size=12),
)
numbers = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25),
    st.sampled_from([0, 1, -1, 10**21, 2**63]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, -0.0, 0.5, 1e21, 1e-7, 5e-324, 123456789.125]),
)
scalars = st.one_of(texts, numbers, st.booleans(), st.none())
value_objects = st.one_of(
    st.builds(lambda v, t: {"@value": v, "@type": t}, scalars, st.sampled_from(DATATYPES)),
    st.builds(lambda v, lang: {"@value": v, "@language": lang}, scalars, st.sampled_from(LANGUAGES)),
    st.builds(lambda v: {"@value": v}, scalars),
    st.builds(lambda v: {"@value": v, "@direction": "rtl"}, texts),
    st.builds(lambda v: {"@value": v, "@type": "@json"}, st.dictionaries(st.text(max_size=3), scalars, max_size=2)),
)
keys = st.one_of(st.sampled_from(TERMS), st.sampled_from(TERMS), st.sampled_from(ODD_KEYS))
type_values = st.one_of(st.sampled_from(TYPES), st.lists(st.sampled_from(TYPES), max_size=3))


def _node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda props, node_id, node_type: {
            **props,
            **({} if node_id is None else {"id": node_id}),
            **({} if node_type is None else {"type": node_type}),
        },
        st.dictionaries(keys, children, max_size=5),
        st.one_of(st.none(), st.sampled_from(IDS)),
        st.one_of(st.none(), type_values),
    )


values = st.recursive(
    st.one_of(scalars, value_objects),
    lambda children: st.one_of(_node(children), st.lists(children, max_size=3)),
    max_leaves=12,
)


def _credential(subject: Any, credential_type: str, issuer: Any, extra: dict[str, Any], inline: Any) -> dict:
    context: list[Any] = [V2, CATALOG]
    if inline is not None:
        context.append(inline)
    return {
        "@context": context,
        "type": ["VerifiableCredential", credential_type],
        "issuer": issuer,
        "validFrom": "2026-04-01T09:00:00+09:00",
        "credentialSubject": subject,
        **extra,
    }


credentials = st.builds(
    _credential,
    st.one_of(_node(values), st.lists(_node(values), min_size=1, max_size=2), values),
    st.sampled_from(["ResidentRecordCredential", "BirthCertificateCredential", "HouseholdCredential", "Unknown"]),
    st.one_of(st.sampled_from(IDS), st.builds(lambda i, n: {"id": i, "name": n}, st.sampled_from(IDS), texts)),
    st.dictionaries(keys, values, max_size=2),
    st.one_of(
        st.none(),
        st.just({"extra": "jp:extra", "extraDate": {"@id": "jp:extraDate", "@type": "xsd:date"}}),
        st.just({"familyName": "jp:redefined"}),  # a protected term: pyld refuses it
        st.just({"@vocab": "https://jitsuin.example/vocab#"}),
        st.just({"@language": "ja"}),
    ),
)

_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(doc=credentials)
def test_generated_credentials(doc: dict[str, Any], loader: DocumentLoader) -> None:
    event(check_document(doc, loader, safe=False))


@_SETTINGS
@given(doc=credentials)
def test_generated_credentials_in_safe_mode(doc: dict[str, Any], loader: DocumentLoader) -> None:
    event(check_document(doc, loader, safe=True))


def _presentation(credential: dict[str, Any], holder: Any) -> dict[str, Any]:
    vp: dict[str, Any] = {"@context": [V2, CATALOG], "type": "VerifiablePresentation",
                          "verifiableCredential": [credential]}
    if holder is not None:
        vp["holder"] = holder
    return vp


presentations = st.builds(_presentation, credentials, st.one_of(st.none(), st.sampled_from(IDS)))


@_SETTINGS
@given(doc=st.one_of(credentials, presentations))
def test_safe_check_verdict_on_generated_documents(doc: dict[str, Any], loader: DocumentLoader) -> None:
    event("safe check by " + check_safe_verdict(doc, loader))


# well-formed claims only (defined terms, JSON scalars, nested objects, ids): mostly the fast path
plain_keys = st.sampled_from([k for k in TERMS if k not in {"labels", "chain", "formData", "partOf", "byIndex"}])
plain_values = st.recursive(
    st.one_of(
        texts, numbers, st.booleans(),
        st.builds(lambda v, lang: {"@value": v, "@language": lang}, texts, st.sampled_from(["ja", "en"])),
    ),
    lambda children: st.one_of(
        st.builds(
            lambda props, node_id, node_type: {
                **props,
                **({} if node_id is None else {"id": node_id}),
                **({} if node_type is None else {"type": node_type}),
            },
            st.dictionaries(plain_keys, children, max_size=5),
            st.one_of(st.none(), st.sampled_from(["did:example:abc", "https://example.org/x", "_:b1", "jp:thing"])),
            st.one_of(st.none(), st.sampled_from(["Person", "PostalAddress", "Child", ["Person", "Child"]])),
        ),
        st.lists(children, max_size=3),
    ),
    max_leaves=15,
)


@_SETTINGS
@given(
    subject=plain_values,
    credential_type=st.sampled_from(["ResidentRecordCredential", "BirthCertificateCredential", "HouseholdCredential"]),
)
def test_generated_catalog_shapes(subject: Any, credential_type: str, loader: DocumentLoader) -> None:
    doc = _credential(subject, credential_type, "did:example:city", {}, None)
    event(check_document(doc, loader, safe=False))
    event("safe " + check_document(doc, loader, safe=True))
    event("safe check by " + check_safe_verdict(doc, loader))
    event("presentation safe check by " + check_safe_verdict(_presentation(doc, "did:example:holder"), loader))


@settings(max_examples=150, deadline=None)
@given(doc=values)
def test_generated_fragments_with_vocab(doc: Any, loader: DocumentLoader) -> None:
    # arbitrary shapes under a @vocab, so undefined keys keep their values
    wrapped = {"@context": [V2, CATALOG, {"@vocab": "https://jitsuin.example/vocab#"}], "claim": doc}
    event(check_document(wrapped, loader, safe=False))
    event("safe check by " + check_safe_verdict(wrapped, loader))


# --- realistic credentials: these must take the fast path -------------------------------------------

PERSON = {"type": "Person", "familyName": "山田", "givenName": "花子", "familyNameKana": "ヤマダ", "givenNameKana": "ハナコ",
          "birthDate": "1990-05-01", "sex": 2}
ADDRESS = {"type": "PostalAddress", "prefecture": "東京都", "cityAndCounty": "千代田区",
           "streetAddress": "霞が関2-1-2", "localGovernmentCode": "131016"}

REALISTIC: dict[str, dict[str, Any]] = {
    "resident-record": _credential(
        {"id": "did:example:resident", "type": "Person", **PERSON, "address": ADDRESS, "ageOver18": True,
         "jp:residentSince": {"@value": "2015-04-01", "@type": "xsd:date"}},
        "ResidentRecordCredential", "did:example:city", {"id": "urn:uuid:0b6a3c3e-8f7e-4d0b-9b0e-3c1f5b2a7d10"},
        None,
    ),
    "household": _credential(
        {"id": "did:example:householder", "type": "Person", **PERSON,
         "members": [{"type": ["Person", "Child"], "givenName": "太郎", "relationship": "子"},
                     {"type": ["Person", "Child"], "givenName": "次郎", "relationship": "子"}],
         "jp:householdSize": 3},
        "HouseholdCredential", {"id": "did:example:city", "name": "千代田区長"}, {}, None,
    ),
    "birth-certificate": _credential(
        {"type": ["Person", "Child"], "familyName": "山田", "sex": 1, "address": ADDRESS,
         "jp:birthWeightGrams": 3120, "jp:birthLengthCm": 49.5, "jp:plurality": "single"},
        "BirthCertificateCredential", "did:example:doctor",
        {"description": "出生証明書", "name": "Birth certificate"}, None,
    ),
    "school-enrollment": _credential(
        {"id": "did:example:student", **PERSON,
         "school": {"id": "https://school.example/123", "name": "千代田小学校", "schoolCode": "B113210000010"},
         "jp:grade": 3, "jp:enrolledSince": {"@value": "2024-04-01", "@type": "xsd:date"},
         "jp:textbooksProvided": [{"jp:subject": "国語"}, {"jp:subject": "算数"}]},
        "SchoolEnrollmentCredential", "did:example:school", {}, None,
    ),
    "employment": _credential(
        {**PERSON, "employer": {"name": "株式会社例", "corporateNumber": "1234567890123"},
         "jp:baseSalary": 312000, "jp:fixedTerm": False, "displayName": "やまだ はなこ", "nameEn": "Hanako Yamada"},
        "EmploymentCertificateCredential", "did:example:employer", {}, None,
    ),
    "tax": _credential(
        {**PERSON, "amount": 4213000, "ratio": 0.1, "count": 2, "flag": True, "note": "非課税"},
        "ResidentTaxCertificateCredential", "did:example:city",
        {"validUntil": "2027-03-31T23:59:59+09:00"}, {"extra": "jp:extra"},
    ),
    "health-insurance": _credential(
        {"id": "did:example:insured", **PERSON, "homepage": "https://insurer.example/",
         "representative": "did:example:parent", "jp:insurerNumber": "06139999"},
        "HealthInsuranceCredential", "did:example:insurer", {}, None,
    ),
    "representation": _credential(
        [{"id": "did:example:parent", "type": "Person", **PERSON},
         {"id": "did:example:child", "type": ["Person", "Child"], "givenName": "太郎"}],
        "RepresentationCredential", "did:example:city", {}, None,
    ),
}


SIGNED_PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2026-04-01T00:00:00Z",
    "verificationMethod": "did:example:city#key-1",
    "proofPurpose": "assertionMethod",
    "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKiDwGyeBqqTJN8E",
}
REALISTIC["presentation"] = {
    "@context": [V2, CATALOG],
    "type": "VerifiablePresentation",
    "holder": "did:example:resident",
    "verifiableCredential": [
        {**REALISTIC["resident-record"], "proof": SIGNED_PROOF},
        {**REALISTIC["tax"], "proof": [SIGNED_PROOF, {**SIGNED_PROOF, "id": "urn:uuid:proof-2"}]},
    ],
}
# a proof chain: the second proof signs the document together with the first proof (a named graph)
REALISTIC["proof-chain"] = {**REALISTIC["health-insurance"], "proof": {**SIGNED_PROOF, "id": "urn:uuid:proof-1"}}


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
@pytest.mark.parametrize("name", sorted(REALISTIC))
def test_realistic_credentials_take_the_fast_path(name: str, safe: bool, loader: DocumentLoader) -> None:
    assert check_document(REALISTIC[name], loader, safe=safe) == "fast"


@pytest.mark.parametrize("name", sorted(REALISTIC))
def test_realistic_credentials_are_checked_safe_by_the_fast_path(name: str, loader: DocumentLoader) -> None:
    assert check_safe_verdict(REALISTIC[name], loader) == "fast"


def test_safe_check_verdict_on_vc_data_model_suite_inputs(loader: DocumentLoader) -> None:
    """The W3C VCDM 2.0 test-suite inputs: check_safe's verdict and error are pyld's safe expansion's."""
    deciders = [check_safe_verdict(json.loads(path.read_text(encoding="utf-8")), loader)
                for path in sorted(VCDM_SUITE.rglob("*.json"))]
    assert len(deciders) > 100 and deciders.count("fast") > len(deciders) // 2


def test_vc_data_model_suite_inputs(loader: DocumentLoader) -> None:
    """The W3C VCDM 2.0 test-suite inputs (valid and invalid): the fast path agrees with pyld on all."""
    taken = []
    for path in sorted(VCDM_SUITE.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for safe in (False, True):
            taken.append(check_document(doc, loader, safe=safe))
    assert len(taken) > 200 and taken.count("fast") > len(taken) // 2  # measured: most are plain VCs


# a node met twice (same id): the walk restarts with duplicate checks; values repeated, changed or typed apart
REPEATED_NODES = {
    "same values": [{"id": "did:example:abc", "name": "花子"}, {"id": "did:example:abc", "name": "花子"}],
    "other values": [{"id": "did:example:abc", "name": "花子"}, {"id": "did:example:abc", "name": "太郎"}],
    "lists": [{"id": "did:example:abc", "name": ["x", "y"]}, {"id": "did:example:abc", "name": ["y", "z"]}],
    "nested": [{"id": "did:example:abc", "address": {"id": "did:example:abc", "name": "x"}}],
    "blank ids": [{"id": "_:b1", "name": "x"}, {"id": "_:b1", "name": "x", "type": "Person"}],
}


@pytest.mark.parametrize("name", sorted(REPEATED_NODES))
def test_repeated_node_ids(name: str, loader: DocumentLoader) -> None:
    doc = _credential(REPEATED_NODES[name], "ResidentRecordCredential", "did:example:city", {}, None)
    taken = {check_document(doc, loader, safe=safe) for safe in (False, True)}
    assert taken == {"fast"}
