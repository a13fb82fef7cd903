"""転校 (school transfer): a parent shows the former school's 在学証明書 of her son, with the household certificate
that makes her his guardian, to the new municipality's board of education (verifier service, OpenID4VP).

The household is an optional part of the request (a student may apply alone): the wallet leaves optional parts
out unless the resident includes them, which the parent does here, so the form's guardian and address fields fill.

    python -m examples.school_transfer
"""

from __future__ import annotations

import sys
import tempfile

from examples import family
from examples.world import Town
from vc.holder import match_dcql, plan_presentation, present

BOARD = {"ja": "千代田区教育委員会", "en": "Chiyoda City Board of Education"}


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, \
            Town.open(folder, issuers=("school", "city"), verifier_name=BOARD) as town:
        town.issue_to_wallet("school", "SchoolEnrollment", family.school_enrollment())
        town.issue_to_wallet("city", "Household", family.household())

        created = town.request("school-transfer")
        request = town.wallet.open_request(created["link"])
        match = match_dcql(request.dcql_query, town.store.credentials())
        # the optional credential set the household answers: the parent chooses to include it
        optional = [s.index for s in match.sets if not s.required and s.satisfiable]
        plan = plan_presentation(match, include_optional_sets=optional)
        print(f"verifier: {request.verifier_display_name('en')}")
        print("sends:    " + ", ".join(item.credential.display_name("en") for item in plan.credentials))
        present(town.store, town.wallet, request, plan)

        outcome = town.result(created)["outcome"]
        print(f"verified: {outcome['verified']}")
        print(town.render(outcome["form"], lang="en"))
        guardian = next(f for f in outcome["form"]["fields"] if f["id"] == "guardian")
        print(f"guardian: {guardian['text']}")
        complete = outcome["verified"] and outcome["form"]["complete"] and bool(guardian["text"])
        print("school transfer form complete" if complete else "school transfer form INCOMPLETE")
        return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
