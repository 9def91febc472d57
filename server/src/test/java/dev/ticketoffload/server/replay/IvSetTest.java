package dev.ticketoffload.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The IV table across doublings, checked while each doubling is still moving entries. */
class IvSetTest {

  @Test
  void everyEntryAndItsAttempt_foundAtEveryStepOfEveryDoubling() {
    IvSet set = new IvSet(1 << 16);
    int n = 40_000;
    int[][] ivs = new int[n][];
    SplittableRandom random = new SplittableRandom(3);
    int sawMigrating = 0;
    for (int i = 0; i < n; i++) {
      ivs[i] = new int[] {random.nextInt(), random.nextInt(), random.nextInt()};
      assertThat(set.contains(ivs[i][0], ivs[i][1], ivs[i][2])).isFalse();
      set.addAbsent(ivs[i][0], ivs[i][1], ivs[i][2], i + 1);
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
    assertThat(set.migrating()).isFalse();
    for (int i = 0; i < n; i++) {
      int slot = set.find(ivs[i][0], ivs[i][1], ivs[i][2]);
      assertThat(slot).as("entry %d", i).isGreaterThanOrEqualTo(0);
      assertThat(set.attemptAt(slot)).isEqualTo(i + 1);
    }
    assertThat(set.size()).isEqualTo(n);
  }
}
