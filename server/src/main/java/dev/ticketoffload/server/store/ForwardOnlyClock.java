package dev.ticketoffload.server.store;

import java.time.InstantSource;

/**
 * Unix seconds that never go back: the wall clock, except that a step backwards is held at the
 * latest second seen until the wall clock catches up. Opens take their "now" from it, and the memory
 * store drops records by that same "now", so a record is forgotten only once its ticket is
 * {@code EXPIRED} by a clock that cannot return to when it was not: a wall clock stepped forward, then
 * back, does not reopen consumed tickets. (A forward step makes tickets expire early, which fails
 * closed.) Thread-safe.
 */
public final class ForwardOnlyClock {

  private final InstantSource wall;
  private final java.util.concurrent.atomic.AtomicLong latest = new java.util.concurrent.atomic.AtomicLong(
      Long.MIN_VALUE);

  public ForwardOnlyClock(InstantSource wall) {
    this.wall = wall;
  }

  public long nowSeconds() {
    long now = Math.floorDiv(wall.millis(), 1000);
    long seen = latest.get();
    if (now <= seen) {
      return seen;
    }
    // Racing updaters may both win with different values; each returns at least what it read.
    return latest.accumulateAndGet(now, Math::max);
  }
}
