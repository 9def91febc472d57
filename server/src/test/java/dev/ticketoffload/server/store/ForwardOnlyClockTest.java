package dev.ticketoffload.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** Clock steps (issue 10, item 8): a wall clock stepped forward, then back, must not reopen tickets. */
class ForwardOnlyClockTest {

  private static final long NOW = 1_764_190_000L;

  @Test
  void stepBack_holdsTheLatestSecond_stepForward_isFollowed() {
    MutableClock wall = new MutableClock(NOW);
    ForwardOnlyClock clock = new ForwardOnlyClock(wall);
    assertThat(clock.nowSeconds()).isEqualTo(NOW);
    wall.set(NOW - 3600);
    assertThat(clock.nowSeconds()).as("stepped back").isEqualTo(NOW);
    wall.set(NOW + 10);
    assertThat(clock.nowSeconds()).as("stepped forward").isEqualTo(NOW + 10);
  }

  @Test
  void backThenForward_recordsStayUntilExpiryByTheForwardOnlyClock() {
    MutableClock wall = new MutableClock(NOW);
    ForwardOnlyClock clock = new ForwardOnlyClock(wall);
    MemoryStore store = new MemoryStore(WhenFull.REFUSE, 0, realm -> 1000);
    byte[] iv = new byte[12];
    iv[0] = 2;
    assertThat(consume(store, iv, NOW + 60, clock.nowSeconds())).isEqualTo(ConsumeResult.FIRST_USE);
    wall.set(NOW - 7200); // back two hours
    store.sweep(clock.nowSeconds());
    wall.set(NOW + 30); // forward again, within the ticket's life
    store.sweep(clock.nowSeconds());
    assertThat(consume(store, iv, NOW + 60, clock.nowSeconds())).isEqualTo(ConsumeResult.REPLAYED);
  }

  private static ConsumeResult consume(MemoryStore store, byte[] iv, long expiresAt, long now) {
    ConsumeBatch batch = ConsumeBatch.ofCapacity(1);
    batch.add(5, iv, 0, expiresAt, new byte[0], 0, 0);
    try (StoreReservation r = store.reserve("default", 1, now)) {
      r.consumeAll("default", batch, now);
    }
    return batch.result(0);
  }
}
