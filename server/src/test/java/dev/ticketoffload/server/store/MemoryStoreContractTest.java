package dev.ticketoffload.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.server.replay.WhenFull;
import org.junit.jupiter.api.Test;

class MemoryStoreContractTest extends ConsumeStoreContract {

  @Override
  ConsumeStore newStore(java.util.function.ToLongFunction<String> quota) {
    return new MemoryStore(WhenFull.REFUSE, 0, quota);
  }

  @Override
  void letOneSecondPass(ConsumeStore store) {
    store.sweep(NOW + 1);
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

  @Test
  void sweep_dropsTheIndexedIdsOfExpiredTickets_soAnIdentitysIndexHoldsOnlyLiveOnes() {
    MemoryStore s = new MemoryStore(WhenFull.REFUSE, 0, realm -> 1000);
    byte[] alice = id();
    s.putRecords("default", new dev.ticketoffload.core.ticket.SealedReference[] {sealedRef(id(), alice, NOW + 1),
        sealedRef(id(), alice, NOW + 3600)}, NOW);
    assertThat(s.indexedIds()).isEqualTo(2);
    s.sweep(NOW + 1);
    assertThat(s.indexedIds()).isEqualTo(1);
    assertThat(s.records()).isEqualTo(1);
    s.sweep(NOW + 3600);
    assertThat(s.indexedIds()).isZero();
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
