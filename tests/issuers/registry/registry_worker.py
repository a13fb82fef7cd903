"""Helper process for the concurrency tests (not collected by pytest).

    python registry_worker.py LOCATION PREFIX COUNT [GO_FILE] [--chunk N] [--keys KEY_PREFIX]

Waits for GO_FILE (so several workers start together), registers COUNT credentials (``--chunk N``:
``register_many`` N at a time; ``--keys``: with idempotency keys ``KEY_PREFIX-n``) and prints one JSON
line per *committed* registration: [credential_id, [[purpose, list_id, index], ...]].
"""

from __future__ import annotations

import json
import os
import sys
import time

from issuers.registry import RegistrationRequest, open_registry


def main() -> None:
    args = sys.argv[1:]
    options: dict[str, str] = {}
    for flag in ("--chunk", "--keys"):
        if flag in args:
            at = args.index(flag)
            options[flag] = args[at + 1]
            del args[at:at + 2]
    location, prefix, count = args[0], args[1], int(args[2])
    go_file = args[3] if len(args) > 3 else ""
    chunk = int(options.get("--chunk", "1"))
    keys = options.get("--keys")
    with open_registry(location, base_url="https://city.example/status") as registry:
        while go_file and not os.path.exists(go_file):
            time.sleep(0.002)
        for start in range(0, count, chunk):
            requests = [
                RegistrationRequest(f"{prefix}-{n}", "ResidentRecordCredential", "eddsa-rdfc-2022",
                                    idempotency_key=f"{keys}-{n}" if keys else None)
                for n in range(start, min(count, start + chunk))
            ]
            if chunk == 1:
                r = requests[0]
                done = [registry.register(credential_id=r.credential_id, credential_type=r.credential_type,
                                          format=r.format, idempotency_key=r.idempotency_key)]
            else:
                done = registry.register_many(requests)
            lines = [json.dumps([reg.credential_id, [[e.purpose, e.list_id, e.index] for e in reg.entries]])
                     for reg in done]
            print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
