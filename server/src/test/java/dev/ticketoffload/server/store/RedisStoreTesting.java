package dev.ticketoffload.server.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/** Redis stores for tests, waited for until up. */
final class RedisStoreTesting {

  private RedisStoreTesting() {}

  static RedisStore upStore(String url, java.util.function.ToLongFunction<String> quota)
      throws InterruptedException {
    RedisStore store = new RedisStore(StoreAddress.parse(url), null, Duration.ofMillis(2000), 0,
        new SimpleMeterRegistry(), quota);
    awaitUp(store, true);
    return store;
  }

  static void awaitUp(ConsumeStore store, boolean up) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (store.up() != up) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("store did not become " + (up ? "up" : "down") + ": " + store);
      }
      Thread.sleep(20);
    }
  }
}
