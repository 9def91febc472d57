package dev.ticketoffload.server.store;

import dev.ticketoffload.server.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisClusterStoreContractTest extends RedisStoreContract {

  private static RedisServers redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServers.cluster();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Override
  java.util.List<RedisServers.Node> nodes() {
    return redis.nodes;
  }
}
