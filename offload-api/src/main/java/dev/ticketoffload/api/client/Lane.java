package dev.ticketoffload.api.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One RPC kind (Seal, or Open with peeks): coalesces pending calls into batches, sends each batch
 * as a unary RPC with a deadline, retries it when shed, and completes every call of the batch
 * exactly once.
 *
 * @param <C> the pending call
 * @param <R> the per-item result
 * @param <Q> the request message
 * @param <P> the response message
 */
abstract class Lane<C extends PendingCall<R>, R, Q, P> {

  final ClientRuntime runtime;
  private final Coalescer<C> coalescer;

  Lane(ClientRuntime runtime, int maxBatchItems, long lingerNanos) {
    this.runtime = runtime;
    this.coalescer = new Coalescer<>(maxBatchItems, lingerNanos, runtime.timer, this::send);
  }

  /** Builds the request; item {@code i} carries {@code ref = i}. */
  abstract Q request(List<C> calls);

  abstract void invoke(Q request, StreamObserver<P> observer);

  abstract List<R> results(P response);

  abstract long ref(R result);

  /**
   * Whether a batch may be sent again after {@code UNAVAILABLE} (its answer may have been lost after
   * the work was done): only when resending cannot cost the caller anything, as for opens that carry
   * attempt ids. Seals are not: a resent seal makes a second ticket for the same state.
   */
  boolean idempotent() {
    return false;
  }

  /** The RPC's method name, for {@link RpcAttemptListener}. */
  abstract String method();

  /** @return false when the client is closed and the call was not taken */
  boolean submit(C call) {
    return coalescer.add(call);
  }

  /** Sends what is still being coalesced, and takes no more. */
  void closeAndFlush() {
    List<C> last = coalescer.closeAndDrain();
    if (!last.isEmpty()) {
      send(last);
    }
  }

  private void send(List<C> calls) {
    Batch batch = new Batch(calls, request(calls));
    runtime.inFlight.add(batch);
    batch.sendAttempt();
  }

  /** One batch through all its attempts. */
  final class Batch {
    private final List<C> calls;
    private final Q request;
    private final AtomicBoolean finished = new AtomicBoolean();
    private int attemptsMade;

    Batch(List<C> calls, Q request) {
      this.calls = calls;
      this.request = request;
    }

    void sendAttempt() {
      if (finished.get()) {
        return; // failed by close while waiting to be retried
      }
      attemptsMade++;
      runtime.stats.rpcsSent.increment();
      runtime.stats.itemsSent.add(calls.size());
      long sentNanos = System.nanoTime();
      invoke(request, new StreamObserver<>() {
        private P response;

        @Override
        public void onNext(P value) {
          response = value;
        }

        @Override
        public void onError(Throwable t) {
          attemptEnded(sentNanos, Status.fromThrowable(t).getCode());
          onFailure(t);
        }

        @Override
        public void onCompleted() {
          attemptEnded(sentNanos, Status.Code.OK);
          onResponse(response);
        }
      });
    }

    private void attemptEnded(long sentNanos, Status.Code code) {
      runtime.attemptListener.attemptEnded(method(), calls.size(), System.nanoTime() - sentNanos, code);
    }

    private void onResponse(P response) {
      List<R> results = response == null ? List.of() : results(response);
      String mismatch = mismatch(results);
      if (mismatch != null) {
        fail(Status.INTERNAL.withDescription(mismatch).asRuntimeException());
        return;
      }
      if (!finish()) {
        return;
      }
      runtime.stats.itemsAnswered.add(calls.size());
      for (int i = 0; i < calls.size(); i++) {
        calls.get(i).complete(results.get(i));
      }
    }

    private String mismatch(List<R> results) {
      if (results.size() != calls.size()) {
        return "the service answered " + results.size() + " results for " + calls.size() + " items";
      }
      for (int i = 0; i < results.size(); i++) {
        if (ref(results.get(i)) != i) {
          return "result " + i + " carries ref " + ref(results.get(i)) + ", expected " + i;
        }
      }
      return null;
    }

    private void onFailure(Throwable t) {
      Status status = Status.fromThrowable(t);
      boolean shed = status.getCode() == Status.Code.RESOURCE_EXHAUSTED;
      if (shed || (status.getCode() == Status.Code.UNAVAILABLE && idempotent())) {
        if (shed) {
          runtime.stats.rpcsShed.increment();
          runtime.stats.itemsShed.add(calls.size());
        }
        Metadata trailers = Status.trailersFromThrowable(t);
        long delayNanos = runtime.retryPolicy.delayBeforeRetryNanos(status, trailers, attemptsMade, idempotent());
        if (delayNanos >= 0 && !runtime.closing()) {
          try {
            runtime.timer.schedule(this::sendAttempt, delayNanos, TimeUnit.NANOSECONDS);
            runtime.stats.retries.increment();
            return;
          } catch (RejectedExecutionException closedMeanwhile) {
            // fall through: surface the shed status
          }
        }
      }
      fail(t);
    }

    /** Fails every call of the batch, unless it already finished. */
    void fail(Throwable t) {
      if (!finish()) {
        return;
      }
      runtime.stats.itemsFailed.add(calls.size());
      for (C call : calls) {
        call.completeExceptionally(t);
      }
    }

    private boolean finish() {
      if (!finished.compareAndSet(false, true)) {
        return false;
      }
      // Capacity first: a caller woken by a completed future may submit right away.
      runtime.outstandingItems.release(calls.size());
      runtime.inFlight.remove(this);
      return true;
    }
  }
}
