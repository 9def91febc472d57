package dev.ticketoffload.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The slices of an {@link ExternalLoadRun}: a table for people, JSON for tools. */
record ExternalLoadReport(ExternalLoadOptions options, String loadBefore, String loadAfter, String transport,
    List<Slice> slices, long echoPid, long ticketdPid) {

  /**
   * One measured window. CPU per item is the process's utime + stime over the window divided by the
   * items answered in it; {@code notOk} counts opens answered other than OK, {@code failedCalls}
   * calls that failed (shed, refused, broken): either makes the slice's figure suspect. {@code answered}
   * counts every item answered in the slice, before, in and after the window. The server's CPU by
   * kind of thread ({@link ProcStat#threadCpuNanos}) shows where a rise in CPU per item comes from.
   */
  record Slice(int alternation, String service, double itemsPerSecond, double seconds, long items, long answered,
      double serverCpuNanosPerItem, Map<String, Double> serverThreadNanosPerItem, double generatorCpuNanosPerItem, double maxLatencyMillis, long notOk,
      long failedCalls, String firstFailure, boolean ranDry, String loadAverage) {

    String line() {
      StringBuilder threads = new StringBuilder();
      serverThreadNanosPerItem.forEach((kind, nanos) ->
          threads.append(String.format(Locale.ROOT, " %s %.2f", kind, nanos / 1000)));
      return String.format(Locale.ROOT, "%-7s %,11.0f items/s over %5.2f s  server %6.3f µs/item (%s)  generator"
              + " %6.3f µs/item  max latency %7.1f ms  load %s%s%s%s", service, itemsPerSecond, seconds,
          serverCpuNanosPerItem / 1000, threads.toString().trim(), generatorCpuNanosPerItem / 1000, maxLatencyMillis,
          loadAverage,
          notOk > 0 ? "  WARNING " + notOk + " items not OK" : "",
          failedCalls > 0 ? "  WARNING " + failedCalls + " calls failed, first: " + firstFailure : "",
          ranDry ? "  (fresh tickets ran dry: window cut short)" : "");
    }

    boolean clean() {
      return notOk == 0 && failedCalls == 0;
    }
  }

  List<Slice> of(String service) {
    return slices.stream().filter(s -> s.service().equals(service)).toList();
  }

  /** ticketd/echo items/s of each alternation. */
  double[] ratios() {
    List<Slice> echo = of("echo");
    List<Slice> ticketd = of("ticketd");
    double[] r = new double[echo.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = ticketd.get(i).itemsPerSecond() / echo.get(i).itemsPerSecond();
    }
    return r;
  }

  double median(String service, ToDoubleFunction<Slice> figure) {
    return median(of(service).stream().mapToDouble(figure).toArray());
  }

  void printTable(PrintStream out) {
    out.printf(Locale.ROOT, "%n%s batch %d, %s over %d channel(s), %.1f s slices; load average %s before, %s after%n",
        options.rpc(), options.batch(), options.mode(), options.channels(), options.seconds(), loadBefore, loadAfter);
    out.println("| alternation | echo items/s | ticketd items/s | ticketd / echo | server CPU µs/item echo / ticketd"
        + " | generator CPU µs/item echo / ticketd | max latency ms echo / ticketd |");
    out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    List<Slice> echo = of("echo");
    List<Slice> ticketd = of("ticketd");
    double[] ratios = ratios();
    for (int i = 0; i < ratios.length; i++) {
      Slice e = echo.get(i);
      Slice t = ticketd.get(i);
      out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f | %.2f / %.2f | %.2f / %.2f | %.0f / %.0f |%n", i + 1,
          e.itemsPerSecond(), t.itemsPerSecond(), ratios[i], e.serverCpuNanosPerItem() / 1000,
          t.serverCpuNanosPerItem() / 1000, e.generatorCpuNanosPerItem() / 1000,
          t.generatorCpuNanosPerItem() / 1000, e.maxLatencyMillis(), t.maxLatencyMillis());
    }
    out.printf(Locale.ROOT, "| median | %,.0f | %,.0f | **%.2f** | %.2f / %.2f | %.2f / %.2f | |%n",
        median("echo", Slice::itemsPerSecond), median("ticketd", Slice::itemsPerSecond), median(ratios),
        median("echo", Slice::serverCpuNanosPerItem) / 1000, median("ticketd", Slice::serverCpuNanosPerItem) / 1000,
        median("echo", Slice::generatorCpuNanosPerItem) / 1000,
        median("ticketd", Slice::generatorCpuNanosPerItem) / 1000);
    if (!slices.stream().allMatch(Slice::clean)) {
      out.println("WARNING: some slices had items not OK or failed calls (above): their figures mislead");
    }
  }

  void writeJson(Path out) throws IOException {
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      w.printf(Locale.ROOT, "{\"harness\": \"ExternalLoadRun\", \"rpc\": \"%s\", \"batch\": %d, \"calls\": %d,"
              + " \"channels\": %d, \"streams\": %d, \"seconds\": %s, \"backend\": \"%s\", \"transport\": \"%s\","
              + " \"load_average_before\": \"%s\", \"load_average_after\": \"%s\",%n", options.rpc(), options.batch(),
          options.calls(), options.channels(), options.streams(), options.seconds(), options.backend(), transport,
          loadBefore, loadAfter);
      w.printf(Locale.ROOT, "  \"ratios\": %s, \"median_ratio\": %.4f,%n", Arrays.toString(ratios()), median(ratios()));
      for (String service : List.of("echo", "ticketd")) {
        w.printf(Locale.ROOT, "  \"%s\": {\"items_per_second\": %.1f, \"server_cpu_ns_per_item\": %.1f,"
                + " \"generator_cpu_ns_per_item\": %.1f},%n", service, median(service, Slice::itemsPerSecond),
            median(service, Slice::serverCpuNanosPerItem), median(service, Slice::generatorCpuNanosPerItem));
      }
      w.println("  \"slices\": [");
      for (int i = 0; i < slices.size(); i++) {
        Slice s = slices.get(i);
        w.printf(Locale.ROOT, "    {\"alternation\": %d, \"service\": \"%s\", \"items_per_second\": %.1f, \"seconds\": %.3f,"
                + " \"items\": %d, \"answered\": %d, \"server_cpu_ns_per_item\": %.1f,"
                + " \"server_thread_cpu_ns_per_item\": %s, \"generator_cpu_ns_per_item\": %.1f,"
                + " \"max_latency_ms\": %.1f, \"not_ok\": %d, \"failed_calls\": %d, \"ran_dry\": %b,"
                + " \"load_average\": \"%s\"}%s%n", s.alternation(), s.service(), s.itemsPerSecond(), s.seconds(),
            s.items(), s.answered(), s.serverCpuNanosPerItem(), json(s.serverThreadNanosPerItem()),
            s.generatorCpuNanosPerItem(), s.maxLatencyMillis(), s.notOk(),
            s.failedCalls(), s.ranDry(), s.loadAverage(), i + 1 < slices.size() ? "," : "");
      }
      w.println("  ]");
      w.println("}");
    }
  }

  private static String json(Map<String, Double> figures) {
    StringBuilder b = new StringBuilder("{");
    figures.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "\"%s\": %.1f", k, v)));
    return b.append('}').toString();
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return 0;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
