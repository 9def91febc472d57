#!/usr/bin/env bash
# Builds the C++ and Python gateway examples and runs them against two real `bin/ticketd serve`
# on loopback, which this script starts (on free ports, in a temp dir) and stops itself:
#   A  plaintext, default limits: every outcome, ops.py, interop with the Java client both ways
#   B  mutual TLS (certificates made here with openssl), one batch of room (--max-items-in-flight 16)
#      so concurrent batches are shed and retried after grpc-retry-pushback-ms
# and checks the published vectors with the Python implementation of docs/ticket-format.md.
# Any failed check fails the script (exit 1). Needs: cmake g++ pkg-config libgrpc++-dev
# protobuf-compiler-grpc libprotobuf-dev python3-grpcio python3-grpc-tools python3-cryptography openssl.
# CPP_BUILD_DIR (default examples/cpp-gateway/build) and PYTHON (default /usr/bin/python3) can be set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bin/find-jdk
PYTHON="${PYTHON:-/usr/bin/python3}"
build="${CPP_BUILD_DIR:-$root/examples/cpp-gateway/build}"
work="$(mktemp -d)"
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT
started=$SECONDS
step() { echo "== [$((SECONDS - started)) s] $*"; }

step "building the C++ example (stubs from ticket_service.proto)"
cmake -S examples/cpp-gateway -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$work/cmake.log" \
  || { cat "$work/cmake.log"; exit 1; }
cmake --build "$build" -j 2 > "$work/make.log" 2>&1 || { cat "$work/make.log"; exit 1; }
cpp="$build/cpp-gateway"

step "published vectors, opened and re-sealed by examples/python-gateway/ticket_format.py"
"$PYTHON" examples/python-gateway/check_vectors.py

step "test certificates (a CA, a server certificate for localhost/127.0.0.1, a gateway client certificate)"
tls="$work/tls"; mkdir "$tls"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc)
openssl req -x509 "${ec[@]}" -keyout "$tls/ca.key" -out "$tls/ca.pem" -days 2 -subj "/CN=examples test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
for who in server gateway-a; do
  openssl req -new "${ec[@]}" -keyout "$tls/$who.key" -out "$tls/$who.csr" -subj "/CN=$who" 2>/dev/null
  if [ "$who" = server ]; then ext="subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"; else ext="extendedKeyUsage=clientAuth"; fi
  openssl x509 -req -in "$tls/$who.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
    -out "$tls/$who.pem" -extfile <(echo "$ext") 2>/dev/null
done

step "starting ticketd A (plaintext) and B (mTLS, small room)"
bin/ticketd --help > /dev/null  # builds the server first if needed, once, before two start at once
start_server() {  # name, flags...
  local name=$1; shift
  mkdir "$work/$name"
  bin/ticketd serve --listen 127.0.0.1:0 --data-dir "$work/$name" "$@" > "$work/$name.out" 2> "$work/$name.err" &
  pids+=($!)
}
wait_listening() {  # name, pid -> prints the port
  for _ in $(seq 600); do
    if grep -q '^listening on ' "$work/$1.out"; then sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/$1.out"; return; fi
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "ticketd $1 did not start:" >&2; cat "$work/$1.err" >&2; exit 1
}
start_server a --metrics-listen 127.0.0.1:0
start_server b --tls-cert "$tls/server.pem" --tls-key "$tls/server.key" --client-ca "$tls/ca.pem" \
  --max-items-per-request 16 --max-items-in-flight 16 --retry-pushback-ms 5 --max-request-bytes 16384
a="127.0.0.1:$(wait_listening a "${pids[0]}")"
b="127.0.0.1:$(wait_listening b "${pids[1]}")"
mtls=(--ca "$tls/ca.pem" --cert "$tls/gateway-a.pem" --key "$tls/gateway-a.key" --authority localhost)
# Ready when health says SERVING and a canary seals and opens (a cold JVM answers its first calls slowly).
for server in "$a" "$b --ca $tls/ca.pem --cert $tls/gateway-a.pem --key $tls/gateway-a.key --authority localhost"; do
  # shellcheck disable=SC2086
  "$PYTHON" examples/python-gateway/ops.py health --target $server --deadline 30 > /dev/null
done

step "C++ gateway against A ($a)"
"$cpp" --target "$a"
step "Python gateway against A, message types from the .proto (grpc_tools)"
"$PYTHON" examples/python-gateway/gateway.py --target "$a" --stubs proto
step "Python gateway against A, message types from server reflection"
"$PYTHON" examples/python-gateway/gateway.py --target "$a" --stubs reflection --items 8

step "ops.py against A"
ops() { "$PYTHON" examples/python-gateway/ops.py "$@"; }
expect_status() {  # want, command...: the command's exit status must be `want`
  local want=$1 got=0; shift
  "$@" > "$work/ops.out" || got=$?
  if [ "$got" != "$want" ]; then echo "FAIL exit $got (expected $want): $*"; cat "$work/ops.out"; exit 1; fi
  echo "ok   exit $got: $(head -c 160 "$work/ops.out" | tr '\n' ' ')"
}
expect_outcome() {  # outcome, ops.py command...: exit status 0 for OK, else 2, and that outcome printed
  expect_status "$([ "$1" = OK ] && echo 0 || echo 2)" "${@:2}"
  grep -q "\"outcome\": \"$1\"" "$work/ops.out" || { echo "FAIL outcome is not $1"; exit 1; }
}
ticket=$(ops seal --target "$a" --lifetime 600)
expect_outcome OK ops peek --target "$a" "$ticket"
expect_outcome OK ops open --target "$a" "$ticket"
expect_outcome REPLAYED ops open --target "$a" "$ticket"
expect_outcome MALFORMED ops peek --target "$a" "${ticket:0:40}"
metrics=$(sed -n 's|.*metrics on \(http://[0-9.:]*\)/metrics.*|\1|p' "$work/a.err")
expect_status 0 ops health --target "$a" --metrics "$metrics"
grep -q '^ticketoffload_backend_info{' "$work/ops.out" || { echo "FAIL no backend line from $metrics"; exit 1; }
expect_status 1 ops health --target "$a" --realm no-such-realm

step "interop: C++ seals, the Java client opens; the Java client seals, C++ opens"
javac -d "$work/java" -cp "server/target/classes:server/target/lib/*" \
  server/src/test/java/dev/ticketoffload/server/interop/JavaClientInterop.java
java_interop() { java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$work/java:server/target/classes:server/target/lib/*" dev.ticketoffload.server.interop.JavaClientInterop "$@"; }
"$cpp" --target "$a" --write-tickets "$work/from-cpp.txt" 32
java_interop open "$a" "$work/from-cpp.txt"
java_interop seal "$a" "$work/from-java.txt" 32
"$cpp" --target "$a" --open-tickets "$work/from-java.txt"

step "C++ gateway against B over mTLS ($b), concurrent batches shed and retried"
"$cpp" --target "$b" "${mtls[@]}" --batch 16 --expect-pushback --max-attempts 20
step "Python gateway against B over mTLS"
"$PYTHON" examples/python-gateway/gateway.py --target "$b" "${mtls[@]}" --batch 16 --expect-pushback \
  --max-attempts 20 --oversize-request-bytes 16384
step "interop over mTLS: the Java client seals, C++ opens"
java_interop seal "$b" "$work/from-java-tls.txt" 16 "$tls/ca.pem" "$tls/gateway-a.pem" "$tls/gateway-a.key"
"$cpp" --target "$b" "${mtls[@]}" --batch 16 --open-tickets "$work/from-java-tls.txt"
step "ops.py against B: with the client certificate healthy, without it refused"
expect_status 0 ops health --target "$b" "${mtls[@]}"
GRPC_VERBOSITY=NONE expect_status 1 ops health --target "$b" --ca "$tls/ca.pem" --authority localhost --deadline 3

stop_servers
step "all examples passed"
