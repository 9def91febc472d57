package dev.ticketoffload.server.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where admitted batches are worked on. gRPC runs the service on its transport threads (the
 * request has just been parsed there), so admission happens on arrival, before any queue; only
 * admitted batches are handed to the worker pool, one task per batch, never per item. Every queued
 * task holds a permit for at least one item, so the pool's queue never holds more batches than
 * {@code max-items-in-flight} items, however fast requests arrive.
 *
 * <p>With no pool ({@code --executor direct}) the batch runs at once on the transport thread.
 */
final class Workers {

  /** Where an admitted batch's outcome goes (the call's response observer, adapted). */
  interface Answer<Resp> {
    /**
     * Sends {@code response}; runs {@code release} exactly once, when the answer has left for the
     * client or the call ended (the batch's items stay in flight until then).
     */
    void answered(Resp response, Runnable release);

    void failed(StatusException e);
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Workers.class);

  private final Executor pool;
  private final AtomicInteger queued = new AtomicInteger();

  /** @param pool the worker pool, or {@code null} to work on the transport thread */
  Workers(Executor pool) {
    this.pool = pool;
  }

  /** Batches handed to the pool and not yet picked up by a worker. */
  int queuedBatches() {
    return queued.get();
  }

  /**
   * Works on {@code batch} (on a worker, or here without a pool) and answers; its permit is released
   * when the answer has left (see {@link Answer#answered}), or at once when it failed.
   */
  <Resp> void submit(AdmittedBatch<Resp> batch, Answer<Resp> answer) {
    // The call's context (deadline, cancellation, client identity) travels with the task.
    Runnable task = Context.current().wrap(() -> run(batch, answer));
    if (pool == null) {
      task.run();
      return;
    }
    queued.incrementAndGet();
    try {
      pool.execute(() -> {
        queued.decrementAndGet();
        task.run();
      });
    } catch (RejectedExecutionException e) {
      queued.decrementAndGet();
      batch.close();
      answer.failed(Status.UNAVAILABLE.withDescription("server shutting down").asException());
    }
  }

  private static <Resp> void run(AdmittedBatch<Resp> batch, Answer<Resp> answer) {
    Resp response;
    try {
      response = batch.run();
    } catch (StatusException e) {
      batch.close();
      answer.failed(e);
      return;
    } catch (RuntimeException e) {
      batch.close();
      answer.failed(Unexpected.status(e));
      return;
    }
    try {
      answer.answered(response, batch::close); // the items stay in flight until the answer left
    } catch (RuntimeException e) {
      // Sending failed (say the call was closed meanwhile): log it, keep the worker thread.
      batch.close();
      LOG.warn("could not send the answer of a batch: {}", e.toString());
    }
  }
}
