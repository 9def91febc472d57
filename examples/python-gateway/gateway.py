#!/usr/bin/env python3
"""A Python IKEv2 gateway's side of Ticket Offload, on stock grpcio: coalesced resumes, deadlines,
RESOURCE_EXHAUSTED retried after the server's pushback with a stable attempt_id, TLS/mTLS, and
what the IKE responder does with each outcome. Run it against a live ticketd: it seals a batch,
resumes it, provokes every outcome a client can cause and checks each (gateway_check.py; exit
status 1 on any surprise). See README.md."""
import argparse
import os
import random
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import grpc

import ticketoffload_stubs as stubs

# What the IKEv2 responder does with an Open outcome (RFC 5723 section 4.3.1). Only OK resumes:
# derive SKEYSEED = prf(SK_d(old), "Resumption" | Ni | Nr) from the returned state and answer
# IKE_SESSION_RESUME. Anything else answers N(TICKET_NACK) and the client runs a full IKE_SA_INIT /
# IKE_AUTH (with EAP, if that is how it authenticated): the ticket is spent, stolen, forged, too old,
# from a key that is gone, from a format we do not speak, revoked (REVOKED: the full exchange
# re-authenticates the identity), or by reference with its state gone from the store
# (STATE_NOT_FOUND). An outcome this code does not know yet lands on the same side: never resume on
# anything but OK.
def responder_action(outcome):
    return "resume" if outcome == "OK" else "full IKE_SA_INIT"


def connect(target, ca=None, cert=None, key=None, authority=None):
    """Plaintext without --ca; TLS with it; mTLS with --cert/--key as well."""
    if not ca:
        return grpc.insecure_channel(target)
    read = lambda p: open(p, "rb").read() if p else None
    creds = grpc.ssl_channel_credentials(read(ca), read(key), read(cert))
    opts = [("grpc.ssl_target_name_override", authority)] if authority else []
    return grpc.secure_channel(target, creds, opts)


class Retrying:
    """One RPC with a deadline per attempt, retried only when the server shed it and said when."""

    def __init__(self, rpc, deadline_s=5.0, max_attempts=5):
        self.rpc, self.deadline_s, self.max_attempts = rpc, deadline_s, max_attempts
        self.pushbacks = 0  # retries the server asked for (for the demo's report)
        self._lock = threading.Lock()

    def __call__(self, request):
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self.rpc(request, timeout=self.deadline_s)
            except grpc.RpcError as e:
                pushback = dict(e.trailing_metadata() or ()).get("grpc-retry-pushback-ms", "")
                # RESOURCE_EXHAUSTED without the trailer (e.g. a message over --max-request-bytes)
                # is not overload: sending it again would fail again. A negative one means "do not retry".
                if (e.code() != grpc.StatusCode.RESOURCE_EXHAUSTED or not pushback.isdigit()
                        or attempt == self.max_attempts):
                    raise
                with self._lock:
                    self.pushbacks += 1
                time.sleep(int(pushback) / 1000.0 * (1 + random.random() / 2))  # jitter: no herd


class Coalescer:
    """IKE worker threads call open(ticket) and block on a future; a flusher sends one Open RPC per
    max_items tickets, or after linger_s for the first waiting ticket, on a few worker threads."""

    def __init__(self, api, call, realm="", max_items=64, linger_s=0.002, rpcs_in_flight=4):
        self.api, self.call, self.realm = api, call, realm
        self.max_items, self.linger_s = max_items, linger_s
        self._cv = threading.Condition()
        self._queue = []  # (OpenItem, Future)
        self._closed = False
        self._pool = ThreadPoolExecutor(rpcs_in_flight)
        self._flusher = threading.Thread(target=self._run, daemon=True)
        self._flusher.start()

    def open(self, ticket, peek=False):
        # attempt_id: random per item, chosen once, so every retry of this item carries the same one
        # (a consume whose answer was lost then answers OK again instead of REPLAYED).
        item = self.api.OpenItem(ticket=ticket, peek=peek, attempt_id=os.urandom(16))
        fut = Future()
        with self._cv:
            self._queue.append((item, fut))
            self._cv.notify()
        return fut

    def _run(self):
        while True:
            with self._cv:
                while not self._queue and not self._closed:
                    self._cv.wait()
                if not self._queue:
                    return
                first_at = time.monotonic()
                while len(self._queue) < self.max_items and not self._closed:
                    left = first_at + self.linger_s - time.monotonic()
                    if left <= 0:
                        break
                    self._cv.wait(left)
                batch, self._queue = self._queue[:self.max_items], self._queue[self.max_items:]
            self._pool.submit(self._send, batch)

    def _send(self, batch):
        req = self.api.OpenRequest(realm=self.realm)
        for ref, (item, _) in enumerate(batch):
            req.items.add().CopyFrom(item)
            req.items[ref].ref = ref
        try:
            results = self.call(req).results
            for r in results:
                batch[r.ref][1].set_result(r)
        except Exception as e:  # the call failed as a whole: every waiting resume falls back
            for _, fut in batch:
                fut.set_exception(e)

    def close(self):
        with self._cv:
            self._closed = True
            self._cv.notify()
        self._flusher.join()
        self._pool.shutdown(wait=True)


if __name__ == "__main__":
    import gateway_check
    sys.exit(gateway_check.main(sys.argv[1:]))
