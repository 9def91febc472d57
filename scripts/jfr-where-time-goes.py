#!/usr/bin/env python3
"""Where a ticketd's CPU goes, from a JFR recording (e.g. ExternalLoadRun --ticketd-jfr FILE).

    scripts/jfr-where-time-goes.py FILE.jfr [--workers-ns N --transport-ns N]

Execution samples (jdk.ExecutionSample) are put in parts by the leaf-most frame that a rule below
knows (JDK frames fall through to their caller, so System.arraycopy under protobuf counts as
protobuf). With --workers-ns and --transport-ns (CPU per item of ticketd's worker threads and of its
network threads, from ExternalLoadRun's per-thread figures) each part also gets ns per item: its
share of each kind's samples times that kind's CPU. The network threads spend much of theirs in
the kernel (syscalls), which execution samples do not see. Then the top allocators
(jdk.ObjectAllocationSample, by weight), parks (jdk.ThreadPark) and monitor waits
(jdk.JavaMonitorEnter), and the GC pauses. Needs the JDK's `jfr` on PATH.
"""
import collections
import re
import subprocess
import sys

# (pattern on a frame "pkg.Class.method(...)", part); the first rule matching the leaf-most known frame wins.
RULES = [
    (r"IdentityKeyDerivation|IdentityMac|org\.bouncycastle\.crypto\.(digests|macs)", "revocation: identity key per ticket (HMAC-SHA256)"),
    (r"dev\.ticketoffload\.openssl\.", "crypto: AES-256-GCM (OpenSSL via FFM)"),
    (r"dev\.ticketoffload\.server\.replay\.", "replay guard (lock, table probes and misses)"),
    (r"dev\.ticketoffload\.server\.store\.", "store: revocation lookups (memory store's maps)"),
    (r"dev\.ticketoffload\.server\.admission\.|\.grpc\.(CallGate|ConnectionShares|AnswerRelease|AdmittedBatch)\.",
     "admission (monitor, per-connection shares, release)"),
    (r"dev\.ticketoffload\.core\.state\.StateView|\.grpc\.(PlaintextStates|ProtoStates)\.", "state view: the result's wire state"),
    (r"io\.micrometer\.|dev\.ticketoffload\.server\.metrics\.", "metrics"),
    (r"dev\.ticketoffload\.core\.", "ticket checks (header, key, expiry, batch bookkeeping)"),
    (r"dev\.ticketoffload\.server\.grpc\.(OpenBatchHandler|SealBatchHandler)\.", "handler: copy tickets in, results out"),
    (r"com\.google\.protobuf\.|dev\.ticketoffload\.api\.v1\.", "protobuf"),
    (r"java\.util\.concurrent\.(ThreadPoolExecutor|LinkedBlockingQueue)|dev\.ticketoffload\.server\.grpc\.Workers\.",
     "worker-pool hop (queue, hand-off)"),
    (r"io\.grpc\.netty\.shaded\.io\.netty\.|io\.grpc\.netty\.", "transport: Netty, HTTP/2"),
    (r"io\.grpc\.", "transport: gRPC core (calls, framing, marshalling)"),
    (r"dev\.ticketoffload\.", "other service code"),
]
PARSE = re.compile(r"parseFrom|Parser|mergeFrom|MessageMarshaller\.parse|CodedInputStream")

def events(path, kind, depth=64):
    out = subprocess.run(["jfr", "print", "--stack-depth", str(depth), "--events", kind, path],
                         check=True, capture_output=True, text=True).stdout
    for block in out.split(kind + " {")[1:]:
        fields = dict(re.findall(r"^  (\w+) = (.*)$", block, re.M))
        frames = re.findall(r"^    (\S.*?)(?: line: \d+)?(?: bci: \d+)?$", block.split("stackTrace = [", 1)[-1], re.M)
        yield fields, [f for f in frames if not f.startswith("...")]

def part(frames):
    for f in frames:
        for pattern, name in RULES:
            if re.search(pattern, f):
                if name == "protobuf":
                    return "protobuf: parse the request" if any(PARSE.search(g) for g in frames) \
                        else "protobuf: build and serialize the response"
                return name
    return "other (JDK, JVM)"

def thread_kind(name):
    name = name.strip('"').split('"')[0]
    return "transport" if name.startswith("grpc-") else "workers" if name.startswith("ticketd-worker") else "other"

def main():
    path = sys.argv[1]
    arg = lambda name: float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else None
    kind_ns = {"workers": arg("--workers-ns"), "transport": arg("--transport-ns")}
    ns = kind_ns["workers"] is not None and kind_ns["transport"] is not None
    parts, kinds, top = collections.Counter(), collections.Counter(), collections.Counter()
    for fields, frames in events(path, "jdk.ExecutionSample"):
        p = part(frames)
        parts[p] += 1
        kinds[(p, thread_kind(fields.get("sampledThread", "")))] += 1
        if frames:
            top[frames[0].split("(")[0]] += 1
    total = sum(parts.values())
    per_kind = collections.Counter()
    for (p, k), n in kinds.items():
        per_kind[k] += n
    print(f"{total} execution samples of Java threads\n")
    print("| part | share of samples | on network threads / workers |" + (" ns per item |" if ns else ""))
    print("| --- | ---: | ---: |" + (" ---: |" if ns else ""))
    for p, n in parts.most_common():
        row = f"| {p} | {100 * n / total:.1f}% | {kinds[(p, 'transport')]} / {kinds[(p, 'workers')]} |"
        if ns:
            row += f" {sum(kind_ns[k] * kinds[(p, k)] / per_kind[k] for k in kind_ns if per_kind[k]):.0f} |"
        print(row)
    print("\ntop frames (self):")
    for f, n in top.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {f}")

    alloc, alloc_top = collections.Counter(), collections.Counter()
    for fields, frames in events(path, "jdk.ObjectAllocationSample", 8):
        w = fields.get("weight", "0").replace(",", "")
        m = re.match(r"([\d.]+)\s*(bytes|kB|MB|GB)?", w)
        weight = float(m.group(1)) * {"bytes": 1, None: 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[m.group(2)] if m else 0
        cls = fields.get("objectClass", "?").split(" (")[0]
        site = next((f.split("(")[0] for f in frames if not re.match(r"(java|jdk)\.", f)), frames[0] if frames else "?")
        alloc[cls] += weight
        alloc_top[f"{cls} at {site}"] += weight
    total_alloc = sum(alloc.values()) or 1
    print("\ntop allocations by sampled weight:")
    for what, w in alloc_top.most_common(12):
        print(f"  {100 * w / total_alloc:5.1f}%  {w / 1e6:9.1f} MB  {what}")

    for kind in ("jdk.ThreadPark", "jdk.JavaMonitorEnter"):
        waits = collections.Counter()
        count = 0
        for fields, frames in events(path, kind, 12):
            count += 1
            site = next((f.split("(")[0] for f in frames if f.startswith("dev.ticketoffload")), frames[0] if frames else "?")
            waits[site] += 1
        print(f"\n{kind}: {count} events (over the threshold of the profile settings: 10 ms park, 10 ms monitor)")
        for site, n in waits.most_common(8):
            print(f"  {n:5d}  {site}")

    gcs = [f for f, _ in events(path, "jdk.GarbageCollection", 1)]
    print(f"\nGC: {len(gcs)} collections, longest pause {max((f.get('longestPause', '0') for f in gcs), default='-')},"
          f" sum of pauses {', '.join(f.get('sumOfPauses', '') for f in gcs)}")

if __name__ == "__main__":
    main()
