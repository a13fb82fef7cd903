"""The wallet store: sealed records in one SQLite file, the passphrase check, and a damaged file named as such."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import nacl.pwhash.argon2id as argon2id
import pytest

from tests.vc.holder.holder_support import PASSPHRASE, T0, add_birth_certificate, new_store
from vc.errors import WalletError, WrongPassphraseError
from vc.holder import WalletStore
from vc.keys import KeyPair


def test_credentials_keys_and_records_survive_closing_and_reopening(tmp_path: Path, issuer: KeyPair) -> None:
    with new_store(tmp_path) as store:
        stored = add_birth_certificate(store, issuer)
        key_id = stored.key_id
        store.put("note", "n1", {"text": "こんにちは"})
    with WalletStore.open(tmp_path / "wallet.db", PASSPHRASE) as store:
        again = store.credential("birth-1")
        assert again == stored
        assert again.display_name("ja") == "出生証明書" and again.display_name("en") == "Certificate of birth"
        assert store.key(key_id).public.thumbprint() == key_id
        assert store.get("note", "n1") == {"text": "こんにちは"}
        assert [c.id for c in store.credentials()] == ["birth-1"]


def test_nothing_personal_is_readable_in_the_file(tmp_path: Path, issuer: KeyPair) -> None:
    with new_store(tmp_path) as store:
        stored = add_birth_certificate(store, issuer)
    raw = (tmp_path / "wallet.db").read_bytes()
    for text in ("山田", "花子", "出生証明書", "birthWeightGrams", stored.key_id or "", str(stored.credential)[:40]):
        assert text.encode("utf-8") not in raw


def test_the_kdf_parameters_and_salt_are_in_the_header(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    with sqlite3.connect(tmp_path / "wallet.db") as db:
        header = dict(db.execute("SELECT name, value FROM header").fetchall())
    assert header["kdf"] == b"argon2id13"
    assert int(header["opslimit"]) == argon2id.OPSLIMIT_MIN and int(header["memlimit"]) == argon2id.MEMLIMIT_MIN
    assert len(header["salt"]) == argon2id.SALTBYTES


def test_a_wrong_passphrase_is_named(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    with pytest.raises(WrongPassphraseError) as caught:
        WalletStore.open(tmp_path / "wallet.db", PASSPHRASE + "!")
    assert caught.value.code == "WRONG_PASSPHRASE"


def test_a_file_that_is_not_a_wallet_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    path.write_bytes(b"this is not an SQLite file at all" * 100)
    with pytest.raises(WalletError) as caught:
        WalletStore.open(path, PASSPHRASE)
    assert caught.value.code == "WALLET_CORRUPT"


def test_a_truncated_wallet_is_corrupt(tmp_path: Path, issuer: KeyPair) -> None:
    with new_store(tmp_path) as store:
        add_birth_certificate(store, issuer)
    path = tmp_path / "wallet.db"
    path.write_bytes(path.read_bytes()[:1500])
    with pytest.raises(WalletError) as caught:
        WalletStore.open(path, PASSPHRASE).credentials()
    assert caught.value.code == "WALLET_CORRUPT"


def test_a_damaged_record_is_corrupt_not_a_wrong_passphrase(tmp_path: Path, issuer: KeyPair) -> None:
    with new_store(tmp_path) as store:
        add_birth_certificate(store, issuer)
    with sqlite3.connect(tmp_path / "wallet.db") as db:
        sealed = bytearray(db.execute("SELECT sealed FROM records WHERE kind = 'credential'").fetchone()[0])
        sealed[40] ^= 0x01
        db.execute("UPDATE records SET sealed = ? WHERE kind = 'credential'", (bytes(sealed),))
    with WalletStore.open(tmp_path / "wallet.db", PASSPHRASE) as store:
        with pytest.raises(WalletError) as caught:
            store.credentials()
    assert caught.value.code == "WALLET_CORRUPT"


def test_records_swapped_between_rows_do_not_open(tmp_path: Path, issuer: KeyPair) -> None:
    with new_store(tmp_path) as store:
        add_birth_certificate(store, issuer, credential_id="a")
        add_birth_certificate(store, issuer, credential_id="b")
    with sqlite3.connect(tmp_path / "wallet.db") as db:
        (id_a, blob_a), (id_b, blob_b) = db.execute(
            "SELECT id, sealed FROM records WHERE kind = 'credential' ORDER BY seq").fetchall()
        db.execute("UPDATE records SET sealed = ? WHERE id = ?", (blob_b, id_a))
        db.execute("UPDATE records SET sealed = ? WHERE id = ?", (blob_a, id_b))
    with WalletStore.open(tmp_path / "wallet.db", PASSPHRASE) as store:
        with pytest.raises(WalletError) as caught:
            store.credential("a")
    assert caught.value.code == "WALLET_CORRUPT"


@pytest.mark.parametrize("name, value", [("opslimit", b"999999999"), ("salt", b"short"), ("magic", b"other"),
                                         ("check", b"x" * 60)])
def test_a_damaged_header_is_corrupt(tmp_path: Path, name: str, value: bytes) -> None:
    new_store(tmp_path).close()
    with sqlite3.connect(tmp_path / "wallet.db") as db:
        db.execute("UPDATE header SET value = ? WHERE name = ?", (value, name))
    with pytest.raises((WalletError, WrongPassphraseError)) as caught:
        WalletStore.open(tmp_path / "wallet.db", PASSPHRASE)
    # a replaced check value cannot be told from a wrong passphrase; everything else is named corrupt
    assert caught.value.code == ("WRONG_PASSPHRASE" if name == "check" else "WALLET_CORRUPT")


def test_a_missing_header_row_is_corrupt(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    with sqlite3.connect(tmp_path / "wallet.db") as db:
        db.execute("DELETE FROM header WHERE name = 'salt'")
    with pytest.raises(WalletError) as caught:
        WalletStore.open(tmp_path / "wallet.db", PASSPHRASE)
    assert caught.value.code == "WALLET_CORRUPT"


def test_creating_over_a_wallet_and_opening_nothing_are_named(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    with pytest.raises(WalletError) as exists:
        WalletStore.create(tmp_path / "wallet.db", PASSPHRASE)
    assert exists.value.code == "WALLET_EXISTS"
    with pytest.raises(WalletError) as missing:
        WalletStore.open(tmp_path / "nothing.db", PASSPHRASE)
    assert missing.value.code == "WALLET_NOT_FOUND"


def test_a_record_not_held_is_named(tmp_path: Path) -> None:
    with new_store(tmp_path) as store, pytest.raises(WalletError) as caught:
        store.credential("nope")
    assert caught.value.code == "WALLET_RECORD_NOT_FOUND"


def test_changing_the_passphrase_reseals_everything(tmp_path: Path, issuer: KeyPair) -> None:
    with new_store(tmp_path) as store:
        add_birth_certificate(store, issuer)
        store.change_passphrase("a new passphrase")
    with pytest.raises(WrongPassphraseError):
        WalletStore.open(tmp_path / "wallet.db", PASSPHRASE)
    with WalletStore.open(tmp_path / "wallet.db", "a new passphrase") as store:
        assert store.credential("birth-1").format == "dc+sd-jwt"


def test_status_checks_are_noted(tmp_path: Path, issuer: KeyPair) -> None:
    with new_store(tmp_path) as store:
        add_birth_certificate(store, issuer)
        updated = store.record_status("birth-1", "revoked")
        assert updated.status == "revoked" and updated.status_checked_at == T0
        assert store.credential("birth-1").status == "revoked"


def test_the_file_is_private(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    assert (tmp_path / "wallet.db").stat().st_mode & 0o077 == 0
