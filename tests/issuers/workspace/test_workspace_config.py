"""The config file (TOML written by our writer, read by tomllib), the signing ledger, the format registry."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from issuers.workspace import SignatureRecord, SigningLedger, get_format, present_paths, resolve_holder
from issuers.workspace.toml_writer import dumps
from vc.did import did_jwk, did_key
from vc.errors import UsageError, WorkspaceError
from vc.keys import KeyPair

T0 = datetime(2026, 4, 1, tzinfo=timezone.utc)


def test_toml_writer_round_trips_through_tomllib() -> None:
    data = {
        "name": 'Example "City" 例市\\ \t\n\x7f',
        "count": 3,
        "flag": False,
        "kinds": ["municipality", "学校"],
        "nothing": None,
        "日本語キー": "値",
        "names": {"ja": "千代田区", "en": 'Chiyoda "City"', "zh-Hant": "千代田區"},
        "keys": [{"kid": "key-1", "state": "active", "retired": None}, {"kid": "key-2", "state": "verify-only"}],
    }
    parsed = tomllib.loads(dumps(data, header="a header\nsecond line"))
    expected = {k: v for k, v in data.items() if v is not None}
    expected["keys"] = [{"kid": "key-1", "state": "active"}, {"kid": "key-2", "state": "verify-only"}]
    assert parsed == expected


def test_toml_writer_refuses_what_it_cannot_write() -> None:
    with pytest.raises(UsageError):
        dumps({"x": 1.5})
    with pytest.raises(UsageError):
        dumps({"x": {"nested": {"deeper": "table"}}})
    with pytest.raises(UsageError):
        dumps({"x": {"count": 1}})


def test_ledger_keeps_the_latest_expiry_per_credential_and_key(tmp_path: Path) -> None:
    with SigningLedger(tmp_path / "w.db") as ledger:
        ledger.record([
            SignatureRecord("urn:a", "key-1", "T", "vc+jwt", T0 + timedelta(days=5), T0, "h-a"),
            SignatureRecord("urn:b", "key-1", "T", "vc+jwt", T0 + timedelta(days=9), T0),
            SignatureRecord("urn:c", "key-2", "T", "vc+jwt", None, T0),
        ])
        # re-signing a credential (idempotent re-issue) never shortens what its key must cover
        ledger.record([SignatureRecord("urn:b", "key-1", "T", "vc+jwt", T0 + timedelta(days=1), T0)])
        assert list(ledger.latest_first("key-1")) == [("urn:b", T0 + timedelta(days=9)),
                                                      ("urn:a", T0 + timedelta(days=5))]
        assert list(ledger.latest_first("key-2")) == [("urn:c", None)]
        assert ledger.records_by_hash() == {"h-a": {"urn:a"}}
        assert ledger.count() == 3 and ledger.count("key-1") == 2
        # never expiring wins over any date
        ledger.record([SignatureRecord("urn:a", "key-1", "T", "vc+jwt", None, T0)])
        assert next(ledger.latest_first("key-1")) == ("urn:a", None)
    with SigningLedger(tmp_path / "w.db") as reopened:  # the schema is created once
        assert reopened.count() == 3


def test_ledger_refuses_a_newer_schema(tmp_path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(tmp_path / "w.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(WorkspaceError):
        SigningLedger(tmp_path / "w.db")


def test_format_registry() -> None:
    assert get_format("jwt_vc_json").name == "vc+jwt"
    assert get_format("dc+sd-jwt").compact and not get_format("eddsa-rdfc-2022").compact
    with pytest.raises(WorkspaceError) as caught:
        get_format("eddsa-rdfc-2022").check_key("P-256")
    assert caught.value.code == "FORMAT_KEY_MISMATCH"


def test_present_paths_keeps_paths_naming_a_value() -> None:
    claims = {"a": 1, "members": [{"x": 1}, {"y": 2}], "o": {"p": None}, "empty": []}
    paths = [("a",), ("b",), ("members", None), ("members", None, "x"), ("members", None, "z"), ("o", "p"),
             ("empty", None)]
    assert present_paths(claims, paths) == [("a",), ("members", None), ("members", None, "x"), ("o", "p")]


def test_holders() -> None:
    key = KeyPair.generate()
    by_key = resolve_holder(key.public)
    assert by_key.subject_id == did_key(key.public) and by_key.jwk == key.public.to_jwk()
    by_private_jwk = resolve_holder(key.to_jwk(private=True))
    assert by_private_jwk.jwk == key.public.to_jwk() and "d" not in by_private_jwk.jwk
    assert resolve_holder(did_key(key.public)).jwk == key.public.to_jwk()
    assert resolve_holder(did_jwk(key.public)).jwk == key.public.to_jwk()
    web = resolve_holder("did:web:wallet.example")
    assert web.subject_id == "did:web:wallet.example" and web.jwk is None
    assert resolve_holder(None).subject_id is None
    with pytest.raises(UsageError):
        resolve_holder("not a did")
    with pytest.raises(UsageError):
        resolve_holder({"kty": "OKP"})


def test_the_institution_is_named_in_each_language(tmp_path: Path) -> None:
    from issuers.workspace import Workspace

    with Workspace.init(tmp_path / "city", name={"ja": "千代田区", "en": "Chiyoda City"}, unencrypted=True) as ws:
        assert ws.config.names == {"ja": "千代田区", "en": "Chiyoda City"}
        assert ws.config.display_name("en") == "Chiyoda City" and ws.config.display_name("fr") == "千代田区"
    with Workspace.open(tmp_path / "city") as again:  # written as a TOML inline table, read back the same
        assert again.config.name == {"ja": "千代田区", "en": "Chiyoda City"}
    with Workspace.init(tmp_path / "plain", name="Example City", unencrypted=True) as plain:
        assert plain.config.names == {} and plain.config.display_name("en") == "Example City"


@pytest.mark.parametrize("name", ["", {}, {"ja": ""}, {"not a tag": "x"}, {"en": "x" * 201}])
def test_a_bad_institution_name_is_refused(tmp_path: Path, name: object) -> None:
    from issuers.workspace import Workspace

    with pytest.raises(WorkspaceError) as caught:
        Workspace.init(tmp_path / "city", name=name, unencrypted=True)  # type: ignore[arg-type]
    assert caught.value.code == "WORKSPACE_CONFIG_INVALID" and "name" in caught.value.message
    assert not (tmp_path / "city").exists()  # refused before anything was made
