"""出生届 (birth registration), the way a municipality integrates it: the verifier *service* asks over OpenID4VP.

The hospital issues the 出生証明書 and the municipality the parent's 住民票の写し to her wallet (OpenID4VCI, offer +
PIN); the municipality's staff start the procedure at the verifier service (``POST /requests``); the wallet library
opens the signed request, computes exactly what it would disclose, and answers; the staff read the verified,
pre-filled form, each field with the credential it came from.

    python -m examples.birth_registration
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta

from examples import family
from examples.world import Town, today
from vc.holder import match_dcql, plan_presentation, present


def main() -> int:
    born = today() - timedelta(days=2)
    with tempfile.TemporaryDirectory() as folder, Town.open(folder, issuers=("hospital", "city")) as town:
        # the institutions issue to the parent's wallet (OpenID4VCI pre-authorized code with a PIN)
        town.issue_to_wallet("hospital", "BirthCertificate", family.birth_certificate(born))
        town.issue_to_wallet("city", "ResidentRecord", family.resident_record())

        # the municipality's staff: a presentation request for the shipped procedure "birth-registration"
        created = town.request("birth-registration")

        # the wallet: open the request (its signature is checked), match the credentials, plan the disclosure
        request = town.wallet.open_request(created["link"])
        plan = plan_presentation(match_dcql(request.dcql_query, town.store.credentials()))
        print(f"verifier: {request.verifier_display_name('en')} (signed request: {request.verified})")
        print(f"purpose:  {request.purpose_text('en')}")
        for item in plan.credentials:
            print(f"sends:    {item.credential.display_name('en')}, {len(item.disclosed)} claims")
        present(town.store, town.wallet, request, plan)  # the resident said yes

        # the staff: the verified outcome and the form, filled from verified claims only
        outcome = town.result(created)["outcome"]
        print(f"verified: {outcome['verified']}")
        print(town.render(outcome["form"], lang="en"))
        complete = outcome["verified"] and outcome["form"]["complete"]
        print("birth registration form complete" if complete else "birth registration form INCOMPLETE")
        return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
