package dev.ticketoffload.storm;

import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.server.cli.ClientTlsOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ticketd storm}: a reconnect storm against a server, checked ticket by ticket.
 * Exit status: 0 when every state matched and every outcome was the expected one, 1 when not,
 * 2 when the storm could not run.
 */
@Command(name = "storm", mixinStandardHelpOptions = true,
    description = {"Simulate a gateway fleet: seal N states, then open every ticket at once (the failover), "
        + "checking each answer; a sample is opened again and must be REPLAYED, tampered tickets must be AUTH_FAILED.",
        "Without --target it starts its own server on a loopback port (real gRPC over Netty, throwaway key ring): "
            + "in this JVM, or with --server-heap in a child JVM with that heap cap."})
public final class StormCommand implements Callable<Integer> {

  @Option(names = "--gateways", paramLabel = "G", defaultValue = "8",
      description = "Gateways, each with its own client and connection (default ${DEFAULT-VALUE}).")
  int gateways;

  @Option(names = "--tickets", paramLabel = "N", defaultValue = "100000",
      description = "Tickets to seal and then open (default ${DEFAULT-VALUE}).")
  int tickets;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "256",
      description = "Items per RPC: each client's maximum batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--state-bytes", paramLabel = "BYTES", defaultValue = "0",
      description = "Size of each sealed state encoding; 0 = the reference shape, " + StormStates.REFERENCE_PLAINTEXT_BYTES
          + " bytes (default ${DEFAULT-VALUE}).")
  int stateBytes;

  @Option(names = "--rate", paramLabel = "R[,R2]",
      description = "Open loop: opens per second over the whole fleet (latencies from each open's intended start, "
          + "corrected for coordinated omission); R2 applies to the second half of the tickets. Default: closed loop.")
  String rate;

  @Option(names = "--tamper", paramLabel = "F", defaultValue = "0.01",
      description = "Fraction of tickets to corrupt before opening; they must come back AUTH_FAILED (default ${DEFAULT-VALUE}).")
  double tamper;

  @Option(names = "--json", description = "Print one JSON object with the results as the last line of stdout.")
  boolean json;

  @Option(names = "--timeline", paramLabel = "FILE",
      description = "Write per-second progress (rate, interval latency percentiles, shed) as JSON lines to FILE.")
  Path timeline;

  @Option(names = "--target", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "Storm these servers (round_robin over all) instead of starting one.")
  String target;

  @Option(names = "--server-heap", paramLabel = "SIZE",
      description = "Start the server as a child JVM with -Xmx/-Xms SIZE (e.g. 512m) instead of in this JVM.")
  String serverHeap;

  @Option(names = "--server-arg", paramLabel = "ARG",
      description = "A flag for the server the storm starts (repeatable), e.g. --server-arg=--backend=jdk.")
  List<String> serverArgs = new ArrayList<>();

  @Option(names = "--realm", defaultValue = "", description = "Key realm (default: the service's default realm).")
  String realm;

  @Option(names = "--lifetime-seconds", defaultValue = "3600", description = "Requested ticket lifetime (default ${DEFAULT-VALUE}).")
  int lifetimeSeconds;

  @Option(names = "--linger-ms", defaultValue = "5", description = "Client linger before a partial batch is sent (default ${DEFAULT-VALUE}, the client's default).")
  double lingerMillis;

  @Option(names = "--outstanding", paramLabel = "ITEMS", defaultValue = "0",
      description = "Items each gateway's client may have unanswered; 0 = 4 x batch (default ${DEFAULT-VALUE}).")
  int outstanding;

  @Option(names = "--rpc-timeout-ms", defaultValue = "30000", description = "Deadline of each RPC (default ${DEFAULT-VALUE}).")
  long rpcTimeoutMillis;

  @Option(names = "--max-attempts", defaultValue = "50",
      description = "Attempts per batch the server sheds, the first included (default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--replay-sample", defaultValue = "1000", description = "Tickets opened a second time (default ${DEFAULT-VALUE}).")
  int replaySample;

  @Mixin
  ClientTlsOptions tls; // with --target only

  @Option(names = "--authority", description = "With TLS: the server name to verify, when it differs from the address.")
  String authority;

  @Option(names = "--instances", paramLabel = "K", defaultValue = "1",
      description = "Server instances the storm starts (child JVMs on one key ring and one --store), spread with "
          + "round_robin (default ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--store", paramLabel = "memory|redis|redis://HOST:PORT[,...]", defaultValue = "memory",
      description = "The instances' store: memory (one instance only), redis (a throwaway redis-server the storm "
          + "starts and stops), or a Redis URL (default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--kill-one-at", paramLabel = "F", defaultValue = "-1",
      description = "SIGKILL one instance once this fraction of the opens is answered (needs --instances 2 or more).")
  double killOneAt;

  @Option(names = "--double-open",
      description = "Send every ticket to two instances at once (two gateways' clients, each bound to one instance): "
          + "exactly one may come back OK, the other REPLAYED; double_ok counts tickets OK at both (the run fails "
          + "unless it is 0). Needs --instances 2 or more (or two --target addresses); not with --kill-one-at or "
          + "--revoke-fraction.")
  boolean doubleOpen;

  @Option(names = "--ticket-mode", paramLabel = "value|reference", defaultValue = "value",
      description = "How the realm seals. reference: the servers the storm starts get a key ring whose realm says "
          + "ticket_mode reference (with --target, the realm must already be so); every ticket must be at most "
          + StormRun.REFERENCE_TICKET_MAX_BYTES + " bytes (default ${DEFAULT-VALUE}).")
  String ticketMode;

  @Option(names = "--revoke-fraction", paramLabel = "F", defaultValue = "0",
      description = "Between seal and open, revoke this share of the identities (IDi, one per ticket) with the Revoke "
          + "RPC at the first server; their tickets must open REVOKED, the others OK (default ${DEFAULT-VALUE}).")
  double revokeFraction;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
      description = "Before the measured storm, seal and open N other tickets, counted in no figure, so that the "
          + "servers have compiled their open path as a fleet that has been serving has (default ${DEFAULT-VALUE}: "
          + "measure from a cold start). Their consumes stay in the store like the storm's.")
  int warmup;

  private PrintStream out = System.out;
  private PrintStream err = System.err;

  /** For tests: where the summary and JSON (out) and progress (err) go. */
  public StormCommand withOutput(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
    return this;
  }

  @Override
  public Integer call() {
    StormConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException | IOException e) {
      err.println("ticketd storm: " + e.getMessage());
      return 2;
    }
    try (StormKeyRing keyRing = config.ticketMode() == TicketMode.REFERENCE && target == null
            ? new StormKeyRing(realm, TicketMode.REFERENCE) : null;
        StormTarget server = target(keyRing);
        PrintWriter timelineOut = timeline == null ? null : new PrintWriter(Files.newBufferedWriter(timeline, StandardCharsets.UTF_8))) {
      err.println("storm: " + String.format("%,d", tickets) + " tickets, " + gateways + " gateways, batch " + batch
          + " against " + String.join(",", server.addresses()) + " (backend " + server.backend() + ")");
      StormReport report = new StormRun(config, server, new Progress(err, timelineOut)).run();
      if (server instanceof ChildProcessTarget child && !child.alive()) {
        err.println("storm: the server process died during the storm:\n" + child.lastLog());
        return 1;
      }
      if (server instanceof FleetTarget fleet && !fleet.survivorsAlive()) {
        err.println("storm: an instance not killed on purpose died during the storm");
        return 1;
      }
      report.printSummary(json ? err : out);
      if (json) {
        out.println(report.json());
      }
      out.flush();
      return report.passed() ? 0 : 1;
    } catch (Exception e) {
      err.println("ticketd storm: " + e);
      return 2;
    }
  }

  private StormTarget target(StormKeyRing keyRing) throws Exception {
    if (target != null) {
      return new RemoteTarget(Arrays.stream(target.split(",")).map(String::trim).toList());
    }
    List<String> serverArgs = new ArrayList<>(this.serverArgs);
    if (keyRing != null) {
      serverArgs.addAll(List.of("--key-ring", keyRing.file().toString()));
    }
    if (instances > 1 || !store.equals("memory")) {
      return new FleetTarget(instances, store, serverHeap == null ? "512m" : serverHeap, serverArgs);
    }
    if (serverHeap != null) {
      return new ChildProcessTarget(serverHeap, serverArgs);
    }
    return new InProcessTarget(serverArgs);
  }

  StormConfig config() throws IOException {
    positive("--gateways", gateways);
    positive("--tickets", tickets);
    positive("--max-attempts", maxAttempts);
    if (tickets < gateways) {
      throw new IllegalArgumentException("--tickets (" + tickets + ") must be at least --gateways (" + gateways + ")");
    }
    if (!(tamper >= 0 && tamper < 1)) {
      throw new IllegalArgumentException("--tamper must be in [0, 1), got " + tamper);
    }
    if (target != null && (serverHeap != null || !serverArgs.isEmpty())) {
      throw new IllegalArgumentException("--server-heap and --server-arg are for the server the storm starts, not with --target");
    }
    if (tls.any() && target == null) {
      throw new IllegalArgumentException("--tls-ca/--tls-cert/--tls-key go with --target (the storm's own server is plaintext on loopback)");
    }
    positive("--instances", instances);
    if (instances > 1 && store.equals("memory")) {
      throw new IllegalArgumentException("--instances " + instances + " needs a shared store: --store redis (a "
          + "throwaway redis-server) or --store redis://HOST:PORT; with memory each instance would let the others' "
          + "consumed tickets open again");
    }
    if (!store.equals("memory") && !store.equals("redis") && !store.startsWith("redis://")
        && !store.startsWith("rediss://")) {
      throw new IllegalArgumentException("--store must be memory, redis or redis://HOST:PORT[,...], got " + store);
    }
    if (target != null && (instances != 1 || !store.equals("memory"))) {
      throw new IllegalArgumentException("--instances and --store are for the servers the storm starts, not with --target");
    }
    if (killOneAt >= 0 && (instances < 2 || killOneAt >= 1)) {
      throw new IllegalArgumentException("--kill-one-at needs --instances 2 or more and a fraction in [0, 1)");
    }
    int servers = target != null ? target.split(",").length : instances;
    if (doubleOpen && (servers < 2 || killOneAt >= 0 || revokeFraction > 0)) {
      throw new IllegalArgumentException("--double-open needs two servers or more (--instances 2+, or two --target "
          + "addresses), and neither --kill-one-at (each copy goes to one fixed instance, so a killed one would lose "
          + "its copies) nor --revoke-fraction");
    }
    TicketMode mode = TicketMode.fromJsonName(ticketMode);
    if (mode == null) {
      throw new IllegalArgumentException("--ticket-mode must be value or reference, got " + ticketMode);
    }
    if (!(revokeFraction >= 0 && revokeFraction <= 1)) {
      throw new IllegalArgumentException("--revoke-fraction must be in [0, 1], got " + revokeFraction);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be 0 or more, got " + warmup);
    }
    int perGateway = outstanding == 0 ? 4 * batch : outstanding;
    return new StormConfig(tickets, gateways, batch, new StormStates(stateBytes), rates(), tamper, realm,
        lifetimeSeconds, Duration.ofNanos((long) (lingerMillis * 1e6)), perGateway, Duration.ofMillis(rpcTimeoutMillis),
        maxAttempts, replaySample, tls.credentials(), authority, killOneAt, mode, revokeFraction, doubleOpen,
        warmup);
  }

  private double[] rates() {
    if (rate == null) {
      return null;
    }
    String[] parts = rate.split(",");
    if (parts.length > 2) {
      throw new IllegalArgumentException("--rate is R or R,R2, got " + rate);
    }
    double first = Double.parseDouble(parts[0].trim());
    double second = parts.length == 2 ? Double.parseDouble(parts[1].trim()) : first;
    if (!(first > 0 && second > 0)) {
      throw new IllegalArgumentException("--rate must be positive, got " + rate);
    }
    return new double[] {first, second};
  }

  private static void positive(String flag, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, got " + value);
    }
  }
}
