package dev.ticketoffload.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The IV table across doublings, checked while each doubling is still moving entries. */
class IvSetTest {

  @Test
  void everyEntryAndItsAttempt_foundAtEveryStepOfEveryDoubling() {
    fillAndCheck(new IvSet(1 << 16), 40_000, 3);
  }

  @Test
  void pagedTable_everyEntryFound_noPageLargerThanItsPageSize() {
    // pages of 256 slots: the table ends as 256 pages, so probes cross page ends and step over the
    // left-out last slot of each page thousands of times
    IvSet set = new IvSet(1 << 16, 1 << 8, Runnable::run);
    fillAndCheck(set, 40_000, 5);
    assertThat(set.slots()).isEqualTo(1 << 16);
    assertThat(set.pages()).isEqualTo(256);
    assertThat(set.intsPerPage()).as("255 slots of 5 ints").isEqualTo(255 * IvSet.INTS_PER_SLOT);
  }

  @Test
  void allocatorThatNeverRuns_doublingWaitsTo7of8ThenAllocatesInline_andALateTableIsNotTaken() {
    ArrayDeque<Runnable> held = new ArrayDeque<>();
    IvSet set = new IvSet(1 << 16, 1 << 8, held::add);
    SplittableRandom random = new SplittableRandom(9);
    // 64 slots: the next table is asked for above 40 entries; no doubling at 48 (3/4) as it is not
    // ready; at 56 (7/8) it is allocated inline
    for (int i = 0; i < 48; i++) {
      set.addAbsent(random.nextInt(), random.nextInt(), random.nextInt(), i + 1);
    }
    assertThat(set.slots()).as("still waiting for the next table").isEqualTo(64);
    for (int i = 48; i < 57; i++) {
      set.addAbsent(random.nextInt(), random.nextInt(), random.nextInt(), i + 1);
    }
    assertThat(set.slots()).as("doubled inline at 7/8").isEqualTo(128);
    // the held-back 128-slot table arrives late; the doubling to 256 must not take it for the next
    // table (still held back): it waits to 7/8 of 128 and allocates inline again
    held.removeFirst().run();
    for (int i = 57; i < 100; i++) {
      set.addAbsent(random.nextInt(), random.nextInt(), random.nextInt(), i + 1);
    }
    assertThat(set.slots()).as("the late 128-slot table is not a 256-slot one").isEqualTo(128);
    assertThat(set.migrating()).as("no doubling into the late table").isFalse();
    for (int i = 100; i < 113; i++) {
      set.addAbsent(random.nextInt(), random.nextInt(), random.nextInt(), i + 1);
    }
    assertThat(set.slots()).isEqualTo(256);
    held.clear();
    fillAndCheckFrom(set, 113, 20_000, 9, held);
    assertThat(set.slots()).isGreaterThan(256);
  }

  private static void fillAndCheck(IvSet set, int n, long seed) {
    fillAndCheckFrom(set, 0, n, seed, null);
  }

  /**
   * Adds entries {@code from..n-1} (those before were added from the same seed), checks an early
   * entry at every step of every doubling, then all of them; runs the held allocations as it goes.
   */
  private static void fillAndCheckFrom(IvSet set, int from, int n, long seed, ArrayDeque<Runnable> held) {
    int[][] ivs = new int[n][];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      ivs[i] = new int[] {random.nextInt(), random.nextInt(), random.nextInt()};
    }
    int sawMigrating = 0;
    for (int i = from; i < n; i++) {
      assertThat(set.contains(ivs[i][0], ivs[i][1], ivs[i][2])).isFalse();
      set.addAbsent(ivs[i][0], ivs[i][1], ivs[i][2], i + 1);
      if (held != null) {
        held.forEach(Runnable::run);
        held.clear();
      }
      if (set.migrating()) {
        sawMigrating++;
        // mid-move: an early entry and the newest one are both there, with their attempts
        int early = i / 7;
        int slot = set.find(ivs[early][0], ivs[early][1], ivs[early][2]);
        assertThat(slot).isNotEqualTo(IvSet.ABSENT);
        assertThat(set.attemptAt(slot)).isEqualTo(early + 1);
      }
    }
    assertThat(sawMigrating).as("inserts made while a doubling was moving entries").isPositive();
    for (int i = 0; i < n; i++) {
      int slot = set.find(ivs[i][0], ivs[i][1], ivs[i][2]);
      assertThat(slot).as("entry %d", i).isNotEqualTo(IvSet.ABSENT);
      assertThat(set.attemptAt(slot)).isEqualTo(i + 1);
    }
    assertThat(set.size()).isEqualTo(n);
  }
}
