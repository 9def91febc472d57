package dev.ticketoffload.server.grpc;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.SingleUseStore;
import dev.ticketoffload.core.ticket.StoreLookups;
import dev.ticketoffload.server.store.StoreRefusedException;

/**
 * The store as a batch of peeks sees it (no item consumes). DESIGN.md: while the store cannot answer,
 * peeks go on. A peek of a ticket by value then opens without its revocation checks (it consumes
 * nothing, and the consuming open that follows fails closed); a peek of a ticket by reference cannot
 * go on (its state is in the store), so then the call fails UNAVAILABLE as consumes do.
 */
final class PeekStore implements SingleUseStore {

  private final SingleUseStore store;

  PeekStore(SingleUseStore store) {
    this.store = store;
  }

  @Override
  public void consumeAll(String realm, ConsumeBatch consumes, long nowSeconds) {
    store.consumeAll(realm, consumes, nowSeconds);
  }

  @Override
  public boolean mayHoldRevocations(String realm) {
    return store.mayHoldRevocations(realm);
  }

  @Override
  public void lookUpAndConsume(String realm, StoreLookups lookups, ConsumeBatch consumes, long nowSeconds) {
    try {
      store.lookUpAndConsume(realm, lookups, consumes, nowSeconds);
    } catch (StoreRefusedException e) {
      if (consumes.size() > 0 || e.reason() != StoreRefusedException.Reason.DOWN) {
        throw e;
      }
      for (int j = 0; j < lookups.size(); j++) {
        if (lookups.byReference(j)) {
          throw e;
        }
      }
    }
  }
}
