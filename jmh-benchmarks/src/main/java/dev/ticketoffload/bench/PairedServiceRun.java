package dev.ticketoffload.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ticketd/echo ratio of {@link ServiceBenchmark}, measured so that other work on the machine
 * cancels out: both services run in this JVM, and each round times a slice of echo and a slice of
 * ticketd back to back (order alternating), so both see the same load. Reports the median over
 * rounds of items/s, of the ratio, and of CPU time (this whole process: client, server, GC) per item,
 * which moves less with load than wall-clock rates.
 *
 * <pre>java -Xmx3g -cp jmh-benchmarks/target/benchmarks.jar dev.ticketoffload.bench.PairedServiceRun \
 *     [--rounds 10] [--slice-ms 400] [--batches 1,16,256,1024] [--rpcs open,seal] [--backend openssl] [--executor pool] [--out FILE]</pre>
 *
 * The output file is JMH-shaped JSON (benchmark, params, secondaryMetrics.items), so
 * {@code scripts/storm-chart.py --service} reads it as it reads ServiceBenchmark's.
 */
public final class PairedServiceRun {

  private record Slice(double itemsPerSecond, double cpuNanosPerItem) {}

  private record Result(String rpc, int batch, String service, double itemsPerSecond, double cpuNanosPerItem,
      double ratio) {}

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    int rounds = 10;
    long sliceMillis = 400;
    int[] batches = {1, 16, 256, 1024};
    String backend = "openssl";
    String executor = "pool";
    List<String> rpcs = List.of("open", "seal");
    // Build output, not a file to commit: docs/storms/ holds the published run (scripts/storm-figures.sh).
    Path out = Path.of("target", "paired-service.json");
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--slice-ms" -> sliceMillis = Long.parseLong(args[i + 1]);
        case "--batches" -> batches = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--backend" -> backend = args[i + 1];
        case "--executor" -> executor = args[i + 1];
        case "--rpcs" -> rpcs = List.of(args[i + 1].split(","));
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Result> results = new ArrayList<>();
    try (LoopbackService echo = new LoopbackService("echo", backend, executor);
        LoopbackService ticketd = new LoopbackService("ticketd", backend, executor)) {
      for (String rpc : rpcs) {
        for (int batch : batches) {
          results.addAll(compare(rpc, batch, echo, ticketd, rounds, sliceMillis));
        }
      }
    }
    write(out, results, backend, executor);
    System.out.println("wrote " + out);
  }

  private static List<Result> compare(String rpc, int batch, LoopbackService echo, LoopbackService ticketd,
      int rounds, long sliceMillis) throws Exception {
    BatchPipeline toEcho = new BatchPipeline(echo, batch, ServiceBenchmark.IN_FLIGHT);
    BatchPipeline toTicketd = new BatchPipeline(ticketd, batch, ServiceBenchmark.IN_FLIGHT);
    // Warm-up (twice: the first runs while the JIT compiles), which also tells how many fresh
    // tickets a slice needs.
    double rate = 0;
    for (int w = 0; w < 2; w++) {
      rate = Math.max(slice(rpc, toEcho, echo, 1000, 1 << 20).itemsPerSecond(),
          slice(rpc, toTicketd, ticketd, 1000, 1 << 20).itemsPerSecond());
    }
    int ticketsPerSlice = (int) Math.min(4 << 20, Math.max(1 << 14, 3 * rate * sliceMillis / 1000));
    double[] echoRates = new double[rounds];
    double[] ticketdRates = new double[rounds];
    double[] ratios = new double[rounds];
    double[] echoCpu = new double[rounds];
    double[] ticketdCpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      Slice e;
      Slice t;
      if (r % 2 == 0) {
        e = slice(rpc, toEcho, echo, sliceMillis, ticketsPerSlice);
        t = slice(rpc, toTicketd, ticketd, sliceMillis, ticketsPerSlice);
      } else {
        t = slice(rpc, toTicketd, ticketd, sliceMillis, ticketsPerSlice);
        e = slice(rpc, toEcho, echo, sliceMillis, ticketsPerSlice);
      }
      echoRates[r] = e.itemsPerSecond();
      ticketdRates[r] = t.itemsPerSecond();
      ratios[r] = t.itemsPerSecond() / e.itemsPerSecond();
      echoCpu[r] = e.cpuNanosPerItem();
      ticketdCpu[r] = t.cpuNanosPerItem();
    }
    if (toTicketd.notOk() > 0) {
      System.out.println("WARNING: " + toTicketd.notOk() + " opens not OK (fresh tickets ran out): figures mislead");
    }
    double ratio = median(ratios);
    System.out.printf(Locale.ROOT, "%-4s batch %4d  ticketd %,10.0f items/s (%,6.0f ns CPU/item)  echo %,10.0f items/s"
            + " (%,6.0f ns CPU/item)  ticketd/echo %.0f%% (rounds: %.0f%%..%.0f%%)%n", rpc, batch, median(ticketdRates),
        median(ticketdCpu), median(echoRates), median(echoCpu), 100 * ratio, 100 * min(ratios), 100 * max(ratios));
    return List.of(new Result(rpc, batch, "ticketd", median(ticketdRates), median(ticketdCpu), ratio),
        new Result(rpc, batch, "echo", median(echoRates), median(echoCpu), 1.0));
  }

  /** Sends batches for {@code millis}; fresh tickets are made before the clock starts. */
  private static Slice slice(String rpc, BatchPipeline pipeline, LoopbackService service, long millis, int tickets)
      throws Exception {
    if (rpc.equals("open")) {
      pipeline.useTickets(service.freshTickets(tickets));
    }
    long items = 0;
    int batch = batchOf(pipeline);
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    long end = t0 + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (rpc.equals("open")) {
        pipeline.open();
      } else {
        pipeline.seal();
      }
      items += batch;
    }
    pipeline.drain();
    long wall = System.nanoTime() - t0;
    long cpu = OS.getProcessCpuTime() - cpu0;
    return new Slice(items * 1e9 / wall, (double) cpu / items);
  }

  private static int batchOf(BatchPipeline pipeline) {
    return pipeline.batch();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(0);
  }

  private static void write(Path out, List<Result> results, String backend, String executor) throws IOException {
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      w.println("[");
      for (int i = 0; i < results.size(); i++) {
        Result r = results.get(i);
        w.printf(Locale.ROOT, "  {\"benchmark\": \"dev.ticketoffload.bench.PairedServiceRun.%s\", \"params\": {\"batch\": \"%d\","
                + " \"service\": \"%s\", \"backend\": \"%s\", \"executor\": \"%s\"}, \"secondaryMetrics\": {\"items\":"
                + " {\"score\": %.1f, \"scoreUnit\": \"ops/s\"}}, \"cpu_ns_per_item\": %.1f, \"ratio_to_echo\": %.4f}%s%n",
            r.rpc(), r.batch(), r.service(), backend, executor, r.itemsPerSecond(), r.cpuNanosPerItem(), r.ratio(),
            i + 1 < results.size() ? "," : "");
      }
      w.println("]");
    }
  }
}
