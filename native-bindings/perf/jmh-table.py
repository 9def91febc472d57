# Turns a JMH JSON result of BackendBenchmark into the markdown table of PERFORMANCE-NOTES.md:
#   python3 native-bindings/perf/jmh-table.py jmh-result.json
import json, sys
d = json.load(open(sys.argv[1]))
r = {}
for b in d:
    m = b['benchmark'].split('.')[-1]; p = b['params']
    r[(p['backend'], p['ticket'], m)] = (b['primaryMetric']['score'], b['primaryMetric']['scoreError'],
        b['secondaryMetrics'].get('gc.alloc.rate.norm', {}).get('score', float('nan')))
backends = [x for x in ['openssl', 'bouncycastle', 'jdk'] if any(k[0] == x for k in r)]
print("| backend | ticket | seal ns | open ns | sealBatch ns/ticket | openBatch ns/ticket | seal / open vs jdk | batch seal / open vs jdk | seal / open vs bouncycastle | alloc B/op seal, open, sealBatch, openBatch |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for t in ['reference', 'large']:
    for be in backends:
        g = lambda m: r.get((be, t, m))
        if not g('seal'): continue
        def ratio(ref, m):
            x = r.get((ref, t, m))
            return f"{g(m)[0]/x[0]:.2f}" if x else "–"
        cells = [f"{g(m)[0]:.0f} ± {g(m)[1]:.0f}" for m in ['seal', 'open', 'sealBatch', 'openBatch']]
        print(f"| {be} | {t} | " + " | ".join(cells)
              + f" | {ratio('jdk','seal')} / {ratio('jdk','open')} | {ratio('jdk','sealBatch')} / {ratio('jdk','openBatch')}"
              + f" | {ratio('bouncycastle','seal')} / {ratio('bouncycastle','open')}"
              + " | " + ", ".join(f"{g(m)[2]:.0f}" for m in ['seal', 'open', 'sealBatch', 'openBatch']) + " |")
