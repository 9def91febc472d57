package dev.ticketoffload.server.replay;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.server.store.StoreReservation;

/**
 * Room in one realm's {@link ReplayGuard} held for the consumes of one batch, and the store its
 * opener records them in; closing it returns what the batch did not use. Taken when the batch is
 * admitted, used by the thread that opens the batch, closed when the batch is answered: one thread at
 * a time, handed over with a happens-before edge (the executor's), so the count it owns needs no lock.
 */
public final class Reservation implements StoreReservation {

  private final ReplayGuard guard;
  private int remaining;

  Reservation(ReplayGuard guard, int slots) {
    this.guard = guard;
    this.remaining = slots;
  }

  @Override
  public void consumeAll(String realm, ConsumeBatch consumes, long nowSeconds) {
    guard.consumeAll(consumes, nowSeconds, this);
  }

  /** Takes one reserved slot, if any is left; the guard then counts it as used, not reserved. */
  boolean take() {
    if (remaining == 0) {
      return false;
    }
    remaining--;
    return true;
  }

  @Override
  public void close() {
    int n = remaining;
    remaining = 0;
    guard.release(n);
  }
}
