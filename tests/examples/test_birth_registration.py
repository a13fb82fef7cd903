"""examples/birth_registration.py: the verifier service fills the 出生届 from the wallet's answer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from examples import birth_registration

ROOT = Path(__file__).resolve().parents[2]


def test_the_form_is_filled_from_both_certificates(capsys) -> None:
    assert birth_registration.main() == 0
    out = capsys.readouterr().out
    assert "verifier: Chiyoda City (signed request: True)" in out
    assert "verified: True" in out
    assert re.search(r"Child's sex\s*\|\s*female\s*\| BirthCertificateCredential \(Kasumigaseki Central Hospital\)", out)
    assert re.search(r"Notifier's given name\s*\|\s*花子\s*\| ResidentRecordCredential \(Chiyoda City\)", out)
    assert out.rstrip().endswith("birth registration form complete")


def test_it_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, "-m", "examples.birth_registration"], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "birth registration form complete" in done.stdout
