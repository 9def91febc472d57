#!/usr/bin/env python3
"""Ticket Offload from a shell: seal a state, open or peek a ticket, check health.

  ops.py seal [--lifetime S] [state flags]   prints the ticket (hex) on stdout
  ops.py open TICKET_HEX|-                   consumes it; prints the outcome (JSON); exit 0 only on OK
  ops.py peek TICKET_HEX|-                   checks it without consuming
  ops.py health [--realm R] [--metrics URL]  health service, then a canary seal+peek in realm R

Exit status: 0 OK/healthy, 2 an outcome other than OK or unhealthy, 1 a call that failed.
"""
import argparse
import json
import os
import sys
import urllib.request

import grpc
from google.protobuf import descriptor_pb2

import gateway
import ticketoffload_stubs as stubs


def health_check(channel, service, timeout_s):
    f = descriptor_pb2.FileDescriptorProto(name="health_min.proto", package="grpc.health.v1", syntax="proto3")
    f.message_type.add(name="HealthCheckRequest").field.add(name="service", number=1, type=9, label=1)
    f.message_type.add(name="HealthCheckResponse").field.add(name="status", number=1, type=5, label=1)
    pool = stubs.pool_of([f])
    req, resp = (stubs.message_class(pool, "grpc.health.v1." + n) for n in ("HealthCheckRequest", "HealthCheckResponse"))
    check = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=req.SerializeToString,
                                response_deserializer=resp.FromString)
    status = check(req(service=service), timeout=timeout_s).status
    return {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}.get(status, str(status))


def state_from(a, api):
    return api.IkeSaState(spi_i=bytes.fromhex(a.spi_i) if a.spi_i else os.urandom(8),
                          spi_r=bytes.fromhex(a.spi_r) if a.spi_r else os.urandom(8), auth_method=a.auth_method,
                          eap=a.eap, sk_d=bytes.fromhex(a.sk_d) if a.sk_d else os.urandom(32),
                          id_i=bytes.fromhex(a.id_i), id_r=bytes.fromhex(a.id_r), sa_r=bytes.fromhex(a.sa_r),
                          ext=bytes.fromhex(a.ext))


def describe(api, r, show_secrets):
    out = {"outcome": api.outcome(r), "action": gateway.responder_action(api.outcome(r))}
    if r.expires_at:
        out["expires_at"] = r.expires_at
    if api.outcome(r) == "OK":
        s = r.state
        out.update(issued_at=r.issued_at, state={
            "spi_i": s.spi_i.hex(), "spi_r": s.spi_r.hex(), "auth_method": s.auth_method, "eap": s.eap,
            "sk_d": s.sk_d.hex() if show_secrets else "(%d bytes; --show-secrets prints it)" % len(s.sk_d),
            "id_i": s.id_i.hex(), "id_r": s.id_r.hex(), "sa_r": s.sa_r.hex(), "ext": s.ext.hex()})
    return out


def main(argv):
    top = argparse.ArgumentParser(prog="ops.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--target", default="127.0.0.1:50051", help="ticketd address (default %(default)s)")
    common.add_argument("--ca", help="CA of the server certificate (PEM): use TLS")
    common.add_argument("--cert", help="client certificate chain (PEM), with --key: mutual TLS")
    common.add_argument("--key", help="client private key (PEM)")
    common.add_argument("--authority", help="name expected in the server certificate, if not the target host")
    common.add_argument("--realm", default="default", help="key realm (default %(default)s)")
    common.add_argument("--deadline", type=float, default=5.0, help="seconds per call (default %(default)s)")
    common.add_argument("--stubs", choices=["auto", "proto", "reflection"], default="auto",
                        help="message types from the .proto via grpc_tools, or from server reflection (default: auto)")
    sub = top.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("seal", parents=[common], help="seal one state; prints the ticket in hex")
    s.add_argument("--lifetime", type=int, default=0, help="requested seconds; 0 = the realm's maximum (default 0)")
    s.add_argument("--spi-i", help="8 bytes hex (default random)")
    s.add_argument("--spi-r", help="8 bytes hex (default random)")
    s.add_argument("--auth-method", type=int, default=2, help="IANA IKEv2 auth method (default 2, shared key)")
    s.add_argument("--eap", action="store_true", help="EAP was used")
    s.add_argument("--sk-d", help="SK_d, 1..64 bytes hex (default 32 random bytes)")
    s.add_argument("--id-i", default="030000006f7073406c6f63616c686f7374", help="IDi payload body hex (default ID_RFC822_ADDR ops@localhost)")
    s.add_argument("--id-r", default="020000006c6f63616c686f7374", help="IDr payload body hex (default ID_FQDN localhost)")
    s.add_argument("--sa-r", default="00", help="SAr payload body hex (default 00)")
    s.add_argument("--ext", default="", help="opaque gateway state hex (default empty)")
    for name, what in (("open", "open and consume a ticket"), ("peek", "check a ticket without consuming it")):
        o = sub.add_parser(name, parents=[common], help=what)
        o.add_argument("ticket", help="the ticket in hex, or - to read it from standard input")
        o.add_argument("--show-secrets", action="store_true", help="print SK_d (default: only its length)")
    h = sub.add_parser("health", parents=[common], help="health service, then seal+peek a canary in --realm")
    h.add_argument("--metrics", help="also print the key ring and backend lines of http://HOST:PORT/metrics")
    a = top.parse_args(argv)

    channel = gateway.connect(a.target, a.ca, a.cert, a.key, a.authority)
    try:
        if a.cmd == "health":
            return health(a, channel)
        api = stubs.load(channel, a.stubs)
        if a.cmd == "seal":
            req = api.SealRequest(realm=a.realm)
            req.items.add(ref=1, state=state_from(a, api), lifetime_seconds=a.lifetime)
            r = api.method(channel, "Seal")(req, timeout=a.deadline).results[0]
            print("lifetime_seconds %d, expires_at %d" % (r.lifetime_seconds, r.expires_at), file=sys.stderr)
            print(r.ticket.hex())
            return 0
        ticket = bytes.fromhex((sys.stdin.read() if a.ticket == "-" else a.ticket).strip())
        req = api.OpenRequest(realm=a.realm)
        req.items.add(ref=1, ticket=ticket, peek=a.cmd == "peek")
        r = api.method(channel, "Open")(req, timeout=a.deadline).results[0]
        print(json.dumps(describe(api, r, a.show_secrets)))
        return 0 if api.outcome(r) == "OK" else 2
    except grpc.RpcError as e:
        print("ops.py: %s failed: %s %s" % (a.cmd, e.code().name, e.details()), file=sys.stderr)
        return 1
    except ValueError as e:  # hex that does not parse
        print("ops.py: %s: bad input: %s" % (a.cmd, e), file=sys.stderr)
        return 1
    finally:
        channel.close()


def health(a, channel):
    healthy = True
    for service in ("", stubs.SERVICE):
        status = health_check(channel, service, a.deadline)
        healthy &= status == "SERVING"
        print("health %-32s %s" % (service or '""', status))
    # The key ring is healthy for a realm when it has a primary that seals and the ticket opens.
    api = stubs.load(channel, a.stubs)
    seal = api.SealRequest(realm=a.realm)
    seal.items.add(ref=1, lifetime_seconds=60, state=api.IkeSaState(
        spi_i=os.urandom(8), spi_r=os.urandom(8), sk_d=os.urandom(32), id_i=b"\x02\x00\x00\x00canary",
        id_r=b"\x02\x00\x00\x00canary", sa_r=b"\x00"))
    ticket = api.method(channel, "Seal")(seal, timeout=a.deadline).results[0].ticket
    peek = api.OpenRequest(realm=a.realm)
    peek.items.add(ref=1, ticket=ticket, peek=True)
    outcome = api.outcome(api.method(channel, "Open")(peek, timeout=a.deadline).results[0])
    healthy &= outcome == "OK"
    print("key ring realm %s: canary sealed under master %d epoch %d, peek %s"
          % (a.realm, int.from_bytes(ticket[4:6], "big"), int.from_bytes(ticket[6:12], "big"), outcome))
    if a.metrics:
        text = urllib.request.urlopen(a.metrics.rstrip("/") + ("" if a.metrics.endswith("/metrics") else "/metrics"),
                                      timeout=a.deadline).read().decode()
        for line in text.splitlines():
            if line.startswith(("ticketoffload_keyring_reloads_total", "ticketoffload_backend_info")):
                print(line)
    return 0 if healthy else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
