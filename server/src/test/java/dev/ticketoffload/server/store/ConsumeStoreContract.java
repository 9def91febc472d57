package dev.ticketoffload.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConsumeStore} must do, whatever holds the records: run against the memory store,
 * a standalone Redis and a 3-master Redis Cluster (each a subclass).
 */
abstract class ConsumeStoreContract {

  static final long NOW = 1_764_190_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ConsumeStore store;

  /** A fresh, empty store that is up (waits for it), with these per-realm quotas. */
  abstract ConsumeStore newStore(java.util.function.ToLongFunction<String> quota) throws Exception;

  /** Until a store has counted the consumes just made against their realm's quota (Redis: its refresh). */
  void letQuotaCountSettle() throws Exception {}

  /** Lets records whose ticket expired at {@code NOW + 1} go (memory: a sweep later; Redis: real time). */
  abstract void letOneSecondPass(ConsumeStore store) throws Exception;

  ConsumeStore store() throws Exception {
    if (store == null) {
      store = newStore(realm -> 1_000_000);
    }
    return store;
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static byte[] iv() {
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    return iv;
  }

  /** Consumes one ticket {@code keyId, iv} with {@code attempt} (empty: none) in one batch. */
  ConsumeResult consume(String realm, long keyId, byte[] iv, byte[] attempt, long expiresAt) throws Exception {
    ConsumeBatch batch = ConsumeBatch.ofCapacity(1);
    batch.add(keyId, iv, 0, expiresAt, attempt, 0, attempt.length);
    try (StoreReservation r = store().reserve(realm, 1, NOW)) {
      r.consumeAll(realm, batch, NOW);
    }
    return batch.result(0);
  }

  @Test
  void consume_firstThenAgain_isFirstUseThenReplayed() throws Exception {
    byte[] iv = iv();
    assertThat(consume("default", 7, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("default", 7, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.REPLAYED);
  }

  @Test
  void consume_sameAttemptRetrying_isSameAttemptAnyOtherIsReplayed() throws Exception {
    byte[] iv = iv();
    byte[] attempt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    assertThat(consume("default", 7, iv, attempt, NOW + 3600)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("default", 7, iv, attempt, NOW + 3600)).isEqualTo(ConsumeResult.SAME_ATTEMPT);
    byte[] other = attempt.clone();
    other[15] ^= 1;
    assertThat(consume("default", 7, iv, other, NOW + 3600)).isEqualTo(ConsumeResult.REPLAYED);
    assertThat(consume("default", 7, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.REPLAYED);
    assertThat(consume("default", 7, iv, new byte[] {1}, NOW + 3600)).isEqualTo(ConsumeResult.REPLAYED);
  }

  @Test
  void consume_withoutAttemptFirst_neverMatchesAnEmptyRetry() throws Exception {
    byte[] iv = iv();
    assertThat(consume("default", 7, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("default", 7, iv, new byte[] {0}, NOW + 3600)).isEqualTo(ConsumeResult.REPLAYED);
  }

  @Test
  void consume_sameIvOtherKeyIdOrOtherRealm_isAnotherTicket() throws Exception {
    byte[] iv = iv();
    assertThat(consume("default", 7, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("default", 8, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("realm-b", 7, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("realm-b", 7, iv, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.REPLAYED);
  }

  @Test
  void consume_afterExpiry_isForgotten() throws Exception {
    byte[] iv = iv();
    byte[] kept = iv();
    // the memory store forgets by epoch key (all of a key's tickets at once), so two key ids here
    assertThat(consume("default", 70, iv, new byte[0], NOW + 1)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("default", 7, kept, new byte[0], NOW + 3600)).isEqualTo(ConsumeResult.FIRST_USE);
    letOneSecondPass(store());
    assertThat(consume("default", 70, iv, new byte[0], NOW + 1)).as("expired, so forgotten")
        .isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("default", 7, kept, new byte[0], NOW + 3600)).as("live, so remembered")
        .isEqualTo(ConsumeResult.REPLAYED);
  }

  @Test
  void consumeAll_aBatchOfThousands_answersEachItemInOrder() throws Exception {
    int n = 4096;
    byte[] ivs = new byte[12 * n];
    RANDOM.nextBytes(ivs);
    ConsumeBatch batch = ConsumeBatch.ofCapacity(2 * n);
    for (int i = 0; i < n; i++) {
      batch.add(11, ivs, 12 * i, NOW + 3600, new byte[] {(byte) i}, 0, 1);
    }
    for (int i = 0; i < n; i += 2) { // every second ticket again, same attempt: a retry; else a replay
      batch.add(11, ivs, 12 * i, NOW + 3600, new byte[] {(byte) (i % 4 == 0 ? i : i + 1)}, 0, 1);
    }
    try (StoreReservation r = store().reserve("default", batch.size(), NOW)) {
      r.consumeAll("default", batch, NOW);
    }
    for (int i = 0; i < n; i++) {
      assertThat(batch.result(i)).as("item %d", i).isEqualTo(ConsumeResult.FIRST_USE);
    }
    for (int j = 0; j < n / 2; j++) {
      int i = 2 * j;
      assertThat(batch.result(n + j)).as("again %d", i)
          .isEqualTo(i % 4 == 0 ? ConsumeResult.SAME_ATTEMPT : ConsumeResult.REPLAYED);
    }
  }

  @Test
  void consume_raceOfTwoAttemptsOnEachTicket_exactlyOneFirstUse() throws Exception {
    int n = 2000;
    byte[] ivs = new byte[12 * n];
    RANDOM.nextBytes(ivs);
    ConsumeStore s = store();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<ConsumeBatch>> racers = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        byte attempt = (byte) a;
        racers.add(() -> {
          ConsumeBatch batch = ConsumeBatch.ofCapacity(n);
          for (int i = 0; i < n; i++) {
            batch.add(12, ivs, 12 * i, NOW + 3600, new byte[] {attempt}, 0, 1);
          }
          try (StoreReservation r = s.reserve("default", n, NOW)) {
            r.consumeAll("default", batch, NOW);
          }
          return batch;
        });
      }
      List<Future<ConsumeBatch>> done = pool.invokeAll(racers);
      ConsumeBatch first = done.get(0).get();
      ConsumeBatch second = done.get(1).get();
      for (int i = 0; i < n; i++) {
        int firstUses = (first.result(i) == ConsumeResult.FIRST_USE ? 1 : 0)
            + (second.result(i) == ConsumeResult.FIRST_USE ? 1 : 0);
        assertThat(firstUses).as("ticket %d", i).isEqualTo(1);
        assertThat(first.result(i)).isNotEqualTo(ConsumeResult.SAME_ATTEMPT);
        assertThat(second.result(i)).isNotEqualTo(ConsumeResult.SAME_ATTEMPT);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void quota_refuse_aRealmAtItsQuotaIsRefused_otherRealmsKeepTheirRoom() throws Exception {
    store = newStore(realm -> realm.equals("small") ? 100 : 1_000_000);
    ConsumeBatch batch = ConsumeBatch.ofCapacity(100);
    byte[] ivs = new byte[12 * 100];
    RANDOM.nextBytes(ivs);
    for (int i = 0; i < 100; i++) {
      batch.add(13, ivs, 12 * i, NOW + 3600, new byte[0], 0, 0);
    }
    try (StoreReservation r = store.reserve("small", 100, NOW)) {
      r.consumeAll("small", batch, NOW);
    }
    letQuotaCountSettle();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.reserve("small", 1, NOW))
        .isInstanceOf(StoreRefusedException.class).hasMessageContaining("realm small")
        .hasMessageContaining("max_replay_entries (100)")
        .extracting(e -> ((StoreRefusedException) e).reason()).isEqualTo(StoreRefusedException.Reason.QUOTA);
    try (StoreReservation r = store.reserve("other", 1000, NOW)) {
      assertThat(r).as("another realm keeps all of its room").isNotNull();
    }
    try (StoreReservation r = store.reserve("small", 0, NOW)) {
      assertThat(r).as("peeks need no room").isNotNull();
    }
  }

  @Test
  void reserve_forNoConsumes_isAlwaysGranted() throws Exception {
    try (StoreReservation r = store().reserve("default", 0, NOW)) {
      assertThat(r).isNotNull();
    }
  }
}
