package dev.ticketoffload.bench;

import dev.ticketoffload.core.state.IkeSaState;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** What the service benchmarks add to {@link BenchmarkTickets}: a state issued now, executors. */
final class ServiceFixtures {

  private ServiceFixtures() {}

  /** {@link BenchmarkTickets}' reference shape (a 192-byte ticket), issued {@code nowSeconds}. */
  static IkeSaState coreState(long nowSeconds) {
    return BenchmarkTickets.state("reference").toBuilder()
        .issuedAtSeconds(nowSeconds).expiresAtSeconds(nowSeconds + 3600).build();
  }

  /** {@code pool}: a fixed pool of one thread per CPU, as {@code ticketd serve} runs; {@code direct}: null. */
  static ExecutorService executor(String kind) {
    return switch (kind) {
      case "pool" -> Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
          Thread.ofPlatform().name("bench-server").daemon().factory());
      case "direct" -> null;
      default -> throw new IllegalArgumentException("executor is pool or direct, got " + kind);
    };
  }
}
