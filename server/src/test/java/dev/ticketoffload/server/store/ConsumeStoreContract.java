package dev.ticketoffload.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.core.ticket.StoreLookups;
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

  static List<ConsumeResult> results(ConsumeBatch batch) {
    List<ConsumeResult> results = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      results.add(batch.result(i));
    }
    return results;
  }

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

  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static byte[] iv() {
    return random(12);
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
    byte[] ivs = random(12 * n);
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
    byte[] ivs = random(12 * n);
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
    byte[] ivs = random(12 * 100);
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

  // Tickets by reference and revocations. A "ticket" here is its id, its identity key and key id 1 << 48
  // (master 1); the store never looks inside a ticket or a record.

  static final long REF_KEY_ID = 1L << 48;

  static byte[] id() {
    return random(16);
  }

  static SealedReference sealedRef(byte[] id, byte[] identityKey, long expiresAt) {
    byte[] ticket = new byte[64];
    dev.ticketoffload.core.format.Bytes.putLong(ticket, 4, REF_KEY_ID);
    byte[] record = random(100);
    return new SealedReference(ticket, id, record, expiresAt, identityKey);
  }

  /** What one lookup by reference got: revoked, the record, its consume's answer (null for a peek). */
  record Looked(boolean revoked, byte[] record, ConsumeResult consume) {}

  /** Looks up (and unless {@code attempt} is null, consumes) each ticket by reference, in one batch. */
  List<Looked> lookUp(String realm, List<byte[]> ids, byte[] attempt) throws Exception {
    StoreLookups lookups = StoreLookups.ofCapacity(ids.size());
    ConsumeBatch batch = ConsumeBatch.ofCapacity(ids.size());
    for (byte[] id : ids) {
      // the ticket's IV: any 12 bytes unique per ticket (the id's first 12 here)
      int j = lookups.add(REF_KEY_ID, id, 0, false, id, 0);
      if (attempt != null) {
        lookups.setConsume(j, batch.add(REF_KEY_ID, id, 0, NOW + 3600, attempt, 0, attempt.length));
      }
    }
    try (StoreReservation r = store().reserve(realm, batch.size(), NOW)) {
      r.lookUpAndConsume(realm, lookups, batch, NOW);
    }
    List<Looked> out = new ArrayList<>();
    for (int j = 0; j < ids.size(); j++) {
      out.add(new Looked(lookups.revoked(j), lookups.record(j), attempt == null ? null : batch.result(j)));
    }
    return out;
  }

  Looked lookUp(String realm, byte[] id, byte[] attempt) throws Exception {
    return lookUp(realm, List.of(id), attempt).getFirst();
  }

  @Test
  void reference_consumeFetchesItsRecord_firstUseThenSameAttemptOrReplayed_peekConsumesNothing() throws Exception {
    byte[] id = id();
    SealedReference s = sealedRef(id, id(), NOW + 3600);
    store().putRecords("default", new SealedReference[] {s}, NOW);
    Looked peek = lookUp("default", id, null);
    assertThat(peek.record()).isEqualTo(s.record());
    byte[] attempt = {1, 2, 3};
    Looked first = lookUp("default", id, attempt);
    assertThat(first.consume()).as("the peek consumed nothing").isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(first.record()).isEqualTo(s.record());
    assertThat(first.revoked()).isFalse();
    assertThat(lookUp("default", id, attempt).consume()).isEqualTo(ConsumeResult.SAME_ATTEMPT);
    Looked replay = lookUp("default", id, new byte[] {9});
    assertThat(replay.consume()).isEqualTo(ConsumeResult.REPLAYED);
    assertThat(replay.record()).as("still there for the retries of the attempt that consumed it")
        .isEqualTo(s.record());
    assertThat(lookUp("default", id, new byte[0]).consume()).isEqualTo(ConsumeResult.REPLAYED);
    assertThat(lookUp("default", id, null).record()).isEqualTo(s.record());
    assertThat(lookUp("realm-b", id, null).record()).as("records are per realm").isNull();
    assertThat(lookUp("default", id(), new byte[0]).record()).as("no record under another id").isNull();
  }

  /** Seals {@code n} records by reference in realm {@code default}, expiring in an hour; their ids. */
  List<byte[]> sealRefs(int n) throws Exception {
    List<byte[]> ids = new ArrayList<>();
    SealedReference[] sealed = new SealedReference[n];
    for (int i = 0; i < n; i++) {
      ids.add(id());
      sealed[i] = sealedRef(ids.get(i), id(), NOW + 3600);
    }
    store().putRecords("default", sealed, NOW);
    return ids;
  }

  @Test
  void reference_raceOfTwoAttemptsOnEachTicket_exactlyOneFirstUse() throws Exception {
    int n = 500;
    List<byte[]> ids = sealRefs(n);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<Looked>> a = pool.submit(() -> lookUp("default", ids, new byte[] {1}));
      Future<List<Looked>> b = pool.submit(() -> lookUp("default", ids, new byte[] {2}));
      List<Looked> first = a.get();
      List<Looked> second = b.get();
      for (int i = 0; i < n; i++) {
        assertThat(List.of(first.get(i).consume(), second.get(i).consume())).as("ticket %d", i)
            .containsExactlyInAnyOrder(ConsumeResult.FIRST_USE, ConsumeResult.REPLAYED);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Key id of the tickets by value of {@link #lookUpAndConsumeByValue}: master 1. */
  static final long VALUE_KEY_ID = (1L << 48) | 7;

  /**
   * Looks up and consumes, in one batch, the {@code ivs.length / 12} tickets by value {@code VALUE_KEY_ID
   * || ivs[12 i..]}, issued at {@code NOW - 10}, ticket {@code i} for identity {@code i % 2 == 0 ? even
   * : odd}; returns the lookups (revoked or not) and the batch (each consume's answer).
   */
  record ByValue(StoreLookups lookups, ConsumeBatch batch) {}

  ByValue lookUpAndConsumeByValue(byte[] ivs, byte[] even, byte[] odd) throws Exception {
    int n = ivs.length / 12;
    StoreLookups lookups = StoreLookups.ofCapacity(n);
    ConsumeBatch batch = ConsumeBatch.ofCapacity(n);
    for (int i = 0; i < n; i++) {
      int j = lookups.add(VALUE_KEY_ID, ivs, 12 * i, true, null, 0);
      lookups.setIdentity(j, i % 2 == 0 ? even : odd, 0, NOW - 10);
      lookups.setConsume(j, batch.add(VALUE_KEY_ID, ivs, 12 * i, NOW + 3600, new byte[0], 0, 0));
    }
    try (StoreReservation r = store().reserve("default", n, NOW)) {
      r.lookUpAndConsume("default", lookups, batch, NOW);
    }
    return new ByValue(lookups, batch);
  }

  /** Revokes ticket 4 of {@code ivs}, {@code odd} after the tickets' issue and {@code even} before it. */
  void revokeTicket4AndOdd(byte[] ivs, byte[] even, byte[] odd) throws Exception {
    store().revoke("default", List.of(Revocation.ofTicket(VALUE_KEY_ID, java.util.Arrays.copyOfRange(ivs, 48, 60),
        NOW, NOW + 3600), Revocation.ofIdentity(1, odd, NOW, NOW + 3600), Revocation.ofIdentity(1, even, NOW - 20,
        NOW + 3600)), NOW);
  }

  static void assertTicket4AndOddRevoked(StoreLookups lookups) {
    for (int i = 0; i < lookups.size(); i++) {
      assertThat(lookups.revoked(i)).as("ticket %d", i).isEqualTo(i == 4 || i % 2 == 1);
    }
  }

  @Test
  void revokeByValue_inOneBatch_eachTicketAnsweredByItsOwnAndItsIdentitysRevocation() throws Exception {
    byte[] ivs = random(12 * 64);
    byte[] alice = id();
    byte[] bob = id();
    ByValue before = lookUpAndConsumeByValue(ivs, alice, bob);
    assertThat(java.util.stream.IntStream.range(0, 64).filter(before.lookups()::revoked))
        .as("nothing revoked yet").isEmpty();
    revokeTicket4AndOdd(ivs, alice, bob);
    ByValue after = lookUpAndConsumeByValue(ivs, alice, bob);
    assertTicket4AndOddRevoked(after.lookups());
    assertThat(results(after.batch())).containsOnly(ConsumeResult.REPLAYED);
    byte[] carol = id();
    store().revoke("realm-b", List.of(Revocation.ofIdentity(1, carol, NOW, NOW + 3600)), NOW);
    StoreLookups carols = lookUpAndConsumeByValue(random(12 * 4), carol, carol).lookups();
    assertThat(java.util.stream.IntStream.range(0, 4).filter(carols::revoked))
        .as("carol is revoked in another realm only").isEmpty();
  }

  @Test
  void revokeIdentity_revokesItsTicketsByReferenceSealedBefore_underTheirIds_notOthersNorLaterOnes() throws Exception {
    byte[] alice = id();
    byte[] bob = id();
    byte[] aliceFirst = id();
    byte[] aliceSecond = id();
    byte[] bobs = id();
    store().putRecords("default", new SealedReference[] {sealedRef(aliceFirst, alice, NOW + 3600),
        sealedRef(aliceSecond, alice, NOW + 60), sealedRef(bobs, bob, NOW + 3600)}, NOW);
    byte[] aliceInB = id();
    store().putRecords("realm-b", new SealedReference[] {sealedRef(aliceInB, alice, NOW + 3600)}, NOW);
    store().revoke("default", List.of(Revocation.ofIdentity(1, alice, NOW, NOW + 86_400),
        Revocation.ofIdentity(2, bob, NOW, NOW + 86_400)), NOW); // bob under another master: not his tickets
    byte[] aliceLater = id();
    store().putRecords("default", new SealedReference[] {sealedRef(aliceLater, alice, NOW + 3600)}, NOW);
    // the lookups carry no identity: the revocations are found under the tickets' ids
    assertThat(lookUp("default", List.of(aliceFirst, aliceSecond, bobs, aliceLater), new byte[0]))
        .extracting(Looked::revoked).containsExactly(true, true, false, false);
    assertThat(lookUp("realm-b", aliceInB, null).revoked()).as("another realm").isFalse();
    assertThat(lookUp("default", aliceFirst, null).revoked()).as("a peek too").isTrue();
  }

  @Test
  void revokeReference_byTicket_isKeptUnderItsId() throws Exception {
    byte[] id = id();
    byte[] other = id();
    store().putRecords("default", new SealedReference[] {sealedRef(id, id(), NOW + 3600),
        sealedRef(other, id(), NOW + 3600)}, NOW);
    assertThat(lookUp("default", id, new byte[] {1}).consume()).isEqualTo(ConsumeResult.FIRST_USE);
    store().revoke("default", List.of(Revocation.ofReference(id, NOW, NOW + 3600)), NOW);
    assertThat(lookUp("default", List.of(id, other), new byte[] {1})).extracting(Looked::revoked)
        .as("a consumed ticket retried by its own attempt is revoked too").containsExactly(true, false);
    assertThat(lookUp("default", other, null).record())
        .as("a record is still found in a realm that holds revocations").isNotNull();
  }

  /**
   * The documented race: a Revoke by identity covers every ticket by reference whose seal was
   * answered before the Revoke began, and none sealed after it returned.
   */
  @Test
  void revokeIdentity_racingSeals_coversEverySealAnsweredBeforeItBegan() throws Exception {
    byte[] alice = id();
    int max = 20_000; // memory seals fast: room for some to follow the revoke
    List<byte[]> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    long[] started = new long[max];
    long[] answered = new long[max];
    java.util.concurrent.CountDownLatch someSealed = new java.util.concurrent.CountDownLatch(50);
    java.util.concurrent.atomic.AtomicLong revokeEnded = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    ConsumeStore s = store();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> sealer = pool.submit(() -> {
        int k = 0;
        int afterRevoke = 0;
        while (k < max && afterRevoke < 20) {
          byte[] id = id();
          started[k] = System.nanoTime();
          s.putRecords("default", new SealedReference[] {sealedRef(id, alice, NOW + 3600)}, NOW);
          answered[k] = System.nanoTime();
          ids.add(id);
          if (started[k] > revokeEnded.get()) {
            afterRevoke++;
          }
          k++;
          someSealed.countDown();
        }
        return k;
      });
      if (!someSealed.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
        sealer.get(1, java.util.concurrent.TimeUnit.SECONDS); // the sealer's failure, else a timeout
        throw new AssertionError("50 seals did not happen within 30 s");
      }
      long revokeBegan = System.nanoTime();
      s.revoke("default", List.of(Revocation.ofIdentity(1, alice, NOW, NOW + 86_400)), NOW);
      revokeEnded.set(System.nanoTime());
      int sealedCount = sealer.get();
      List<Looked> looked = lookUp("default", ids, null);
      int coveredBefore = 0;
      int after = 0;
      for (int k = 0; k < sealedCount; k++) {
        if (answered[k] < revokeBegan) {
          assertThat(looked.get(k).revoked()).as("seal %d answered before the revoke began", k).isTrue();
          coveredBefore++;
        } else if (started[k] > revokeEnded.get()) {
          assertThat(looked.get(k).revoked()).as("seal %d started after the revoke returned", k).isFalse();
          after++;
        }
      }
      assertThat(coveredBefore).isGreaterThanOrEqualTo(50);
      assertThat(after).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reserve_forNoConsumes_isAlwaysGranted() throws Exception {
    try (StoreReservation r = store().reserve("default", 0, NOW)) {
      assertThat(r).isNotNull();
    }
  }
}
