"""The gateway example's run against a live ticketd: seals a batch, resumes it through the
coalescer, then provokes every outcome a client can cause and checks it. Exit status 1 on any
unexpected answer, so CI fails when the example does."""
import argparse
import os
import threading
import time

import grpc

import gateway
import ticketoffload_stubs as stubs


def state(api, i):
    return api.IkeSaState(spi_i=i.to_bytes(8, "big"), spi_r=os.urandom(8), auth_method=2, eap=i % 2 == 0,
                          sk_d=os.urandom(32), id_i=b"\x03\x00\x00\x00user%d@example.net" % i,
                          id_r=b"\x02\x00\x00\x00vpn.example.net", sa_r=bytes(range(44)), ext=b"py")


class Checks:
    def __init__(self):
        self.failed = 0

    def expect(self, what, got, want):
        ok = got == want
        self.failed += not ok
        print("%s %s: %s%s" % ("ok  " if ok else "FAIL", what, got, "" if ok else " (expected %s)" % (want,)), flush=True)


def main(argv):
    p = argparse.ArgumentParser(prog="gateway.py", description=__doc__)
    p.add_argument("--target", default="127.0.0.1:50051", help="ticketd address (default %(default)s)")
    p.add_argument("--ca", help="CA of the server certificate (PEM): use TLS")
    p.add_argument("--cert", help="client certificate chain (PEM), with --key: mutual TLS")
    p.add_argument("--key", help="client private key (PEM)")
    p.add_argument("--authority", help="name expected in the server certificate, if not the target host")
    p.add_argument("--stubs", choices=["auto", "proto", "reflection"], default="auto",
                   help="where message types come from (default %(default)s: grpc_tools if installed, else reflection)")
    p.add_argument("--items", type=int, default=64, help="states sealed and resumed (default %(default)s)")
    p.add_argument("--batch", type=int, default=16, help="coalescer flush size (default %(default)s)")
    p.add_argument("--max-attempts", type=int, default=5, help="attempts per shed batch (default %(default)s)")
    p.add_argument("--expect-pushback", action="store_true",
                   help="also require that concurrent resumes were shed and retried (a server with a small --max-items-in-flight)")
    p.add_argument("--oversize-request-bytes", type=int, default=0,
                   help="the server's --max-request-bytes: check that a larger request is not retried")
    a = p.parse_args(argv)

    channel = gateway.connect(a.target, a.ca, a.cert, a.key, a.authority)
    api = stubs.load(channel, a.stubs)
    print("message types from %s" % api.source)
    seal = gateway.Retrying(api.method(channel, "Seal"), max_attempts=a.max_attempts)
    opener = gateway.Retrying(api.method(channel, "Open"), max_attempts=a.max_attempts)
    c = Checks()

    def seal_all(states, lifetime=3600):  # in batches of --batch (the server's --max-items-per-request)
        out = []
        for start in range(0, len(states), a.batch):
            req = api.SealRequest(realm="default")
            for i, s in enumerate(states[start:start + a.batch]):
                req.items.add(ref=start + i, state=s, lifetime_seconds=lifetime)
            out.extend(seal(req).results)
        return out

    def open_one(ticket, peek=False, realm="default"):
        req = api.OpenRequest(realm=realm)
        req.items.add(ref=7, ticket=ticket, peek=peek, attempt_id=os.urandom(16))
        return api.outcome(opener(req).results[0])

    states = [state(api, i) for i in range(a.items)]
    sealed = seal_all(states)
    c.expect("sealed a batch", len(sealed), a.items)

    # A reconnect storm in miniature: one IKE worker thread per resume, coalesced into batches.
    co = gateway.Coalescer(api, opener, realm="default", max_items=a.batch)
    results = [None] * a.items
    def resume(i):
        try:
            results[i] = co.open(sealed[i].ticket).result()
        except grpc.RpcError:
            pass  # the call failed as a whole: the responder falls back to a full IKE_SA_INIT
    threads = [threading.Thread(target=resume, args=(i,)) for i in range(a.items)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    c.expect("concurrent resumes -> " + gateway.responder_action("OK"),
             sum(r is not None and api.outcome(r) == "OK" and r.state == states[i] for i, r in enumerate(results)), a.items)
    c.expect("second open REPLAYED -> " + gateway.responder_action("REPLAYED"), open_one(sealed[0].ticket), "REPLAYED")

    fresh = seal_all([state(api, 1000)])[0].ticket
    c.expect("peek", open_one(fresh, peek=True), "OK")
    c.expect("peek again (not consumed)", open_one(fresh, peek=True), "OK")
    c.expect("open after peeks", open_one(fresh), "OK")
    t = bytearray(fresh); t[-1] ^= 1
    c.expect("tampered tag", open_one(bytes(t)), "AUTH_FAILED")
    c.expect("truncated to 40 bytes", open_one(fresh[:40]), "MALFORMED")
    c.expect("format_version 3", open_one(b"\x03" + fresh[1:]), "UNSUPPORTED_VERSION")
    c.expect("unknown master id", open_one(fresh[:4] + b"\xff\xff" + fresh[6:]), "UNKNOWN_KEY")
    c.expect("realm not in the key ring", open_one(fresh, realm="no-such-realm"), "UNKNOWN_KEY")
    short = seal_all([state(api, 2000)], lifetime=1)[0]
    time.sleep(max(0.0, short.expires_at + 0.05 - time.time()))
    c.expect("lifetime 1 s, opened after expires_at", open_one(short.ticket), "EXPIRED")

    if a.expect_pushback:
        # Several full batches at once against a server whose --max-items-in-flight is one batch:
        # all but one are shed and come back after the pushback. Overlap is likely, not certain.
        outs, sent = [], 0
        opener.pushbacks = 0  # count this burst's retries only
        for wave in range(20):
            tickets = [s.ticket for s in seal_all([state(api, 3000 + i) for i in range(a.batch * 4)])]
            def burst(part):
                req = api.OpenRequest(realm="default")
                for i, tk in enumerate(part):
                    req.items.add(ref=i, ticket=tk, attempt_id=os.urandom(16))
                try:
                    outs.extend(api.outcome(r) for r in opener(req).results)
                except grpc.RpcError as e:
                    outs.extend([e.code().name] * len(part))
            ts = [threading.Thread(target=burst, args=(tickets[i:i + a.batch],)) for i in range(0, len(tickets), a.batch)]
            sent += len(tickets)
            [t.start() for t in ts]
            [t.join() for t in ts]
            if opener.pushbacks:
                break
        c.expect("shed batches retried after grpc-retry-pushback-ms", opener.pushbacks > 0, True)
        c.expect("their resumes OK (of %d)" % sent, outs.count("OK"), sent)
    if a.oversize_request_bytes:
        attempts = []
        counted = lambda req, timeout: attempts.append(1) or api.method(channel, "Open")(req, timeout=timeout)
        big = api.OpenRequest(realm="default")
        for i in range(a.oversize_request_bytes // 1000 + 1):
            big.items.add(ref=i, ticket=os.urandom(1000))
        try:
            gateway.Retrying(counted, max_attempts=a.max_attempts)(big)
            code = "OK"
        except grpc.RpcError as e:
            code = e.code().name
        c.expect("request over --max-request-bytes", code, "RESOURCE_EXHAUSTED")
        c.expect("... without pushback: attempts", len(attempts), 1)
    co.close()
    channel.close()
    print("%d check(s) failed" % c.failed if c.failed else "all checks passed")
    return 1 if c.failed else 0
