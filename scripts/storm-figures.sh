#!/usr/bin/env bash
# The figures of server/README-STORMS-DRAFT.md, in one go (about 15 minutes on 2 cores).
# Each storm must pass (exit 0), or the script stops.
set -euo pipefail
set -x
cd "$(dirname "$0")/.."
. bin/find-jdk
./mvnw -B -q -pl jmh-benchmarks -am package -DskipTests
uptime  # the load other work puts on the machine, for the record
bin/ticketd storm --tickets 1000000 --gateways 32 --server-heap 512m --json > docs/storms/storm-1m-32gw-512m.json 2> docs/storms/storm-1m-32gw-512m.err
uptime
bin/ticketd storm --tickets 2000000 --gateways 32 --server-heap 512m --rate 400000,100000 --timeline docs/storms/overload-timeline.jsonl --json > docs/storms/storm-overload.json 2> docs/storms/storm-overload.err
bin/ticketd storm --tickets 2000000 --gateways 32 --server-heap 512m --rate 400000,100000 --server-arg=--max-items-in-flight=256 --server-arg=--max-items-per-request=256 --timeline docs/storms/shed-timeline.jsonl --json > docs/storms/storm-shed.json 2> docs/storms/storm-shed.err
uptime
$JAVA_HOME/bin/java -Xmx3g -Xms3g -cp jmh-benchmarks/target/benchmarks.jar dev.ticketoffload.bench.PairedServiceRun --rounds 10 --slice-ms 400 --out docs/storms/paired-service.json > docs/storms/paired-service.txt 2>&1
uptime
$JAVA_HOME/bin/java -jar jmh-benchmarks/target/benchmarks.jar 'OpenBatchCostBenchmark|ReplayGuardBenchmark|OpenResultStateBenchmark' -rf json -rff docs/storms/open-cost-breakdown.json > docs/storms/open-cost-breakdown.txt 2>&1
uptime
$JAVA_HOME/bin/java -jar jmh-benchmarks/target/benchmarks.jar ServiceBenchmark -rf json -rff docs/storms/service-benchmark.json > docs/storms/service-benchmark.txt 2>&1
uptime
python3 scripts/storm-chart.py --service docs/storms/paired-service.json \
  --timeline "docs/storms/overload-timeline.jsonl=Overload, default limits" \
  "docs/storms/shed-timeline.jsonl=Overload, max-items-in-flight 256" \
  --storm docs/storms/storm-1m-32gw-512m.json docs/storms/storm-overload.json docs/storms/storm-shed.json \
  --out docs/storms/storm-chart.svg
