#!/usr/bin/env python3
"""Checks docs/ticket-vectors-v1.json with ticket_format.py (written from docs/ticket-format.md):
opens every vector at its `now` and compares the outcome (and, on OK, the state); re-seals the OK
and EXPIRED vectors with their IV and compares the bytes. Exit status 1 on any difference."""
import argparse
import base64
import collections
import json
import os
import sys

import ticket_format

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "ticket-vectors-v1.json")
BYTE_FIELDS = ("spi_i", "spi_r", "sk_d", "id_i", "id_r", "sa_r", "ext")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--vectors", default=VECTORS, help="vectors file (default: the repository's docs/ticket-vectors-v1.json)")
    a = p.parse_args(argv)
    with open(a.vectors) as f:
        vectors = json.load(f)["vectors"]
    failures, seen, resealed = [], collections.Counter(), 0
    for v in vectors:
        realm = ticket_format.Realm(v["realm"], {v["master_id"]: base64.b64decode(v["master_secret"])}, v["master_id"],
                                    v["epoch_seconds"], v["max_ticket_lifetime_seconds"], v["skew_seconds"])
        state = dict(v["state"], **{k: bytes.fromhex(v["state"][k]) for k in BYTE_FIELDS})
        ticket = bytes.fromhex(v["ticket"])
        outcome, opened = realm.open(ticket, v["now"])
        seen[outcome] += 1
        if outcome != v["outcome"]:
            failures.append("%s: opened as %s, the vector says %s" % (v["name"], outcome, v["outcome"]))
        elif outcome == "OK" and opened != state:
            failures.append("%s: OK but the state differs" % v["name"])
        if v["outcome"] in ("OK", "EXPIRED"):
            resealed += 1
            if realm.seal(state, bytes.fromhex(v["iv"]), v["now"]) != ticket:
                failures.append("%s: sealing the state with the vector's IV gives other bytes" % v["name"])
    for f in failures:
        print("FAIL " + f)
    print("%d vectors opened (%s), %d re-sealed byte for byte, %d failure(s)"
          % (len(vectors), ", ".join("%s %d" % kv for kv in sorted(seen.items())), resealed, len(failures)))
    return 1 if failures or not vectors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
