package dev.ticketoffload.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.server.replay.ReplayGuard.Result;
import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.server.store.StoreRefusedException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

  private static final long NOW = 1_764_190_000L;
  private static final long KEY = 0x0001_0000_0001_EA52L;

  private static byte[] iv(long seed) {
    byte[] iv = new byte[12];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < iv.length; i++) {
      iv[i] = (byte) r.nextInt();
    }
    return iv;
  }

  @Test
  void consumeAll_inOrderUnderOneLock_sameAnswersAsOneByOne_andDrawsOnTheReservation() {
    ReplayGuard guard = new ReplayGuard(3, WhenFull.REFUSE, 0);
    guard.consume(KEY, iv(9), 0, NOW + 60, 0, NOW, null);
    Reservation reservation = guard.tryReserve(2, NOW);
    assertThat(reservation).isNotNull();
    ConsumeBatch batch = ConsumeBatch.ofCapacity(4);
    for (byte[] iv : new byte[][] {iv(1), iv(2), iv(1), iv(9)}) {
      batch.add(KEY, iv, 0, NOW + 60, new byte[0], 0, 0);
    }
    reservation.consumeAll("default", batch, NOW);
    assertThat(java.util.stream.IntStream.range(0, 4).mapToObj(batch::result)).containsExactly(
        ConsumeResult.FIRST_USE, ConsumeResult.FIRST_USE, ConsumeResult.REPLAYED, ConsumeResult.REPLAYED);
    assertThat(guard.size()).isEqualTo(3);
    reservation.close();
    assertThat(guard.tryReserve(1, NOW)).as("the bound of 3 is reached").isNull();
  }

  @Test
  void consume_sameAttemptAgain_isSameAttempt_otherOrNoneIsReplayed() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 0);
    long attempt = ReplayGuard.attemptFingerprint(new byte[] {1, 2, 3}, 0, 3);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, attempt, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, attempt, NOW, null)).isEqualTo(Result.SAME_ATTEMPT);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, attempt + 1, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(guard.consume(KEY, new byte[12], 0, NOW + 60, attempt, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY, new byte[12], 0, NOW + 60, attempt, NOW, null)).isEqualTo(Result.SAME_ATTEMPT);
    assertThat(ReplayGuard.attemptFingerprint(new byte[0], 0, 0)).isZero();
    assertThat(ReplayGuard.attemptFingerprint(new byte[] {0}, 0, 1)).isNotZero()
        .isNotEqualTo(ReplayGuard.attemptFingerprint(new byte[] {0, 0}, 0, 2));
  }

  @Test
  void setMaxEntries_lowerBound_refusesUntilBelowIt() {
    ReplayGuard guard = new ReplayGuard(10, WhenFull.REFUSE, 0);
    for (int i = 0; i < 5; i++) {
      guard.consume(KEY, iv(i), 0, NOW + 60, 0, NOW, null);
    }
    guard.setMaxEntries(5);
    assertThat(guard.tryReserve(1, NOW)).isNull();
    guard.setMaxEntries(6);
    assertThat(guard.tryReserve(1, NOW)).isNotNull();
  }

  @Test
  void refuseMode_oneKeysTicketsLiveInOneTable_evictOldestCutsThemIntoSegments() {
    ReplayGuard refuse = new ReplayGuard(100_000, WhenFull.REFUSE, 0);
    ReplayGuard evict = new ReplayGuard(100_000, WhenFull.EVICT_OLDEST, 0);
    for (long i = 1; i <= 60_000; i++) {
      assertThat(refuse.consume(KEY, iv(i), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
      evict.consume(KEY, iv(i), 0, NOW + 60, 0, NOW, null);
    }
    assertThat(refuse.segmentCount()).as("tables a consume probes in refuse mode").isEqualTo(1);
    assertThat(evict.segmentCount()).as("segments in evict-oldest mode").isGreaterThan(16);
    assertThat(refuse.consume(KEY, iv(1), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(refuse.consume(KEY, iv(60_000), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.REPLAYED);
  }

  @Test
  void consume_twice_isReplayed() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 0);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(guard.size()).isEqualTo(1);
  }

  @Test
  void consume_sameIvOtherKeyId_isFirstUse() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 0);
    guard.consume(KEY, iv(1), 0, NOW + 60, 0, NOW, null);
    assertThat(guard.consume(KEY + 1, iv(1), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY + (1L << 48), iv(1), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
  }

  @Test
  void consume_allZeroIv_isRememberedExactly() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 0);
    assertThat(guard.consume(KEY, new byte[12], 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY, new byte[12], 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.REPLAYED);
  }

  @Test
  void dropExpired_dropsWholeGroupOnlyAfterItsLastExpiryPlusSkew() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 5);
    guard.consume(KEY, iv(1), 0, NOW + 10, 0, NOW, null);
    guard.consume(KEY, iv(2), 0, NOW + 20, 0, NOW, null);
    guard.dropExpired(NOW + 24);
    assertThat(guard.size()).isEqualTo(2);
    guard.dropExpired(NOW + 25);
    assertThat(guard.size()).isZero();
  }

  @Test
  void refuse_whenFull_answersFullAndKeepsEveryEntry() {
    ReplayGuard guard = new ReplayGuard(10, WhenFull.REFUSE, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(guard.consume(KEY, iv(i), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
    }
    assertThat(guard.consume(KEY, iv(99), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FULL);
    assertThat(guard.tryReserve(1, NOW)).isNull();
    for (int i = 0; i < 10; i++) {
      assertThat(guard.consume(KEY, iv(i), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.REPLAYED);
    }
    // once they expire there is room again
    assertThat(guard.tryReserve(1, NOW + 60)).isNotNull();
  }

  @Test
  void reservation_holdsRoomForItsBatchAndReturnsTheRest() {
    ReplayGuard guard = new ReplayGuard(10, WhenFull.REFUSE, 0);
    try (Reservation r = guard.tryReserve(8, NOW)) {
      assertThat(guard.tryReserve(3, NOW)).isNull();
      assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, 0, NOW, r)).isEqualTo(Result.FIRST_USE);
    }
    assertThat(guard.tryReserve(9, NOW)).isNotNull();
  }

  @Test
  void reservation_drawsOnItsRoomOnAnyThread_andABatchBeyondItIsRefused() throws Exception {
    ReplayGuard guard = new ReplayGuard(2, WhenFull.REFUSE, 0);
    Reservation r = guard.tryReserve(2, NOW);
    // taken on this thread, used on another (as the service does: admitted on arrival, opened by a worker)
    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
    ConsumeBatch batch = ConsumeBatch.ofCapacity(3);
    batch.add(KEY, iv(1), 0, NOW + 60, new byte[0], 0, 0);
    batch.add(KEY, iv(1), 0, NOW + 60, new byte[0], 0, 0);
    batch.add(KEY, iv(2), 0, NOW + 60, new byte[0], 0, 0);
    try {
      other.submit(() -> r.consumeAll("default", batch, NOW)).get();
    } finally {
      other.shutdown();
    }
    assertThat(batch.result(0)).isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(batch.result(1)).isEqualTo(ConsumeResult.REPLAYED);
    assertThat(batch.result(2)).isEqualTo(ConsumeResult.FIRST_USE);
    r.close();
    Reservation none = guard.tryReserve(0, NOW);
    ConsumeBatch more = ConsumeBatch.ofCapacity(1);
    more.add(KEY, iv(3), 0, NOW + 60, new byte[0], 0, 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> none.consumeAll("default", more, NOW))
        .isInstanceOf(StoreRefusedException.class).hasMessageContaining("max_replay_entries (2)");
  }

  @Test
  void evictOldest_neverExceedsBoundAndForgetsOldestFirst() {
    ReplayGuard guard = new ReplayGuard(480, WhenFull.EVICT_OLDEST, 0);
    for (int i = 0; i < 5_000; i++) {
      assertThat(guard.consume(KEY + i / 100, iv(i), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
      assertThat(guard.size()).isLessThanOrEqualTo(480);
    }
    assertThat(guard.evictedCount()).isGreaterThan(0);
    assertThat(guard.consume(KEY + 49, iv(4_999), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(guard.consume(KEY, iv(0), 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
  }

  @Test
  void manyEntries_allRememberedAndMemoryPerEntryReported() {
    int n = 1_000_000;
    ReplayGuard guard = new ReplayGuard(10_000_000, WhenFull.REFUSE, 0);
    Runtime rt = Runtime.getRuntime();
    long before = usedHeap(rt);
    byte[] iv = new byte[12];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      random.nextBytes(iv);
      assertThat(guard.consume(KEY + i % 4, iv, 0, NOW + 60, 0, NOW, null)).isEqualTo(Result.FIRST_USE);
    }
    long after = usedHeap(rt);
    random = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      random.nextBytes(iv);
      if (guard.consume(KEY + i % 4, iv, 0, NOW + 60, 0, NOW, null) != Result.REPLAYED) {
        throw new AssertionError("entry " + i + " forgotten");
      }
    }
    double tableBytesPerEntry = (double) guard.bytesAllocated() / n;
    double heapBytesPerEntry = (double) (after - before) / n;
    System.out.printf("replay guard: %d entries, tables %.1f bytes/entry, heap %.1f bytes/entry%n",
        n, tableBytesPerEntry, heapBytesPerEntry);
    // 20-byte slots (IV and attempt fingerprint) at a load between 3/8 and 3/4
    assertThat(tableBytesPerEntry).isBetween(20.0, 56.0);
    assertThat(guard.size()).isEqualTo(n);
  }

  private static long usedHeap(Runtime rt) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
