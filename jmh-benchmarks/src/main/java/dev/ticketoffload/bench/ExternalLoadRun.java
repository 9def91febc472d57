package dev.ticketoffload.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ticketd/echo ratio as a performance engineer measures it from outside: this JVM is only the
 * load generator; a bare grpc-java echo ({@link EchoServerMain}) and a real {@code ticketd serve}
 * (memory store, a key ring made by {@code ticketd keys init}) each run in a JVM of their own on
 * 127.0.0.1. Slices of echo and ticketd alternate, the same load each time: {@code --calls} requests
 * in flight over {@code --channels} connections, as unary calls or over {@code --streams} bidi streams.
 * Every Open carries fresh tickets, sealed by this JVM with the server's key ring before the slice
 * starts, each opened once. ticketd's replay guard and admission are sized so that nothing is shed
 * or refused; a slice where anything was is flagged.
 *
 * <p>Each slice reports items/s, and CPU per item of the server and of this generator, taken from
 * {@code /proc/PID/stat} (every thread: transport, work, GC, JIT) over the measured window; the
 * ratio ticketd/echo per alternation and its median. {@link PairedServiceRun} is the in-JVM
 * counterpart (one client thread, both servers in its own JVM).
 *
 * <pre>java -Xmx3g -Xms3g --enable-native-access=ALL-UNNAMED -cp jmh-benchmarks/target/benchmarks.jar \
 *     dev.ticketoffload.bench.ExternalLoadRun --rpc open --batch 256 --calls 32 --channels 2 [--streams 4]</pre>
 */
public final class ExternalLoadRun {

  private static final String TICKETD_MAIN = "dev.ticketoffload.server.Ticketd";
  private static final double WARMUP_PART_SECONDS = 5;

  private final ExternalLoadOptions options;
  private final long generatorPid = ProcessHandle.current().pid();
  /** The best items/s ticketd reached so far (0 before its warm-up): sizes the next slice's fresh tickets. */
  private double ticketdRate;

  private ExternalLoadRun(ExternalLoadOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    ExternalLoadOptions options;
    try {
      options = ExternalLoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = e.getMessage().equals(ExternalLoadOptions.USAGE);
      (help ? System.out : System.err).println(e.getMessage());
      System.exit(help ? 0 : 2);
      return;
    }
    ExternalLoadReport report = run(options);
    report.printTable(System.out);
    report.writeJson(options.out());
    System.out.println("wrote " + options.out());
  }

  /** Starts both servers, runs the warm-ups and the alternations, stops the servers. */
  static ExternalLoadReport run(ExternalLoadOptions options) throws Exception {
    return new ExternalLoadRun(options).run();
  }

  private ExternalLoadReport run() throws Exception {
    Path dir = Files.createTempDirectory("external-load");
    try {
      Path keyRing = dir.resolve("keyring.json");
      makeKeyRing(keyRing, dir);
      String uptimeBefore = ProcStat.loadAverage();
      try (ServerProcess echo = ServerProcess.start("echo", echoCommand(), dir);
          ServerProcess ticketd = ServerProcess.start("ticketd", ticketdCommand(keyRing, dir), dir);
          TicketSupply tickets = new TicketSupply(keyRing, options.backend())) {
        System.out.printf("echo pid %d, ticketd pid %d, generator pid %d; transport %s; %s of %d items over %d"
                + " channel(s), %s; load average %s%n", echo.pid(), ticketd.pid(), generatorPid,
            Epoll.isAvailable() ? "epoll" : "nio", options.mode(), options.batch(), options.channels(), options.rpc(),
            uptimeBefore);
        List<ManagedChannel> toEcho = channels(echo.port());
        List<ManagedChannel> toTicketd = channels(ticketd.port());
        try {
          List<ExternalLoadReport.Slice> slices = new ArrayList<>();
          tickets.refill(64 * 4096, false);
          // In parts of at most WARMUP_PART_SECONDS: each part of ticketd's gets its own fresh tickets.
          for (double left = options.warmupSeconds(); left > 0; left -= WARMUP_PART_SECONDS) {
            slice(0, echo, toEcho, tickets, Math.min(left, WARMUP_PART_SECONDS));
            slice(0, ticketd, toTicketd, tickets, Math.min(left, WARMUP_PART_SECONDS));
          }
          if (options.ticketdJfr() != null) {
            jcmd(ticketd, "JFR.start", "name=external-load", "settings=profile");
          }
          for (int a = 1; a <= options.alternations(); a++) {
            slices.add(slice(a, echo, toEcho, tickets, options.seconds()));
            slices.add(slice(a, ticketd, toTicketd, tickets, options.seconds()));
          }
          if (options.ticketdJfr() != null) {
            jcmd(ticketd, "JFR.stop", "name=external-load", "filename=" + options.ticketdJfr().toAbsolutePath());
            System.out.println("ticketd's JFR recording of the measured slices: " + options.ticketdJfr());
          }
          return new ExternalLoadReport(options, uptimeBefore, ProcStat.loadAverage(),
              Epoll.isAvailable() ? "epoll" : "nio", slices, echo.pid(), ticketd.pid());
        } finally {
          for (ManagedChannel c : toEcho) {
            c.shutdownNow();
          }
          for (ManagedChannel c : toTicketd) {
            c.shutdownNow();
          }
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * One slice: load starts, settles for a moment, then CPU and items are counted over the measured
   * window (cut short if ticketd's fresh tickets run dry), then the load stops and drains.
   */
  private ExternalLoadReport.Slice slice(int alternation, ServerProcess server, List<ManagedChannel> channels,
      TicketSupply tickets, double seconds) throws Exception {
    boolean ticketd = server.name.equals("ticketd");
    long settleMillis = (long) Math.min(500, seconds * 250);
    if (ticketd && options.rpc().equals("open")) {
      // Until the warm-up has measured it, a guess at the rate; then half as many again as it needs.
      double rate = ticketdRate > 0 ? ticketdRate : 1_000_000;
      long wanted = (long) (rate * (seconds + settleMillis / 1000.0) * 1.5) + 4 * options.itemsInFlight();
      tickets.refill(Math.min(options.maxTickets(), wanted), true);
    } else {
      tickets.rewind(); // the echo opens nothing: the same tickets again, wrapping around
    }
    LoadRequests requests = new LoadRequests(options.rpc(), options.batch(), tickets);
    Load load = Load.over(channels, options.calls(), options.streams(), requests);
    load.start();
    Thread.sleep(settleMillis);
    long items0 = requests.items();
    long server0 = server.cpuNanos();
    Map<String, Long> threads0 = ProcStat.threadCpuNanos(server.pid());
    long generator0 = ProcStat.cpuNanos(generatorPid);
    requests.takeMaxLatencyNanos();
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    boolean ranDry = false;
    while (System.nanoTime() < end && !(ranDry = requests.ranDry()) && requests.failedCalls() == 0) {
      Thread.sleep(5);
    }
    long wall = System.nanoTime() - t0;
    long items = requests.items() - items0;
    long serverCpu = server.cpuNanos() - server0;
    Map<String, Double> threadNanosPerItem = new LinkedHashMap<>();
    ProcStat.threadCpuNanos(server.pid()).forEach((kind, nanos) ->
        threadNanosPerItem.put(kind, items == 0 ? 0 : (double) (nanos - threads0.getOrDefault(kind, 0L)) / items));
    long generatorCpu = ProcStat.cpuNanos(generatorPid) - generator0;
    long maxLatency = requests.takeMaxLatencyNanos();
    load.stop();
    if (!load.awaitDrained(60)) {
      throw new IllegalStateException(server.name + " did not answer the calls in flight within 60 s");
    }
    long notOk = requests.notOk(); // of the whole slice, not only the window: a replay is never fine
    if (!server.isAlive()) {
      throw new IllegalStateException(server.name + " died during the run");
    }
    double rate = items * 1e9 / wall;
    if (ticketd) {
      ticketdRate = Math.max(ticketdRate, rate);
    }
    ExternalLoadReport.Slice s = new ExternalLoadReport.Slice(alternation, server.name, rate, wall / 1e9, items,
        requests.items(),
        items == 0 ? 0 : (double) serverCpu / items, threadNanosPerItem, items == 0 ? 0 : (double) generatorCpu / items,
        maxLatency / 1e6, notOk, requests.failedCalls(), requests.firstFailure(), ranDry, ProcStat.loadAverage());
    System.out.println(alternation == 0 ? "warm-up " + s.line() : s.line());
    return s;
  }

  /** Runs {@code jcmd PID ARGS...} against a server (JFR.start / JFR.stop), failing loudly. */
  private static void jcmd(ServerProcess server, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(server.pid())));
    command.addAll(List.of(args));
    Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  private List<ManagedChannel> channels(int port) {
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < options.channels(); i++) {
      channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
          .maxInboundMessageSize(64 << 20).build());
    }
    return channels;
  }

  private void makeKeyRing(Path keyRing, Path dir) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(javaCommand("256m", List.of()));
    command.addAll(List.of(TICKETD_MAIN, "keys", "init", "--key-ring", keyRing.toString()));
    Process keys = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("keys.out").toFile()).start();
    if (!keys.waitFor(120, TimeUnit.SECONDS) || keys.exitValue() != 0) {
      keys.destroyForcibly();
      throw new IOException("ticketd keys init failed: " + Files.readString(dir.resolve("keys.out")));
    }
  }

  private List<String> echoCommand() {
    List<String> command = new ArrayList<>(javaCommand(options.serverHeap(), List.of()));
    command.add(EchoServerMain.class.getName());
    return command;
  }

  /**
   * {@code ticketd serve} with the daemon's defaults except: room in the replay guard for every
   * ticket the run opens and in admission for four times the items the generator keeps in flight
   * (an item counts until its answer has left), all of it for one connection if need be; so neither
   * sheds nor refuses and the figures are the service's work.
   */
  private List<String> ticketdCommand(Path keyRing, Path dir) {
    long inFlight = Math.max(8_192, 4 * options.itemsInFlight());
    long guard = Math.max(10_000_000, (options.alternations() + 1) * options.maxTickets());
    List<String> command = new ArrayList<>(javaCommand(options.serverHeap(), options.ticketdJavaOptions()));
    command.addAll(List.of(TICKETD_MAIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--key-ring", keyRing.toString(), "--backend", options.backend(),
        "--replay-guard-max-entries", Long.toString(guard),
        "--max-items-in-flight", Long.toString(inFlight),
        "--max-items-in-flight-per-connection", Long.toString(inFlight),
        "--max-concurrent-calls-per-connection", Integer.toString(Math.max(64, options.calls())),
        "--max-items-per-request", Integer.toString(Math.max(4096, options.batch())),
        "--grace-period", "1"));
    return command;
  }

  /** This JVM's java and class path (benchmarks.jar, or the test class path), a fixed heap. */
  private static List<String> javaCommand(String heap, List<String> extra) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms" + heap, "-Xmx" + heap, "--enable-native-access=ALL-UNNAMED"));
    command.addAll(extra);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return command;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
