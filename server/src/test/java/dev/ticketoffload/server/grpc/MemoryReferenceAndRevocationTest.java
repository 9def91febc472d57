package dev.ticketoffload.server.grpc;

import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.store.ConsumeStore;
import dev.ticketoffload.server.store.MemoryStore;

/** The fleet of three in one process, sharing one memory store. */
class MemoryReferenceAndRevocationTest extends ReferenceAndRevocationContract {
  @Override
  ConsumeStore newStore() {
    return new MemoryStore(WhenFull.REFUSE, 0, realm -> 1_000_000);
  }
}
