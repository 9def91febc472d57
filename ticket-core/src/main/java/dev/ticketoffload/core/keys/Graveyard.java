package dev.ticketoffload.core.keys;

import java.util.ArrayList;
import java.util.List;

/**
 * Keys and key rings that left service but may still be in use by a batch on another thread. They are
 * released only after a grace period far longer than any batch takes, so no lock or reference count is
 * needed on the hot path.
 */
final class Graveyard {

  static final long GRACE_NANOS = 60_000_000_000L;

  private record Grave(Runnable release, long buriedAtNanos) {}

  private final List<Grave> graves = new ArrayList<>();
  private final long graceNanos;

  Graveyard(long graceNanos) {
    this.graceNanos = graceNanos;
  }

  synchronized void bury(Runnable release) {
    graves.add(new Grave(release, System.nanoTime()));
  }

  /** Releases what has been buried for longer than the grace period. */
  synchronized void sweep() {
    long now = System.nanoTime();
    graves.removeIf(g -> {
      if (now - g.buriedAtNanos() < graceNanos) {
        return false;
      }
      g.release().run();
      return true;
    });
  }

  /** Releases everything now: only when no thread can use the keys any more. */
  synchronized void releaseAll() {
    graves.forEach(g -> g.release().run());
    graves.clear();
  }
}
