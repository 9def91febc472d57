package dev.ticketoffload.server.replay;

/**
 * Room in the {@link ReplayGuard} held for the consumes of one batch; closing it returns what the
 * batch did not use. Confined to the thread that runs the batch.
 */
public final class Reservation implements AutoCloseable {

  private final ReplayGuard guard;
  private int remaining;

  Reservation(ReplayGuard guard, int slots) {
    this.guard = guard;
    this.remaining = slots;
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
    guard.release(this, n);
  }
}
