package dev.ticketoffload.bench;

import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.core.state.IkeSaState;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** What the service benchmarks add to {@link BenchmarkTickets}: a state issued now, its wire form, executors. */
final class ServiceFixtures {

  private ServiceFixtures() {}

  /** {@link BenchmarkTickets}' reference shape (a 192-byte ticket), issued {@code nowSeconds}. */
  static IkeSaState coreState(long nowSeconds) {
    return BenchmarkTickets.state("reference").toBuilder()
        .issuedAtSeconds(nowSeconds).expiresAtSeconds(nowSeconds + 3600).build();
  }

  /** The same state on the wire, as the service returns it. */
  static dev.ticketoffload.api.v1.IkeSaState protoState(IkeSaState s) {
    return dev.ticketoffload.api.v1.IkeSaState.newBuilder()
        .setSpiI(UnsafeByteOperations.unsafeWrap(s.spiI()))
        .setSpiR(UnsafeByteOperations.unsafeWrap(s.spiR()))
        .setAuthMethod(s.authMethod())
        .setEap(s.eapUsed())
        .setSkD(UnsafeByteOperations.unsafeWrap(s.skDSecret()))
        .setIdI(UnsafeByteOperations.unsafeWrap(s.idI()))
        .setIdR(UnsafeByteOperations.unsafeWrap(s.idR()))
        .setSaR(UnsafeByteOperations.unsafeWrap(s.saR()))
        .setExt(UnsafeByteOperations.unsafeWrap(s.ext()))
        .build();
  }

  /** {@code pool}: a fixed pool of one thread per CPU, as {@code ticketd serve} runs; {@code direct}: null. */
  static ExecutorService executor(String kind) {
    return switch (kind) {
      case "pool" -> Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "bench-server");
        t.setDaemon(true);
        return t;
      });
      case "direct" -> null;
      default -> throw new IllegalArgumentException("executor is pool or direct, got " + kind);
    };
  }
}
