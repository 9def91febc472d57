package dev.ticketoffload.storm;

import dev.ticketoffload.api.client.ClientStats;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a storm: the figures of the {@code --json} line (names and meaning fixed by issue
 * 5; scripts and the chart read them) plus what the human summary needs to explain errors.
 */
record StormReport(
    String backend,
    int tickets,
    int gateways,
    int batch,
    double sealSeconds,
    double openSeconds,
    double openP50Millis,
    double openP99Millis,
    double openP999Millis,
    long ok,
    long mismatched,
    long errors,
    long replaysRejected,
    long tamperedRejected,
    long shed,
    Long serverMaxHeapMb,
    long opened,
    double admittedRpcP50Millis,
    double admittedRpcP99Millis,
    ClientStats client,
    Map<String, Long> errorKinds,
    Iterable<String> examples,
    int instances,
    String store,
    long doubleOk,
    long lost,
    long killedAt,
    long storeUsedMemoryBytes,
    String ticketMode,
    int ticketBytes,
    long revoked,
    long revokedExpected,
    int warmup,
    CpuUse openCpu) {

  static StormReport of(StormConfig config, StormTarget target, OpenCheck check, long sealNanos, long openNanos,
      Histogram openLatency, Histogram admittedRpcs, ClientStats client, long killedAt,
      int ticketBytes, CpuUse openCpu) {
    Map<String, Long> kinds = new TreeMap<>();
    for (Map.Entry<String, LongAdder> e : check.errorKinds().entrySet()) {
      kinds.put(e.getKey(), e.getValue().sum());
    }
    return new StormReport(target.backend(), config.tickets(), config.gateways(), config.batch(),
        sealNanos / 1e9, openNanos / 1e9,
        LatencyTrack.millisAt(openLatency, 50), LatencyTrack.millisAt(openLatency, 99),
        LatencyTrack.millisAt(openLatency, 99.9),
        check.ok.sum(), check.mismatched.sum(), check.errors.sum(), check.replaysRejected.sum(),
        check.tamperedRejected.sum(), client.itemsShed(), target.serverMaxHeapMb(), openLatency.getTotalCount(),
        LatencyTrack.millisAt(admittedRpcs, 50), LatencyTrack.millisAt(admittedRpcs, 99), client, kinds,
        check.examples(), target.addresses().size(),
        target instanceof FleetTarget f ? f.store() : target instanceof RemoteTarget ? "unknown" : "memory",
        check.doubleOk.sum(), check.lost.sum(), killedAt,
        target instanceof FleetTarget f ? f.storeUsedMemoryBytes() : -1,
        config.ticketMode().jsonName(), ticketBytes, check.revoked.sum(), check.revokedExpected.sum(),
        config.warmupTickets(), openCpu);
  }

  boolean passed() {
    return mismatched == 0 && errors == 0 && doubleOk == 0 && lost == 0 && revoked == revokedExpected;
  }

  double sealsPerSecond() {
    return sealSeconds == 0 ? 0 : tickets / sealSeconds;
  }

  double opensPerSecond() {
    return openSeconds == 0 ? 0 : opened / openSeconds;
  }

  void printSummary(PrintStream out) {
    out.printf(Locale.ROOT, "storm: %,d tickets, %d gateways, batch %d, backend %s%n", tickets, gateways, batch, backend);
    out.printf(Locale.ROOT, "  seal  %8.2f s  %,12.0f seals/s%n", sealSeconds, sealsPerSecond());
    out.printf(Locale.ROOT, "  open  %8.2f s  %,12.0f opens/s   latency p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms%n",
        openSeconds, opensPerSecond(), openP50Millis, openP99Millis, openP999Millis);
    out.printf(Locale.ROOT, "  ok %,d  mismatched %,d  errors %,d  replays rejected %,d  tampered rejected %,d%n",
        ok, mismatched, errors, replaysRejected, tamperedRejected);
    out.printf(Locale.ROOT, "  admitted Open RPCs (answered, not shed): latency p50 %.2f ms  p99 %.2f ms%n",
        admittedRpcP50Millis, admittedRpcP99Millis);
    out.printf(Locale.ROOT, "  shed %,d items in %,d RPCs (retried %,d times); %,d RPCs sent in all%n",
        shed, client.rpcsShed(), client.retries(), client.rpcsSent());
    out.printf(Locale.ROOT, "  instances %d, store %s; double OK %,d, lost %,d%s%n", instances, store, doubleOk, lost,
        killedAt >= 0 ? String.format(Locale.ROOT, ", one instance SIGKILLed after %,d opens", killedAt) : "");
    out.printf(Locale.ROOT, "  ticket_mode %s, %d-byte tickets; revoked %,d of %,d expected%n", ticketMode, ticketBytes,
        revoked, revokedExpected);
    if (warmup > 0) {
      out.printf(Locale.ROOT, "  after a warm-up of %,d tickets (sealed and opened, counted nowhere)%n", warmup);
    }
    if (!Double.isNaN(openCpu.serverMicrosPerTicket()) || !Double.isNaN(openCpu.storeMicrosPerTicket())) {
      out.printf(Locale.ROOT, "  open CPU per ticket: servers %s, redis-server %s%n",
          micros(openCpu.serverMicrosPerTicket()), micros(openCpu.storeMicrosPerTicket()));
    }
    if (storeUsedMemoryBytes >= 0) {
      // the warm-up's consumes are in Redis too
      out.printf(Locale.ROOT, "  Redis used_memory at the end %,d bytes (%.1f bytes per ticket consumed)%n",
          storeUsedMemoryBytes, (double) storeUsedMemoryBytes / (tickets + warmup));
    }
    if (serverMaxHeapMb != null) {
      out.printf(Locale.ROOT, "  server max heap %,d MB%n", serverMaxHeapMb);
    }
    errorKinds.forEach((kind, n) -> out.printf(Locale.ROOT, "  error: %s x %,d%n", kind, n));
    for (String example : examples) {
      out.println("  e.g. " + example);
    }
    out.println(passed() ? "storm: PASSED (every state matched, every outcome as expected)"
        : "storm: FAILED (mismatched or unexpected outcomes above)");
  }

  /** One JSON object on one line: the fields issue 5 names, then the fleet's, the warm-up and the open phase's CPU. */
  String json() {
    return String.format(Locale.ROOT, "{\"backend\":\"%s\",\"tickets\":%d,\"gateways\":%d,\"batch\":%d,"
            + "\"seal_seconds\":%.3f,\"seals_per_s\":%.1f,\"open_seconds\":%.3f,\"opens_per_s\":%.1f,"
            + "\"open_p50_ms\":%.3f,\"open_p99_ms\":%.3f,\"open_p999_ms\":%.3f,\"ok\":%d,\"mismatched\":%d,"
            + "\"errors\":%d,\"replays_rejected\":%d,\"tampered_rejected\":%d,\"shed\":%d,\"server_max_heap_mb\":%s,"
            + "\"instances\":%d,\"store\":\"%s\",\"double_ok\":%d,\"lost\":%d,\"killed_at\":%s,"
            + "\"ticket_mode\":\"%s\",\"ticket_bytes\":%d,\"revoked\":%d,\"revoked_expected\":%d,\"warmup\":%d,"
            + "\"open_server_cpu_us_per_ticket\":%s,\"open_store_cpu_us_per_ticket\":%s}",
        backend.replace("\\", "\\\\").replace("\"", "\\\""), tickets, gateways, batch, sealSeconds, sealsPerSecond(),
        openSeconds, opensPerSecond(), openP50Millis, openP99Millis, openP999Millis, ok, mismatched, errors,
        replaysRejected, tamperedRejected, shed, serverMaxHeapMb == null ? "null" : serverMaxHeapMb.toString(),
        instances, store.replace("\\", "\\\\").replace("\"", "\\\""), doubleOk, lost,
        killedAt < 0 ? "null" : Long.toString(killedAt), ticketMode, ticketBytes, revoked, revokedExpected, warmup,
        jsonNumber(openCpu.serverMicrosPerTicket()), jsonNumber(openCpu.storeMicrosPerTicket()));
  }

  private static String micros(double value) {
    return Double.isNaN(value) ? "unknown" : String.format(Locale.ROOT, "%.2f µs", value);
  }

  private static String jsonNumber(double value) {
    return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
  }
}
