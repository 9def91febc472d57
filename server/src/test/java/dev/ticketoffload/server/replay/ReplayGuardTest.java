package dev.ticketoffload.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.server.replay.ReplayGuard.Result;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

  private static final long NOW = 1_764_190_000L;
  private static final long KEY = 0x0001_0000_0001_EA52L;

  private final MutableClock clock = new MutableClock(NOW);

  private static final class MutableClock implements InstantSource {
    volatile long seconds;

    MutableClock(long seconds) {
      this.seconds = seconds;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds);
    }
  }

  private ReplayGuard guardAt(long seconds, ReplayGuard guard) {
    clock.seconds = seconds;
    return guard;
  }

  private static byte[] iv(long seed) {
    byte[] iv = new byte[12];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < iv.length; i++) {
      iv[i] = (byte) r.nextInt();
    }
    return iv;
  }

  @Test
  void firstUseAll_inOrderUnderOneLock_sameAnswersAsOneByOne_andDrawsOnTheReservation() {
    ReplayGuard guard = new ReplayGuard(3, WhenFull.REFUSE, 0, clock);
    guard.consume(KEY, iv(9), 0, NOW + 60, NOW, null);
    Reservation reservation = guard.tryReserve(2);
    assertThat(reservation).isNotNull();
    long[] keys = {KEY, KEY, KEY, KEY};
    byte[][] ivs = {iv(1), iv(2), iv(1), iv(9)};
    boolean[] firstUse = new boolean[4];
    reservation.guard().firstUseAll(4, keys, ivs, new int[4], new long[] {NOW + 60, NOW + 60, NOW + 60, NOW + 60},
        firstUse);
    assertThat(firstUse).containsExactly(true, true, false, false);
    assertThat(guard.size()).isEqualTo(3);
    reservation.close();
    assertThat(guard.tryReserve(1)).as("the bound of 3 is reached").isNull();
  }

  @Test
  void refuseMode_oneKeysTicketsLiveInOneTable_evictOldestCutsThemIntoSegments() {
    ReplayGuard refuse = new ReplayGuard(100_000, WhenFull.REFUSE, 0, clock);
    ReplayGuard evict = new ReplayGuard(100_000, WhenFull.EVICT_OLDEST, 0, clock);
    for (long i = 1; i <= 60_000; i++) {
      assertThat(refuse.consume(KEY, iv(i), 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
      evict.consume(KEY, iv(i), 0, NOW + 60, NOW, null);
    }
    assertThat(refuse.segmentCount()).as("tables a consume probes in refuse mode").isEqualTo(1);
    assertThat(evict.segmentCount()).as("segments in evict-oldest mode").isGreaterThan(16);
    assertThat(refuse.consume(KEY, iv(1), 0, NOW + 60, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(refuse.consume(KEY, iv(60_000), 0, NOW + 60, NOW, null)).isEqualTo(Result.REPLAYED);
  }

  @Test
  void consume_twice_isReplayed() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 0, clock);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(guard.size()).isEqualTo(1);
  }

  @Test
  void consume_sameIvOtherKeyId_isFirstUse() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 0, clock);
    guard.consume(KEY, iv(1), 0, NOW + 60, NOW, null);
    assertThat(guard.consume(KEY + 1, iv(1), 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY + (1L << 48), iv(1), 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
  }

  @Test
  void consume_allZeroIv_isRememberedExactly() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 0, clock);
    assertThat(guard.consume(KEY, new byte[12], 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
    assertThat(guard.consume(KEY, new byte[12], 0, NOW + 60, NOW, null)).isEqualTo(Result.REPLAYED);
  }

  @Test
  void dropExpired_dropsWholeGroupOnlyAfterItsLastExpiryPlusSkew() {
    ReplayGuard guard = new ReplayGuard(100, WhenFull.REFUSE, 5, clock);
    guard.consume(KEY, iv(1), 0, NOW + 10, NOW, null);
    guard.consume(KEY, iv(2), 0, NOW + 20, NOW, null);
    guard.dropExpired(NOW + 24);
    assertThat(guard.size()).isEqualTo(2);
    guard.dropExpired(NOW + 25);
    assertThat(guard.size()).isZero();
  }

  @Test
  void refuse_whenFull_answersFullAndKeepsEveryEntry() {
    ReplayGuard guard = new ReplayGuard(10, WhenFull.REFUSE, 0, clock);
    for (int i = 0; i < 10; i++) {
      assertThat(guard.consume(KEY, iv(i), 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
    }
    assertThat(guard.consume(KEY, iv(99), 0, NOW + 60, NOW, null)).isEqualTo(Result.FULL);
    assertThat(guard.tryReserve(1)).isNull();
    for (int i = 0; i < 10; i++) {
      assertThat(guard.consume(KEY, iv(i), 0, NOW + 60, NOW, null)).isEqualTo(Result.REPLAYED);
    }
    // once they expire there is room again
    assertThat(guardAt(NOW + 60, guard).tryReserve(1)).isNotNull();
  }

  @Test
  void reservation_holdsRoomForItsBatchAndReturnsTheRest() {
    ReplayGuard guard = new ReplayGuard(10, WhenFull.REFUSE, 0, clock);
    try (Reservation r = guard.tryReserve(8)) {
      assertThat(guard.tryReserve(3)).isNull();
      assertThat(guard.consume(KEY, iv(1), 0, NOW + 60, NOW, r)).isEqualTo(Result.FIRST_USE);
    }
    assertThat(guard.tryReserve(9)).isNotNull();
  }

  @Test
  void reservationGuard_drawsOnItsReservationOnAnyThread_andTheBareGuardRefusesWhenFull() throws Exception {
    ReplayGuard guard = new ReplayGuard(2, WhenFull.REFUSE, 0, clock);
    Reservation r = guard.tryReserve(2);
    // taken on this thread, used on another (as the service does: admitted on arrival, opened by a worker)
    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      assertThat(other.submit(() -> r.guard().firstUse(KEY, iv(1), 0, NOW + 60)).get()).isTrue();
      assertThat(other.submit(() -> r.guard().firstUse(KEY, iv(1), 0, NOW + 60)).get()).isFalse();
      assertThat(other.submit(() -> r.guard().firstUse(KEY, iv(2), 0, NOW + 60)).get()).isTrue();
    } finally {
      other.shutdown();
    }
    r.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.firstUse(KEY, iv(3), 0, NOW + 60))
        .isInstanceOf(ReplayGuardFullException.class).hasMessageContaining("replay-guard-max-entries");
  }

  @Test
  void evictOldest_neverExceedsBoundAndForgetsOldestFirst() {
    ReplayGuard guard = new ReplayGuard(480, WhenFull.EVICT_OLDEST, 0, clock);
    for (int i = 0; i < 5_000; i++) {
      assertThat(guard.consume(KEY + i / 100, iv(i), 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
      assertThat(guard.size()).isLessThanOrEqualTo(480);
    }
    assertThat(guard.evictedCount()).isGreaterThan(0);
    assertThat(guard.consume(KEY + 49, iv(4_999), 0, NOW + 60, NOW, null)).isEqualTo(Result.REPLAYED);
    assertThat(guard.consume(KEY, iv(0), 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
  }

  @Test
  void manyEntries_allRememberedAndMemoryPerEntryReported() {
    int n = 1_000_000;
    ReplayGuard guard = new ReplayGuard(10_000_000, WhenFull.REFUSE, 0, clock);
    Runtime rt = Runtime.getRuntime();
    long before = usedHeap(rt);
    byte[] iv = new byte[12];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      random.nextBytes(iv);
      assertThat(guard.consume(KEY + i % 4, iv, 0, NOW + 60, NOW, null)).isEqualTo(Result.FIRST_USE);
    }
    long after = usedHeap(rt);
    random = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      random.nextBytes(iv);
      if (guard.consume(KEY + i % 4, iv, 0, NOW + 60, NOW, null) != Result.REPLAYED) {
        throw new AssertionError("entry " + i + " forgotten");
      }
    }
    double tableBytesPerEntry = (double) guard.bytesAllocated() / n;
    double heapBytesPerEntry = (double) (after - before) / n;
    System.out.printf("replay guard: %d entries, tables %.1f bytes/entry, heap %.1f bytes/entry%n",
        n, tableBytesPerEntry, heapBytesPerEntry);
    assertThat(tableBytesPerEntry).isBetween(12.0, 32.0);
    assertThat(guard.size()).isEqualTo(n);
  }

  private static long usedHeap(Runtime rt) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
