package dev.ticketoffload.server.grpc;

import dev.ticketoffload.server.store.ConsumeStore;
import dev.ticketoffload.server.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The fleet of three on a 3-master Redis Cluster: records, revocations and consumes spread over slots. */
class RedisClusterReferenceAndRevocationTest extends ReferenceAndRevocationContract {

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
  ConsumeStore newStore() throws Exception {
    for (RedisServers.Node node : redis.nodes) {
      node.cli("FLUSHALL");
    }
    return RedisStandaloneReferenceAndRevocationTest.upStore("redis://" + redis.nodes.get(0).address());
  }
}
