"""examples/school_transfer.py: the enrolment certificate and the optional household fill the transfer form."""

from __future__ import annotations

import re

from examples import school_transfer


def test_the_parent_includes_the_household(capsys) -> None:
    assert school_transfer.main() == 0
    out = capsys.readouterr().out
    assert "verifier: Chiyoda City Board of Education" in out
    assert "sends:    Certificate of enrolment, Household certificate" in out
    assert re.search(r"Former school\s*\|\s*千代田区立霞が関小学校\s*\| SchoolEnrollmentCredential", out)
    assert "guardian: 山田 太郎" in out
    assert out.rstrip().endswith("school transfer form complete")
