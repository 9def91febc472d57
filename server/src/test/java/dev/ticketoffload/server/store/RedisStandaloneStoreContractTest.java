package dev.ticketoffload.server.store;

import dev.ticketoffload.server.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisStandaloneStoreContractTest extends ConsumeStoreContract {

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
    return RedisStoreTesting.upStore(redis.storeUrl());
  }

  @Override
  void letOneSecondPass(ConsumeStore store) throws InterruptedException {
    Thread.sleep(1100);
  }
}
