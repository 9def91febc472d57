package dev.ticketoffload.server.grpc;

import dev.ticketoffload.server.store.ConsumeStore;
import dev.ticketoffload.server.store.RedisStore;
import dev.ticketoffload.server.store.StoreAddress;
import dev.ticketoffload.server.testing.RedisServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The fleet of three on one standalone redis-server. */
class RedisStandaloneReferenceAndRevocationTest extends ReferenceAndRevocationContract {

  private static RedisServers redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServers.standalone();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Override
  ConsumeStore newStore() throws Exception {
    redis.nodes.get(0).cli("FLUSHALL");
    return upStore(redis.storeUrl());
  }

  static ConsumeStore upStore(String url) throws InterruptedException {
    RedisStore store = new RedisStore(StoreAddress.parse(url), null, Duration.ofSeconds(2), 0, new SimpleMeterRegistry(),
        realm -> 1_000_000L);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!store.up()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("store did not come up: " + store);
      }
      Thread.sleep(20);
    }
    return store;
  }
}
