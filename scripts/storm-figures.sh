#!/usr/bin/env bash
# The figures of the README's "Reconnect storms" section, in one go (about 10 minutes on 2 cores).
# Each storm must pass (exit 0), or the script stops. The overload storm asks for twice the rate the
# closed-loop storm sustained, then for 40% of it (long enough to watch the recovery).
set -euo pipefail
set -x
cd "$(dirname "$0")/.."
. bin/find-jdk
./mvnw -B -q -pl jmh-benchmarks -am package -DskipTests
TICKETD_REBUILD=1 bin/ticketd --version
out=docs/storms
uptime  # the load other work puts on the machine, for the record
bin/ticketd storm --tickets 1000000 --gateways 32 --server-heap 512m --json > $out/storm-1m-32gw-512m.json 2> $out/storm-1m-32gw-512m.err
sustained=$(python3 -c "import json,sys; print(int(json.loads(open(sys.argv[1]).read().splitlines()[-1])['opens_per_s']))" $out/storm-1m-32gw-512m.json)
uptime
bin/ticketd storm --tickets 3000000 --gateways 32 --server-heap 512m --rate $((2 * sustained)),$((sustained * 2 / 5)) \
  --timeline $out/overload-timeline.jsonl --json > $out/storm-overload.json 2> $out/storm-overload.err
uptime
"$JAVA_HOME/bin/java" -Xmx3g -Xms3g --enable-native-access=ALL-UNNAMED -cp jmh-benchmarks/target/benchmarks.jar \
  dev.ticketoffload.bench.PairedServiceRun --rounds 10 --slice-ms 400 --out $out/paired-service.json > $out/paired-service.txt 2>&1
uptime
"$JAVA_HOME/bin/java" -jar jmh-benchmarks/target/benchmarks.jar 'OpenBatchCostBenchmark|ReplayGuardBenchmark|OpenResultStateBenchmark' \
  -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff $out/open-cost-breakdown.json > $out/open-cost-breakdown.txt 2>&1
uptime
python3 scripts/storm-chart.py --service $out/paired-service.json \
  --timeline "$out/overload-timeline.jsonl=Overload: twice the sustained rate, then 40%" \
  --storm $out/storm-1m-32gw-512m.json $out/storm-overload.json \
  --out $out/storm-chart.svg
