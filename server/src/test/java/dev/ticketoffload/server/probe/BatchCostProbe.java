package dev.ticketoffload.server.probe;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.server.backend.BackendChoice;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.grpc.TicketCrypto;
import dev.ticketoffload.server.grpc.TicketServer;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.testing.MutableClock;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rough probe, not a benchmark (issue 5 brings JMH): where the time of one Open batch goes inside
 * the server, and items/s over loopback with the direct executor versus a bounded pool. Run by hand:
 * {@code java -cp ... dev.ticketoffload.server.probe.BatchCostProbe [backend]}.
 */
public final class BatchCostProbe {

  public static void main(String[] args) throws Exception {
    String backend = args.length > 0 ? args[0] : "jdk";
    breakdown(backend, 256);
    loopback(backend, "pool", 16); // warm-up: JIT and Netty, so the first measured row is not penalised
    for (String executor : List.of("pool", "direct", "pool", "direct")) {
      for (int batch : new int[] {1, 16, 256}) {
        System.out.printf("loopback %-6s %-12s batch %4d: %,10.0f opens/s%n", executor, backend, batch,
            loopback(backend, executor, batch));
      }
    }
  }

  private static List<ByteString> tickets(TicketCrypto crypto, int n) {
    List<ByteString> out = new ArrayList<>();
    long now = crypto.sealer().nowSeconds();
    List<dev.ticketoffload.core.state.IkeSaState> states = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      states.add(toCore(States.reference(i), now));
    }
    for (byte[] t : crypto.sealer().sealAll("default", states)) {
      out.add(ByteString.copyFrom(t));
    }
    return out;
  }

  private static dev.ticketoffload.core.state.IkeSaState toCore(dev.ticketoffload.api.v1.IkeSaState s, long now) {
    return dev.ticketoffload.core.state.IkeSaState.builder().issuedAtSeconds(now).expiresAtSeconds(now + 3600)
        .spiI(s.getSpiI().toByteArray()).spiR(s.getSpiR().toByteArray()).authMethod(s.getAuthMethod())
        .flags(s.getEap() ? 1 : 0).skD(s.getSkD().toByteArray()).idI(s.getIdI().toByteArray())
        .idR(s.getIdR().toByteArray()).saR(s.getSaR().toByteArray()).ext(s.getExt().toByteArray()).build();
  }

  /** In-process, no transport: parse, copy tickets, open (peek vs consume), build and serialise. */
  private static void breakdown(String backend, int batchSize) throws Exception {
    MutableClock clock = new MutableClock(1_764_190_000L);
    ServiceLimits limits = ServiceLimits.defaults().withReplayGuard(50_000_000, WhenFull.EVICT_OLDEST);
    TicketCrypto crypto = TicketCrypto.assemble(BackendChoice.select(backend), TestKeys.ring("default"), limits, clock);
    int rounds = 4000;
    List<ByteString> all = tickets(crypto, batchSize * rounds);
    List<byte[]> requests = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      OpenRequest.Builder b = OpenRequest.newBuilder();
      for (int i = 0; i < batchSize; i++) {
        b.addItems(OpenItem.newBuilder().setRef(i).setTicket(all.get(r * batchSize + i)));
      }
      requests.add(b.build().toByteArray());
    }
    OpenBatch batch = new OpenBatch(batchSize);
    long[] nanos = new long[5];
    for (int pass = 0; pass < 2; pass++) { // pass 0 warms up
      java.util.Arrays.fill(nanos, 0);
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        OpenRequest req = OpenRequest.parseFrom(requests.get(r));
        long t1 = System.nanoTime();
        for (OpenItem item : req.getItemsList()) {
          batch.add(item.getTicket().toByteArray(), false);
        }
        long t2 = System.nanoTime();
        crypto.opener().openAll("default", batch);
        long t3 = System.nanoTime();
        OpenResponse.Builder resp = OpenResponse.newBuilder();
        for (int i = 0; i < batch.size(); i++) {
          var state = batch.state(i);
          resp.addResults(OpenResult.newBuilder().setRef(i).setOutcome(dev.ticketoffload.api.v1.Outcome.OK)
              .setExpiresAt(batch.expiresAtSeconds(i)).setIssuedAt(state.issuedAtSeconds())
              .setState(dev.ticketoffload.api.v1.IkeSaState.newBuilder()
                  .setSpiI(ByteString.copyFrom(state.spiI())).setSkD(ByteString.copyFrom(state.skDSecret()))
                  .setIdI(ByteString.copyFrom(state.idI())).setIdR(ByteString.copyFrom(state.idR()))
                  .setSaR(ByteString.copyFrom(state.saR())).setSpiR(ByteString.copyFrom(state.spiR()))));
        }
        byte[] out = resp.build().toByteArray();
        long t4 = System.nanoTime();
        batch.clear();
        nanos[0] += t1 - t0;
        nanos[1] += t2 - t1;
        nanos[2] += t3 - t2;
        nanos[3] += t4 - t3;
        if (out.length == 0) {
          throw new AssertionError();
        }
      }
      if (pass == 0) {
        // second pass on fresh tickets so consumes are first uses
        all = tickets(crypto, batchSize * rounds);
        requests.clear();
        for (int r = 0; r < rounds; r++) {
          OpenRequest.Builder b = OpenRequest.newBuilder();
          for (int i = 0; i < batchSize; i++) {
            b.addItems(OpenItem.newBuilder().setRef(i).setTicket(all.get(r * batchSize + i)));
          }
          requests.add(b.build().toByteArray());
        }
      }
    }
    // replay guard alone, same number of consumes
    long g0 = System.nanoTime();
    byte[] iv = new byte[12];
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int i = 0; i < rounds * batchSize; i++) {
      random.nextBytes(iv);
      crypto.replayGuard().firstUse(42, iv, 0, clock.seconds() + 3600);
    }
    nanos[4] = System.nanoTime() - g0;
    double items = (double) rounds * batchSize;
    System.out.printf("breakdown %s, batch %d, ns per item: parse request %.0f | copy tickets %.0f | "
            + "open (crypto+checks+guard) %.0f | build+serialise response %.0f | of which replay guard %.0f%n",
        backend, batchSize, nanos[0] / items, nanos[1] / items, nanos[2] / items, nanos[3] / items, nanos[4] / items);
    crypto.keys().close();
  }

  private static double loopback(String backend, String executor, int batchSize) throws Exception {
    MutableClock clock = new MutableClock(System.currentTimeMillis() / 1000);
    ServiceLimits limits = ServiceLimits.defaults().withReplayGuard(50_000_000, WhenFull.EVICT_OLDEST);
    TicketServer server = new TicketServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), limits,
        new ServiceMetrics(new SimpleMeterRegistry()),
        executor.equals("direct") ? null : Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors()),
        List.of()).start();
    TicketCrypto crypto = TicketCrypto.assemble(BackendChoice.select(backend), TestKeys.ring("default"), limits, clock);
    server.ready(crypto);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    List<ByteString> tickets = tickets(crypto, batchSize);
    OpenRequest request = States.openRequest("", tickets, true);
    TicketServiceGrpc.TicketServiceStub stub = TicketServiceGrpc.newStub(channel);
    Semaphore outstanding = new Semaphore(32);
    AtomicLong items = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    long measureFrom = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    long startItems = -1;
    while (System.nanoTime() < end) {
      if (startItems < 0 && System.nanoTime() >= measureFrom) {
        startItems = items.get();
      }
      outstanding.acquire();
      stub.open(request, new StreamObserver<>() {
        @Override public void onNext(OpenResponse value) { items.addAndGet(value.getResultsCount()); }
        @Override public void onError(Throwable t) { outstanding.release(); }
        @Override public void onCompleted() { outstanding.release(); }
      });
    }
    outstanding.acquire(32);
    double rate = (items.get() - startItems) / 2.0;
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(1));
    crypto.keys().close();
    return rate;
  }
}
