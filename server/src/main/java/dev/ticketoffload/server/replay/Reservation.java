package dev.ticketoffload.server.replay;

import dev.ticketoffload.core.ticket.SingleUseGuard;

/**
 * Room in the {@link ReplayGuard} held for the consumes of one batch; closing it returns what the
 * batch did not use. Taken when the batch is admitted, used by the thread that opens the batch
 * (through {@link #guard()}), closed when the batch is answered: one thread at a time, handed over
 * with a happens-before edge (the executor's), so its count needs no lock of its own.
 */
public final class Reservation implements AutoCloseable {

  private final ReplayGuard guard;
  private final SingleUseGuard bound;
  private int remaining;

  Reservation(ReplayGuard guard, int slots) {
    this.guard = guard;
    this.remaining = slots;
    this.bound = new SingleUseGuard() {
      @Override
      public boolean firstUse(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds) {
        return guard.firstUse(keyId, iv, ivOffset, expiresAtSeconds, Reservation.this);
      }

      @Override
      public void firstUseAll(int count, long[] keyIds, byte[][] ivs, int[] ivOffsets, long[] expiresAtSeconds,
          boolean[] firstUse) {
        guard.firstUseAll(count, keyIds, ivs, ivOffsets, expiresAtSeconds, firstUse, Reservation.this);
      }
    };
  }

  /**
   * The replay guard as the opener of this batch should see it: its consumes draw on this
   * reservation ({@code TicketOpener.openAll(realm, batch, now, reservation.guard())}).
   */
  public SingleUseGuard guard() {
    return bound;
  }

  /** Takes one reserved slot, if any is left. */
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
