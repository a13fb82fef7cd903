"""The credentials the interop tests exchange: Japanese text that trips encoders and canonicalizers, and a
catalog credential (住民票の写し) under https://w3id.org/jitsuin/v1."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

from issuers.catalog import Catalog, build_credential

__all__ = ["CREDENTIALS", "SUBJECT", "TAMPER", "catalog_resident_record", "japanese_v11", "japanese_v2",
           "look_alike", "tampered"]

# 髙 and 𠮷 (outside the BMP) occur in real names; full-width digits and U+2212, an ideographic space, a
# combining dakuten (か + U+3099, left unnormalised), a tab, a newline, a control character, quotes and a
# backslash, U+2028; a language-tagged value with a script subtag; an integer, a decimal and a typed date.
SUBJECT: dict[str, Any] = {
    "id": "did:example:holder-7f3a",
    "name": "髙橋 𠮷子",
    "nameKana": "タカハシ ヨシコ",
    "nameReading": {"@value": "たかはし よしこ", "@language": "ja-Hira"},
    "address": "東京都千代田区霞が関２丁目１−２",
    "note": "全角スペース　と\tタブ、改行\nと制御文字\u0007、引用符\"と\\、結合文字か\u3099、\u2028行区切り",
    "householdSize": 3,
    "shareRatio": 1.5,
    "registeredOn": {"@value": "2020-04-01", "@type": "http://www.w3.org/2001/XMLSchema#date"},
}
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"  # @vocab: the subject's terms expand


def japanese_v2() -> dict[str, Any]:
    """VCDM 2.0, issuer an object with a Japanese name (its id is left to the signer)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2],
        "type": ["VerifiableCredential", "ExampleResidentCredential"],
        "issuer": {"name": "千代田区長"},
        "validFrom": "2026-04-01T00:00:00Z",
        "validUntil": "2027-04-01T00:00:00Z",
        "credentialSubject": copy.deepcopy(SUBJECT),
    }


def japanese_v11() -> dict[str, Any]:
    """VCDM 1.1 (issuanceDate/expirationDate), issuer left to the signer."""
    return {
        "@context": ["https://www.w3.org/2018/credentials/v1", EXAMPLES_V2],
        "type": ["VerifiableCredential", "ExampleResidentCredential"],
        "issuanceDate": "2026-04-01T00:00:00Z",
        "expirationDate": "2027-04-01T00:00:00Z",
        "credentialSubject": copy.deepcopy(SUBJECT),
    }


def catalog_resident_record() -> dict[str, Any]:
    """住民票の写し from the catalog's sample claims (issuer left to the signer)."""
    ctype = Catalog.load().get("ResidentRecord")
    credential = build_credential(ctype, ctype.sample, issuer="did:example:placeholder",
                                  valid_from=datetime(2026, 4, 1, tzinfo=timezone.utc),
                                  subject_id="did:example:holder-7f3a")
    del credential["issuer"]
    return credential


CREDENTIALS = {"vcdm2": japanese_v2, "vcdm11": japanese_v11, "catalog": catalog_resident_record}
# the claim a tamper check changes, and to what: one character of a name (a plausible forgery)
TAMPER = {"vcdm2": ("name", "髙橋 吉子"), "vcdm11": ("name", "髙橋 吉子"), "catalog": ("givenName", "華子")}


def tampered(credential: dict[str, Any], variant: str) -> dict[str, Any]:
    """A copy of ``credential`` with the ``TAMPER`` claim of ``variant`` changed."""
    claim, value = TAMPER[variant]
    changed = copy.deepcopy(credential)
    assert changed["credentialSubject"][claim] != value
    changed["credentialSubject"][claim] = value
    return changed


# look-alike blank nodes: objects without ids whose first-degree hashes are equal, so RDFC-1.0's Hash N-Degree
# Quads step must tell them apart; rdf-canonize (jsonld.js, vc-js) allows it once per look-alike node
_LOOK_ALIKE_CONTEXT = {"@version": 1.1, "ex": "https://example.org/household#", "children": "ex:children",
                       "toys": "ex:toys", "label": "ex:label"}


def look_alike(toys_per_child: int) -> dict[str, Any]:
    """Two identical children, each with ``toys_per_child`` identical toys: 1 toy stays within rdf-canonize's
    default bound (n Hash N-Degree Quads calls for n look-alike nodes), 2 toys need more (permutations)."""
    child = {"label": "子", "toys": [{"label": "積み木"} for _ in range(toys_per_child)]}
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", _LOOK_ALIKE_CONTEXT],
        "type": ["VerifiableCredential"],
        "validFrom": "2026-04-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:holder-7f3a", "children": [copy.deepcopy(child), child]},
    }
