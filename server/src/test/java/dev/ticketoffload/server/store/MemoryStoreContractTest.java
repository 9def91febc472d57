package dev.ticketoffload.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.server.replay.WhenFull;
import org.junit.jupiter.api.Test;

class MemoryStoreContractTest extends ConsumeStoreContract {

  @Override
  ConsumeStore newStore() {
    return new MemoryStore(WhenFull.REFUSE, 0, realm -> 1_000_000);
  }

  @Override
  void letOneSecondPass(ConsumeStore store) {
    store.sweep(NOW + 1);
  }

  @Test
  void quota_refuse_oneRealmFullDoesNotStopAnother() {
    MemoryStore s = new MemoryStore(WhenFull.REFUSE, 0, realm -> realm.equals("small") ? 3 : 100);
    try (StoreReservation r = s.reserve("small", 3, NOW)) {
      assertThat(r).isNotNull();
    }
    for (int i = 0; i < 3; i++) {
      try (StoreReservation r = s.reserve("small", 1, NOW)) {
        var batch = dev.ticketoffload.core.ticket.ConsumeBatch.ofCapacity(1);
        batch.add(1, iv(), 0, NOW + 60, new byte[0], 0, 0);
        r.consumeAll("small", batch, NOW);
        assertThat(batch.result(0)).isEqualTo(ConsumeResult.FIRST_USE);
      }
    }
    assertThatThrownBy(() -> s.reserve("small", 1, NOW)).isInstanceOf(StoreRefusedException.class)
        .hasMessageContaining("realm small").hasMessageContaining("max_replay_entries (3)")
        .extracting(e -> ((StoreRefusedException) e).reason()).isEqualTo(StoreRefusedException.Reason.QUOTA);
    try (StoreReservation r = s.reserve("other", 100, NOW)) {
      assertThat(r).as("another realm keeps all of its room").isNotNull();
    }
  }

  @Test
  void quota_evictOldest_oneRealmFloodingNeverForgetsAnothersRecords() throws Exception {
    MemoryStore s = new MemoryStore(WhenFull.EVICT_OLDEST, 0, realm -> 200);
    byte[] victim = iv();
    consumeIn(s, "victim", victim);
    for (int i = 0; i < 5000; i++) {
      consumeIn(s, "flood", iv());
    }
    assertThat(s.guard("flood").size()).isLessThanOrEqualTo(200);
    assertThat(s.guard("flood").evictedCount()).isPositive();
    assertThat(consumeIn(s, "victim", victim)).isEqualTo(ConsumeResult.REPLAYED);
  }

  private static ConsumeResult consumeIn(MemoryStore s, String realm, byte[] iv) {
    var batch = dev.ticketoffload.core.ticket.ConsumeBatch.ofCapacity(1);
    batch.add(1, iv, 0, NOW + 60, new byte[0], 0, 0);
    try (StoreReservation r = s.reserve(realm, 1, NOW)) {
      r.consumeAll(realm, batch, NOW);
    }
    return batch.result(0);
  }
}
