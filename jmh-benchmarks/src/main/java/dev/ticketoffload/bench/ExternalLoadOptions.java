package dev.ticketoffload.bench;

import java.nio.file.Path;
import java.util.List;

/** The options of {@link ExternalLoadRun}; {@link #parse} refuses what it does not know. */
record ExternalLoadOptions(String rpc, int batch, int calls, int channels, int streams, double seconds,
    double warmupSeconds, int alternations, String backend, String serverHeap, List<String> ticketdJavaOptions,
    long maxTickets, Path ticketdJfr, Path out) {

  static final String USAGE = """
      usage: ExternalLoadRun [options]
        A load generator in this JVM against two servers, each in its own JVM on 127.0.0.1: a bare
        grpc-java echo (EchoServerMain) and a real 'ticketd serve' (memory store); slices of echo and
        ticketd alternate, and each reports items/s and CPU per item from /proc of both servers and
        of this generator.
        --rpc open|seal          the RPC (default open); opens use fresh tickets, each opened once
        --batch N                items per request or stream message (default 256)
        --calls N                requests in flight in all (default 32)
        --channels N             client connections per server (default 2)
        --streams N              0: unary calls (default); N: N bidi streams with --calls / N messages in flight each
        --seconds S              measured seconds per slice (default 5)
        --warmup-seconds S       unmeasured load per server before the first slice, alternating in parts of
                                 5 s (default 20: on a busy 2-core machine the JIT is still compiling after 5)
        --alternations N         echo-then-ticketd pairs (default 3)
        --backend NAME           ticketd's --backend and the generator's sealer (default openssl)
        --server-heap SIZE       -Xmx and -Xms of each server JVM (default 3g)
        --ticketd-java-opts STR  more JVM options for ticketd, split at spaces (e.g. -XX:StartFlightRecording=...)
        --ticketd-jfr FILE       record ticketd with JFR (settings=profile) over the measured slices into FILE
        --max-tickets N          fresh tickets sealed per slice at most (default 8000000, 192 bytes each)
        --out FILE               JSON figures (default target/external-load.json)
      """;

  static ExternalLoadOptions parse(String... args) {
    String rpc = "open";
    int batch = 256;
    int calls = 32;
    int channels = 2;
    int streams = 0;
    double seconds = 5;
    double warmupSeconds = 20;
    int alternations = 3;
    String backend = "openssl";
    String serverHeap = "3g";
    List<String> ticketdJavaOptions = List.of();
    long maxTickets = 8_000_000;
    Path out = Path.of("target", "external-load.json");
    Path ticketdJfr = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
      }
      String v = args[++i];
      switch (option) {
        case "--rpc" -> rpc = v;
        case "--batch" -> batch = atLeast(option, v, 1);
        case "--calls" -> calls = atLeast(option, v, 1);
        case "--channels" -> channels = atLeast(option, v, 1);
        case "--streams" -> streams = atLeast(option, v, 0);
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
        case "--alternations" -> alternations = atLeast(option, v, 1);
        case "--backend" -> backend = v;
        case "--server-heap" -> serverHeap = v;
        case "--ticketd-java-opts" -> ticketdJavaOptions = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
        case "--max-tickets" -> maxTickets = Long.parseLong(v);
        case "--out" -> out = Path.of(v);
        case "--ticketd-jfr" -> ticketdJfr = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
      }
    }
    if (!rpc.equals("open") && !rpc.equals("seal")) {
      throw new IllegalArgumentException("--rpc is open or seal, got " + rpc);
    }
    if (streams > calls) {
      throw new IllegalArgumentException("--streams " + streams + " exceeds --calls " + calls
          + ": each stream needs at least one message in flight");
    }
    if (seconds <= 0 || warmupSeconds < 0) {
      throw new IllegalArgumentException("--seconds must be positive and --warmup-seconds not negative");
    }
    return new ExternalLoadOptions(rpc, batch, calls, channels, streams, seconds, warmupSeconds, alternations,
        backend, serverHeap, ticketdJavaOptions, maxTickets, ticketdJfr, out);
  }

  /** Items the generator keeps in flight: what ticketd's admission must hold without shedding. */
  long itemsInFlight() {
    return (long) calls * batch;
  }

  String mode() {
    return streams == 0 ? calls + " unary calls" : streams + " streams x " + calls / streams + " in flight";
  }

  private static int atLeast(String option, String value, int min) {
    int n = Integer.parseInt(value);
    if (n < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", got " + n);
    }
    return n;
  }
}
