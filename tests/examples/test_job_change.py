"""examples/job_change.py: the new employer's own trust list decides; the insurance card number stays private."""

from __future__ import annotations

import re

from examples import job_change


def test_the_new_employer_verifies_with_its_trust_list(capsys) -> None:
    assert job_change.main() == 0
    out = capsys.readouterr().out
    assert "verified: True" in out
    assert "insurance card symbol and number disclosed: False" in out
    assert re.search(r"Tax withheld\s*\|\s*¥89,400\s*\| WithholdingSlipCredential", out)
    assert "without the insurer on the trust list: verified False (UNTRUSTED_ISSUER" in out
    assert out.rstrip().endswith("job change documents complete")
