package dev.ticketoffload.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.server.testing.RedisServers;
import dev.ticketoffload.server.testing.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://}: a real redis-server listening with TLS only, its certificate from a test CA. */
class RedisTlsStoreTest {

  private static final long NOW = ConsumeStoreContract.NOW;

  @TempDir
  static Path dir;

  private static TestCertificates ca;
  private static RedisServers redis;

  @BeforeAll
  static void startRedis() throws Exception {
    ca = new TestCertificates(dir, "redis-test");
    redis = RedisServers.tls(ca);
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  private static RedisStore store(Path trustedCa) {
    return new RedisStore(StoreAddress.parse(redis.storeUrl()), null, trustedCa, Duration.ofMillis(2000), 0,
        new SimpleMeterRegistry(), realm -> 1_000_000);
  }

  private static ConsumeResult consume(ConsumeStore store, byte[] iv) throws Exception {
    ConsumeBatch batch = ConsumeBatch.ofCapacity(1);
    batch.add(7, iv, 0, NOW + 3600, new byte[0], 0, 0);
    try (StoreReservation r = store.reserve("default", 1, NOW)) {
      r.consumeAll("default", batch, NOW);
    }
    return batch.result(0);
  }

  @Test
  void trustingItsCa_consumesOverTls() throws Exception {
    assertThat(redis.storeUrl()).startsWith("rediss://127.0.0.1:");
    redis.nodes.get(0).cli("FLUSHALL");
    try (RedisStore store = store(ca.caPem)) {
      RedisStoreTesting.awaitUp(store, true);
      byte[] iv = ConsumeStoreContract.iv();
      assertThat(consume(store, iv)).isEqualTo(ConsumeResult.FIRST_USE);
      assertThat(consume(store, iv)).isEqualTo(ConsumeResult.REPLAYED);
    }
    assertThat(redis.nodes.get(0).cli("DBSIZE").strip()).as("the record is in that server").isNotEqualTo("0");
  }

  @Test
  void anotherCa_orTheJdksTrustStore_neverComesUp_consumesRefused() throws Exception {
    Path otherCa = new TestCertificates(dir, "someone-else").caPem;
    for (Path trusted : new Path[] {otherCa, null}) {
      try (RedisStore store = store(trusted)) {
        Thread.sleep(1500); // several probes: each handshake is refused
        assertThat(store.up()).as("trusting " + trusted).isFalse();
        assertThatThrownBy(() -> consume(store, ConsumeStoreContract.iv())).isInstanceOf(StoreRefusedException.class);
      }
    }
  }
}
