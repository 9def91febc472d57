package dev.ticketoffload.bench;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.core.ticket.ReferenceSealer;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.core.ticket.SingleUseStore;
import dev.ticketoffload.core.ticket.StoreLookups;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.store.ConsumeStore;
import dev.ticketoffload.server.store.MemoryStore;
import dev.ticketoffload.server.store.RedisStore;
import dev.ticketoffload.server.store.StoreAddress;
import dev.ticketoffload.server.store.StoreReservation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One consuming Open batch of 256 tickets through the opener and a store, per ticket, without the
 * transport: {@code value-no-revocation} is a store asked only to consume (one SET NX per ticket, as
 * before revocation existed), {@code value} adds the revocation checks (two GETs per ticket in the same
 * flush), {@code reference} opens tickets by reference (one script call per ticket: revocation, record
 * and consume together, in the same single flush; then the record's decryption). After the first batch every
 * consume is a replay: the store does the same work. {@code redis} starts a redis-server of its own on
 * loopback (it must be on the PATH).
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar ReferenceOpenBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ReferenceOpenBenchmark {

  static final int BATCH = 256;

  @Param({"memory", "redis"})
  public String store;

  @Param({"value-no-revocation", "value", "reference"})
  public String variant;

  private KeySchedule keys;
  private TicketOpener opener;
  private ConsumeStore consumeStore;
  private Process redis;
  private Path redisDir;
  private final OpenBatch batch = new OpenBatch(BATCH);
  private byte[][] tickets;
  private long now;

  @Setup
  public void setUp() throws Exception {
    InstantSource clock = InstantSource.system();
    now = clock.millis() / 1000;
    RealmConfig base = BenchmarkTickets.keyRing().realm(BenchmarkTickets.REALM);
    TicketMode mode = variant.equals("reference") ? TicketMode.REFERENCE : TicketMode.VALUE;
    keys = new KeySchedule(BackendSelector.select("openssl").backend(),
        new KeyRing(List.of(base.withTicketMode(mode))));
    opener = new TicketOpener(keys, 2048, 0);
    consumeStore = store.equals("redis") ? startRedis() : new MemoryStore(WhenFull.REFUSE, 0, realm -> 1 << 20);
    IkeSaState state = ServiceFixtures.coreState(now);
    if (mode == TicketMode.REFERENCE) {
      SealedReference[] sealed = new ReferenceSealer(keys, clock, new IvSource())
          .sealAll(BenchmarkTickets.REALM, Collections.nCopies(BATCH, state));
      consumeStore.putRecords(BenchmarkTickets.REALM, sealed, now);
      tickets = new byte[BATCH][];
      for (int i = 0; i < BATCH; i++) {
        tickets[i] = sealed[i].ticket();
      }
    } else {
      tickets = new TicketSealer(keys, clock, new IvSource(), 2048)
          .sealAll(BenchmarkTickets.REALM, Collections.nCopies(BATCH, state));
    }
  }

  private ConsumeStore startRedis() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    redisDir = Files.createTempDirectory("bench-redis");
    redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", redisDir.toString())
        .redirectErrorStream(true).redirectOutput(redisDir.resolve("log").toFile()).start();
    RedisStore s = new RedisStore(StoreAddress.parse("redis://127.0.0.1:" + port), null, Duration.ofSeconds(5), 0,
        new SimpleMeterRegistry(), realm -> 1L << 20);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!s.up()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not come up on port " + port);
      }
      Thread.sleep(20);
    }
    return s;
  }

  @TearDown
  public void tearDown() throws Exception {
    consumeStore.close();
    keys.close();
    if (redis != null) {
      redis.destroy();
      redis.waitFor();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int openBatch() {
    for (byte[] t : tickets) {
      batch.add(t, true);
    }
    try (StoreReservation reservation = consumeStore.reserve(BenchmarkTickets.REALM, BATCH, now)) {
      SingleUseStore s = variant.equals("value-no-revocation") ? new SingleUseStore() {
        @Override
        public void consumeAll(String realm, ConsumeBatch consumes, long nowSeconds) {
          reservation.consumeAll(realm, consumes, nowSeconds);
        }

        @Override
        public void lookUpAndConsume(String realm, StoreLookups lookups, ConsumeBatch consumes, long nowSeconds) {
          reservation.consumeAll(realm, consumes, nowSeconds);
        }
      } : reservation;
      opener.openAll(BenchmarkTickets.REALM, batch, now, s);
      return batch.outcome(BATCH - 1).ordinal();
    } finally {
      batch.clear();
    }
  }
}
