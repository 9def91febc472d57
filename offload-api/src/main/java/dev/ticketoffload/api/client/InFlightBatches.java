package dev.ticketoffload.api.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The batches sent and not yet finished (including those waiting to be retried), so that close
 * can wait for them and then fail whatever is left: no future outlives the client.
 */
final class InFlightBatches {

  private final Set<Lane<?, ?, ?, ?>.Batch> batches = ConcurrentHashMap.newKeySet();

  void add(Lane<?, ?, ?, ?>.Batch batch) {
    batches.add(batch);
  }

  void remove(Lane<?, ?, ?, ?>.Batch batch) {
    batches.remove(batch);
    if (batches.isEmpty()) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** @return true when none is left */
  synchronized boolean awaitEmpty(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!batches.isEmpty()) {
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0) {
        return false;
      }
      wait(Math.max(1, leftNanos / 1_000_000));
    }
    return true;
  }

  List<Lane<?, ?, ?, ?>.Batch> snapshot() {
    return new ArrayList<>(batches);
  }
}
