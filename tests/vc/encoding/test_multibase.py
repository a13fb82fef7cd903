import csv
from pathlib import Path

import pytest

from vc.encoding import decode_multibase, encode_base58btc, encode_base64url_multibase
from vc.errors import MalformedError

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "multiformats" / "multibase-tests"
# inputs from the suite's README.md table
INPUTS = {
    "basic.csv": b"yes mani !",
    "leading_zero.csv": b"\x00yes mani !",
    "two_leading_zeros.csv": b"\x00\x00yes mani !",
    "case_insensitivity.csv": b"hello world",
}
ENCODERS = {"base58btc": encode_base58btc, "base64url": encode_base64url_multibase}


def _rows():
    for name, raw in INPUTS.items():
        with (VECTORS / name).open(newline="") as handle:
            for row in csv.reader(handle, skipinitialspace=True):
                if row and row[0] not in ("encoding", "non-canonical encoding"):
                    yield pytest.param(row[0], row[1], raw, id=f"{name}-{row[0]}")


ROWS = list(_rows())


def test_vectors_present():
    encodings = {p.values[0] for p in ROWS}
    assert {"base58btc", "base64url", "base64urlpad", "base16"} <= encodings


@pytest.mark.parametrize(("encoding", "encoded", "raw"), ROWS)
def test_multibase_vectors(encoding, encoded, raw):
    if encoding in ENCODERS:
        # the case-insensitivity file has no base58btc/base64url rows, so these are canonical forms
        assert ENCODERS[encoding](raw) == encoded
        assert decode_multibase(encoded) == raw
    else:
        # only 'z' and 'u' are accepted: anything else fails closed
        with pytest.raises(MalformedError):
            decode_multibase(encoded)


@pytest.mark.parametrize("bad", ["", "z", "z0OIl", "zabc+", "u===", "uZg==", "Zabc", "mZm9v"])
def test_rejects_invalid(bad):
    with pytest.raises(MalformedError):
        decode_multibase(bad)
