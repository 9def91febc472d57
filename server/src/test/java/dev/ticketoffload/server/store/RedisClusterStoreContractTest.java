package dev.ticketoffload.server.store;

import dev.ticketoffload.server.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisClusterStoreContractTest extends ConsumeStoreContract {

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
  ConsumeStore newStore(java.util.function.ToLongFunction<String> quota) throws Exception {
    for (RedisServers.Node n : redis.nodes) {
      n.cli("FLUSHALL");
    }
    // one seed: the store must find out it is a Cluster and learn the other masters
    return RedisStoreTesting.upStore("redis://" + redis.nodes.get(0).address(), quota);
  }

  @Override
  void letQuotaCountSettle() throws InterruptedException {
    Thread.sleep(1700); // the store re-reads the fleet's counts once a second
  }

  @Override
  void letOneSecondPass(ConsumeStore store) throws InterruptedException {
    Thread.sleep(1100);
  }
}
