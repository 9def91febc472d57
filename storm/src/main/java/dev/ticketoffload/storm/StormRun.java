package dev.ticketoffload.storm;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.client.ClientStats;
import dev.ticketoffload.api.client.TicketOffloadClient;
import dev.ticketoffload.api.client.TicketOffloadClientBuilder;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.core.keys.TicketMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One storm: phase 1 seals every state, phase 2 (the failover) opens every ticket through a
 * gateway other than the one that sealed it, then a sample is opened again and must be REPLAYED.
 * Each gateway is one thread with its own client, so each has its own connection, batches and
 * outstanding bound, as separate gateway machines would.
 */
final class StormRun {

  /** Format v2: a ticket by reference is 64 bytes (docs/ticket-format.md); longer fails the storm. */
  static final int REFERENCE_TICKET_MAX_BYTES = 64;

  /** A storm that makes no progress for this long is stopped: nothing waits forever. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(120);

  private final StormConfig config;
  private final StormTarget target;
  private final Progress progress;
  private final OpenCheck check;
  private final List<TicketOffloadClient> gateways = new ArrayList<>();
  /**
   * {@code --double-open}: two clients per gateway, 2g bound to instance g % K and 2g + 1 to the
   * next one, so that the two copies of a ticket surely reach two different instances.
   */
  private final List<TicketOffloadClient> pinned = new ArrayList<>();
  /** Latency of Open RPCs the server answered (admitted work), shed attempts left out. */
  private final LatencyTrack admittedOpens = new LatencyTrack();
  private volatile boolean openPhase;
  /** Opens answered when one instance was SIGKILLed ({@code --kill-one-at}); -1 when none was. */
  private final java.util.concurrent.atomic.AtomicLong killedAt = new java.util.concurrent.atomic.AtomicLong(-1);

  StormRun(StormConfig config, StormTarget target, Progress progress) {
    this.config = config;
    this.target = target;
    this.progress = progress;
    this.check = new OpenCheck(config.states());
  }

  StormReport run() throws Exception {
    List<String> instances = target.addresses();
    for (int g = 0; g < config.gateways(); g++) {
      gateways.add(client(instances));
      if (config.doubleOpen()) {
        pinned.add(client(List.of(instances.get(g % instances.size()))));
        pinned.add(client(List.of(instances.get((g + 1) % instances.size()))));
      }
    }
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("storm-progress").daemon().factory());
    ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
    try {
      if (config.ticketMode() == TicketMode.REFERENCE) {
        StoreReadiness.awaitSeals(config, target);
      }
      int ticketBytes = probeTicketBytes();
      if (config.ticketMode() == TicketMode.REFERENCE && ticketBytes > REFERENCE_TICKET_MAX_BYTES) {
        check.error("ticket longer than " + REFERENCE_TICKET_MAX_BYTES + " bytes by reference",
            ticketBytes + " bytes: is the realm's ticket_mode reference?");
      }
      warmUp(ticketBytes);
      TicketStore store = new TicketStore(config.tickets(), ticketBytes);
      LatencyTrack sealLatency = new LatencyTrack();
      long sealNanos = sealAll(store, sealLatency);
      tamper(store);
      new StormRevocations(config, target, check).revoke(store);
      LatencyTrack openLatency = new LatencyTrack();
      CpuUse.Sample before = CpuUse.sample(target);
      long openNanos = openAll(store, openLatency);
      CpuUse openCpu = CpuUse.between(before, CpuUse.sample(target), openLatency.total().getTotalCount());
      reopenSample(store);
      progress.tick();
      return StormReport.of(config, target, check, sealNanos, openNanos, openLatency.total(), admittedOpens.total(),
          clientStats(), killedAt.get(), ticketBytes, openCpu);
    } finally {
      ticker.shutdownNow();
      for (TicketOffloadClient client : allClients()) {
        client.close();
      }
    }
  }

  private List<TicketOffloadClient> allClients() {
    List<TicketOffloadClient> all = new ArrayList<>(gateways);
    all.addAll(pinned);
    return all;
  }

  private TicketOffloadClient client(List<String> addresses) {
    TicketOffloadClientBuilder builder = TicketOffloadClient.builder()
        .addresses(addresses)
        .credentials(config.credentials())
        .realm(config.realm())
        .maxBatchItems(config.batch())
        .linger(config.linger())
        .maxOutstandingItems(config.outstandingPerGateway())
        .maxWaitForCapacity(java.time.Duration.ofMinutes(10))
        .rpcTimeout(config.rpcTimeout())
        .maxAttempts(config.maxAttempts())
        .attemptListener((method, items, nanos, code) -> {
          if (openPhase && code == io.grpc.Status.Code.OK && method.equals("Open")) {
            admittedOpens.record(nanos);
          }
        });
    if (config.authority() != null) {
      builder.overrideAuthority(config.authority());
    }
    return builder.build();
  }

  /** Seals state 0 once to learn the ticket length every ticket of this storm will have. */
  private int probeTicketBytes() throws Exception {
    SealResult probe = gateways.get(0).seal(config.states().state(0), config.lifetimeSeconds())
        .get(config.rpcTimeout().toMillis() * config.maxAttempts() + 1000, TimeUnit.MILLISECONDS);
    return probe.getTicket().size();
  }

  private long sealAll(TicketStore store, LatencyTrack latency) throws InterruptedException {
    LongAdder done = new LongAdder();
    progress.phase("seal", config.tickets(), done, latency, () -> clientStats().itemsShed());
    long start = System.nanoTime();
    runGateways(g -> {
      TicketOffloadClient client = gateways.get(g);
      for (int i = g; i < config.tickets(); i += config.gateways()) {
        int ticket = i;
        long called = System.nanoTime();
        client.seal(config.states().state(i), config.lifetimeSeconds()).whenComplete((sealed, failure) -> {
          latency.record(System.nanoTime() - called);
          if (failure != null) {
            check.failed("seal", ticket, failure);
          } else if (!store.put(ticket, sealed.getTicket())) {
            check.error("ticket of unexpected length", "ticket " + ticket + ": " + sealed.getTicket().size()
                + " bytes, expected " + store.ticketBytes());
          } else {
            check.sealed.increment();
          }
          done.increment();
        });
      }
    });
    awaitDone(done, config.tickets());
    return System.nanoTime() - start;
  }

  /**
   * {@code --warmup}: seals that many other states, then opens their tickets, through the same
   * gateways, so the measured storm meets servers that have compiled both paths, as a fleet that has
   * been serving has. Counted in no figure; a failure is an error of the storm all the same.
   */
  private void warmUp(int ticketBytes) throws InterruptedException {
    int n = config.warmupTickets();
    if (n == 0) {
      return;
    }
    TicketStore warm = new TicketStore(n, ticketBytes);
    LongAdder sealed = new LongAdder();
    progress.phase("warm-up seal", n, sealed, new LatencyTrack(), () -> clientStats().itemsShed());
    runGateways(g -> {
      for (int i = g; i < n; i += config.gateways()) {
        int ticket = i;
        gateways.get(g).seal(config.states().state(config.tickets() + (long) i), config.lifetimeSeconds())
            .whenComplete((result, failure) -> {
              if (failure != null) {
                check.failed("warm-up seal", ticket, failure);
              } else if (!warm.put(ticket, result.getTicket())) {
                check.error("warm-up ticket of unexpected length", "warm-up ticket " + ticket + ": "
                    + result.getTicket().size() + " bytes, expected " + ticketBytes);
              }
              sealed.increment();
            });
      }
    });
    awaitDone(sealed, n);
    LongAdder opened = new LongAdder();
    progress.phase("warm-up open", n, opened, new LatencyTrack(), () -> clientStats().itemsShed());
    runGateways(g -> {
      for (int i = g; i < n; i += config.gateways()) {
        if (!warm.has(i)) {
          opened.increment();
          continue;
        }
        int ticket = i;
        gateways.get(g).open(warm.get(i)).whenComplete((result, failure) -> {
          if (failure != null) {
            check.failed("warm-up open", ticket, failure);
          } else if (result.getOutcome() != Outcome.OK) {
            check.error("warm-up open gave " + result.getOutcome(), "warm-up ticket " + ticket);
          }
          opened.increment();
        });
      }
    });
    awaitDone(opened, n);
  }

  /** Corrupts one bit after the header's key_id (IV, ciphertext or tag): must open as AUTH_FAILED. */
  private void tamper(TicketStore store) {
    for (int i = 0; i < config.tickets(); i++) {
      if (config.tampered(i) && store.has(i)) {
        int offset = 12 + (int) (Integer.toUnsignedLong(i * 0x9E3779B9) % (store.ticketBytes() - 12));
        store.flipBit(i, offset, i & 7);
      }
    }
  }

  private long openAll(TicketStore store, LatencyTrack latency) throws InterruptedException {
    LongAdder done = new LongAdder();
    long toOpen = countPresent(store);
    progress.phase("open", toOpen, done, latency, () -> clientStats().itemsShed());
    progress.admitted(admittedOpens);
    openPhase = true;
    long start = System.nanoTime();
    long killAfter = config.killOneAt() < 0 ? -1 : (long) (config.killOneAt() * toOpen);
    runGateways(g -> {
      // The failover: ticket i sealed by gateway i % G comes back through gateway (i + 1) % G.
      TicketOffloadClient client = gateways.get(g);
      int first = (g + config.gateways() - 1) % config.gateways();
      OpenSchedule schedule = new OpenSchedule(config, first, start);
      for (int i = first, k = 0; i < config.tickets(); i += config.gateways(), k++) {
        if (!store.has(i)) {
          continue;
        }
        long intended = schedule.await(k);
        int ticket = i;
        boolean tampered = config.tampered(i);
        boolean revoked = !tampered && config.revoked(i);
        ByteString bytes = store.get(i);
        if (config.doubleOpen()) {
          CompletableFuture<OpenResult> here = pinned.get(2 * g).open(bytes);
          CompletableFuture<OpenResult> there = pinned.get(2 * g + 1).open(bytes);
          CompletableFuture.allOf(here, there).whenComplete((both, failure) -> {
            latency.record(System.nanoTime() - intended);
            check.openedTwice(ticket, tampered, here, there);
            done.increment();
          });
          continue;
        }
        client.open(bytes).whenComplete((result, failure) -> {
          latency.record(System.nanoTime() - intended);
          if (failure != null) {
            if (!tampered && !revoked) {
              check.lost.increment();
            }
            check.failed("open", ticket, failure);
          } else if (revoked) {
            check.openedRevoked(ticket, result);
          } else {
            check.opened(ticket, tampered, result);
          }
          done.increment();
          if (killAfter >= 0 && done.sum() >= killAfter && killedAt.compareAndSet(-1, done.sum())) {
            // off the callback thread: the kill waits for the process to end
            Thread.ofPlatform().daemon().start(target::killOne);
          }
        });
      }
    });
    awaitDone(done, toOpen);
    openPhase = false;
    return System.nanoTime() - start;
  }

  /** A sample of tickets, opened again: single use means each must now be REPLAYED. */
  private void reopenSample(TicketStore store) throws InterruptedException {
    List<CompletableFuture<?>> reopened = new ArrayList<>();
    // Spread over the whole range; later passes fill in for tampered or unsealed tickets skipped.
    int step = Math.max(1, config.tickets() / Math.max(1, config.replaySample()));
    int n = 0;
    for (int pass = 0; pass < step && n < config.replaySample(); pass++) {
      for (int i = pass; i < config.tickets() && n < config.replaySample(); i += step) {
        if (!store.has(i) || config.tampered(i) || config.revoked(i)) {
          continue;
        }
        int ticket = i;
        reopened.add(gateways.get(n++ % gateways.size()).open(store.get(i)).whenComplete((result, failure) -> {
          if (failure != null) {
            check.failed("second open", ticket, failure);
          } else {
            check.reopened(ticket, result);
          }
        }));
      }
    }
    try {
      CompletableFuture.allOf(reopened.toArray(CompletableFuture[]::new))
          .get(config.rpcTimeout().toMillis() * config.maxAttempts() + 10_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // each failure is already counted by its own callback; a timeout cannot outlive the client's deadlines
    }
  }

  private static long countPresent(TicketStore store) {
    long n = 0;
    for (int i = 0; i < store.size(); i++) {
      n += store.has(i) ? 1 : 0;
    }
    return n;
  }

  private interface GatewayLoop {
    void run(int gateway);
  }

  private void runGateways(GatewayLoop loop) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int g = 0; g < config.gateways(); g++) {
      int gateway = g;
      threads.add(Thread.ofPlatform().name("gateway-" + g).start(() -> loop.run(gateway)));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void awaitDone(LongAdder done, long total) throws InterruptedException {
    long last = -1;
    long lastChange = System.nanoTime();
    while (done.sum() < total) {
      long now = done.sum();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > STALL_NANOS) {
        throw new IllegalStateException("no progress for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
            + " s at " + now + "/" + total);
      }
      Thread.sleep(2);
    }
  }

  ClientStats clientStats() {
    long[] sums = new long[8];
    for (TicketOffloadClient client : allClients()) {
      ClientStats s = client.stats();
      long[] v = {s.rpcsSent(), s.itemsSent(), s.rpcsShed(), s.itemsShed(), s.retries(), s.itemsAnswered(),
          s.itemsFailed(), s.itemsRejected()};
      for (int k = 0; k < v.length; k++) {
        sums[k] += v[k];
      }
    }
    return new ClientStats(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7]);
  }

  /** When the k-th open of one gateway is due: at once (closed loop) or on the rate's clock. */
  private static final class OpenSchedule {
    private final boolean openLoop;
    private final long startNanos;
    private final long switchAtK;
    private final double firstIntervalNanos;
    private final double secondIntervalNanos;

    OpenSchedule(StormConfig config, int first, long startNanos) {
      this.openLoop = config.openLoop();
      this.startNanos = startNanos;
      long mine = (config.tickets() - first + config.gateways() - 1) / config.gateways();
      this.switchAtK = mine / 2;
      double[] rates = openLoop ? config.openRates() : new double[] {1, 1};
      this.firstIntervalNanos = 1e9 * config.gateways() / rates[0];
      this.secondIntervalNanos = 1e9 * config.gateways() / rates[1];
    }

    /** Waits until open {@code k} is due and returns when it was due (its latency counts from then). */
    long await(long k) {
      if (!openLoop) {
        return System.nanoTime();
      }
      long intended = startNanos + (long) (Math.min(k, switchAtK) * firstIntervalNanos
          + Math.max(0, k - switchAtK) * secondIntervalNanos);
      long wait;
      while ((wait = intended - System.nanoTime()) > 0) {
        LockSupport.parkNanos(Math.min(wait, 1_000_000));
      }
      return intended;
    }
  }
}
