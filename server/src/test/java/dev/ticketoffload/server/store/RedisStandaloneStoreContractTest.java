package dev.ticketoffload.server.store;

import dev.ticketoffload.server.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisStandaloneStoreContractTest extends RedisStoreContract {

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
  java.util.List<RedisServers.Node> nodes() {
    return redis.nodes;
  }

  @org.junit.jupiter.api.Test
  void quota_isTheFleets_anotherInstanceSeesTheRealmFull() throws Exception {
    redis.nodes.get(0).cli("FLUSHALL");
    try (RedisStore first = RedisStoreTesting.upStore(redis.storeUrl(), realm -> 100);
         RedisStore second = RedisStoreTesting.upStore(redis.storeUrl(), realm -> 100)) {
      try (StoreReservation r = second.reserve("small", 1, NOW)) {
        org.assertj.core.api.Assertions.assertThat(r).as("the realm is empty").isNotNull();
      }
      dev.ticketoffload.core.ticket.ConsumeBatch batch = dev.ticketoffload.core.ticket.ConsumeBatch.ofCapacity(100);
      byte[] ivs = new byte[1200];
      new java.security.SecureRandom().nextBytes(ivs);
      for (int i = 0; i < 100; i++) {
        batch.add(14, ivs, 12 * i, NOW + 3600, new byte[0], 0, 0);
      }
      try (StoreReservation r = first.reserve("small", 100, NOW)) {
        r.consumeAll("small", batch, NOW);
      }
      letQuotaCountSettle();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.reserve("small", 1, NOW))
          .isInstanceOf(StoreRefusedException.class).hasMessageContaining("max_replay_entries (100)");
    }
  }
}
