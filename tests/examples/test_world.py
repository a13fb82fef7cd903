"""examples/world.py: the pieces that need no running services (the services are exercised by every example and
by tests/cli/test_demo.py)."""

from __future__ import annotations

import httpx
import pytest

from examples.world import INSTITUTIONS, _json, filled_form
from issuers.catalog import ISSUER_KINDS
from verifier.procedures import FieldOrigin, FilledField, FilledForm

FORM = FilledForm(
    "birth-registration", {"ja": "出生届", "en": "Birth registration"},
    (FilledField("child_sex", {"ja": "子の性別", "en": "Child's sex"}, 2, "女",
                 FieldOrigin("birth", "BirthCertificateCredential", "did:web:hospital.example.jp", "dc+sd-jwt",
                             "child.sex", query_id="birth"), required=True),
     FilledField("birth_weight", {"ja": "体重（グラム）", "en": "Weight (g)"}, None, "", None)),
    True)


def test_a_form_comes_back_from_its_json() -> None:
    assert filled_form(FORM.to_dict()) == FORM


def test_a_refusal_quotes_the_service() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:9/offers")
    with pytest.raises(RuntimeError, match=r"POST http://127.0.0.1:9/offers answered 400: .*CLAIMS_INVALID"):
        _json(httpx.Response(400, json={"errorCode": "CLAIMS_INVALID"}, request=request))
    assert _json(httpx.Response(201, json={"ok": True}, request=request)) == {"ok": True}


def test_every_institution_is_a_known_issuer_kind_with_two_names() -> None:
    for spec in INSTITUTIONS.values():
        assert set(spec.kinds) <= set(ISSUER_KINDS)
        assert spec.name.keys() == {"ja", "en"}
