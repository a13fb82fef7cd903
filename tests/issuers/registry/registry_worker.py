"""Helper process for the concurrency tests (not collected by pytest).

    python registry_worker.py LOCATION PREFIX COUNT [GO_FILE]

Waits for GO_FILE (so several workers start together), registers COUNT credentials and prints one
JSON line per *committed* registration: [credential_id, [[purpose, list_id, index], ...]].
"""

from __future__ import annotations

import json
import os
import sys
import time

from issuers.registry import open_registry


def main() -> None:
    location, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    go_file = sys.argv[4] if len(sys.argv) > 4 else ""
    with open_registry(location, base_url="https://city.example/status") as registry:
        while go_file and not os.path.exists(go_file):
            time.sleep(0.002)
        for n in range(count):
            reg = registry.register(
                credential_id=f"{prefix}-{n}", credential_type="ResidentRecordCredential", format="eddsa-rdfc-2022"
            )
            line = [reg.credential_id, [[e.purpose, e.list_id, e.index] for e in reg.entries]]
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
