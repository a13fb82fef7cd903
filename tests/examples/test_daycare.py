"""examples/daycare.py: verifier as a library; the salary stays in the wallet; the child's certificate, held by her
mother, counts through the household."""

from __future__ import annotations

import re

from examples import daycare


def test_daycare_application_without_the_salary(capsys) -> None:
    assert daycare.main() == 0
    out = capsys.readouterr().out
    assert "verified: True" in out
    assert "salary (baseSalary) disclosed: False" in out
    assert "312000" not in out and "312,000" not in out
    assert "child applied for: 桜 (linked by household:子)" in out
    assert re.search(r"Children in the household\s*\|\s*山田 一郎 \(子, 2019-11-03\), 山田 桜 \(子, ", out)
    assert re.search(r"Applicant's working hours\s*\|\s*5 days a week, 9:00–17:30 \(60 min break; 37.5 h a week\)", out)
    assert re.search(r"Applicant's employer\s*\|\s*株式会社霞が関商事\s*\| EmploymentCertificateCredential", out)
    assert out.rstrip().endswith("daycare application complete")
