package dev.ticketoffload.api.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Groups items into batches: a batch leaves when it holds {@code maxBatchItems} items or when
 * {@code lingerNanos} have passed since its first item, whichever comes first. A linger of zero
 * sends every item alone.
 *
 * <p>Batches are handed to {@code flush} outside the lock, on the thread that filled the batch or
 * on the timer thread.
 */
final class Coalescer<T> {

  private final int maxBatchItems;
  private final long lingerNanos;
  private final ScheduledExecutorService timer;
  private final Consumer<List<T>> flush;

  private final Object lock = new Object();
  private ArrayList<T> filling;
  // Numbers the batches, so a linger timer that fires after its batch already left does nothing
  // (cheaper than cancelling a timer per full batch).
  private long batchNumber;
  private boolean closed;

  Coalescer(int maxBatchItems, long lingerNanos, ScheduledExecutorService timer, Consumer<List<T>> flush) {
    this.maxBatchItems = maxBatchItems;
    this.lingerNanos = lingerNanos;
    this.timer = timer;
    this.flush = flush;
  }

  /** @return false when closed: the item was not taken */
  boolean add(T item) {
    List<T> ready = null;
    synchronized (lock) {
      if (closed) {
        return false;
      }
      if (filling == null) {
        filling = new ArrayList<>(Math.min(maxBatchItems, 1024));
      }
      filling.add(item);
      if (filling.size() >= maxBatchItems || lingerNanos == 0) {
        ready = takeFilling();
      } else if (filling.size() == 1) {
        long thisBatch = batchNumber;
        timer.schedule(() -> flushIfStillFilling(thisBatch), lingerNanos, TimeUnit.NANOSECONDS);
      }
    }
    if (ready != null) {
      flush.accept(ready);
    }
    return true;
  }

  /** Refuses further items and returns the batch being filled (possibly empty), not yet sent. */
  List<T> closeAndDrain() {
    synchronized (lock) {
      closed = true;
      return filling == null ? List.of() : takeFilling();
    }
  }

  private void flushIfStillFilling(long expectedBatch) {
    List<T> ready;
    synchronized (lock) {
      if (batchNumber != expectedBatch || filling == null) {
        return;
      }
      ready = takeFilling();
    }
    flush.accept(ready);
  }

  private List<T> takeFilling() {
    List<T> ready = filling;
    filling = null;
    batchNumber++;
    return ready;
  }
}
