package dev.ticketoffload.server.grpc;

import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * A bidirectional stream of batches with manual flow control: the next request is asked for only
 * after the previous one was answered and the transport can take more output ({@code isReady}), so
 * a client that sends faster than it reads is throttled by HTTP/2 flow control instead of filling
 * server memory. One batch per stream is in flight at a time, so batches are answered in order, one
 * response per request.
 *
 * <p>Each batch is admitted as it arrives, on the transport thread, and worked on by the
 * {@link Workers}; the answer, the next {@code request(1)} and a deferred {@code onCompleted} (the
 * client may half-close while its last batch is still being worked on) come from the worker.
 *
 * <p>A batch's items stay in flight until its answer has left ({@code isReady} after sending, else
 * the next {@code onReady}, the end of the call or its cancellation): a client that stops reading
 * holds its admission share instead of queueing answers that nothing counts.
 *
 * <p>A call-level error (shape, realm, overload) ends the stream with that status; the client
 * opens a new one (after the pushback, for RESOURCE_EXHAUSTED).
 */
final class FlowControlledBatchStream<Req, Resp> implements StreamObserver<Req>, Workers.Answer<Resp> {

  private final ServerCallStreamObserver<Resp> out;
  private final AdmittedBatch.Admission<Req, Resp> admission;
  private final Workers workers;
  private final AnswerRelease release = new AnswerRelease();
  // Touched by the transport thread (listener callbacks, serialized by gRPC) and by the worker of
  // the batch in flight: guarded by this. Calls on `out` are made outside the lock; the flags make
  // sure only one side calls it at a time (the worker while busy, the transport otherwise).
  private boolean busy;
  private boolean waitingForReady;
  private boolean halfClosed;
  private boolean done;

  FlowControlledBatchStream(StreamObserver<Resp> responses, AdmittedBatch.Admission<Req, Resp> admission,
      Workers workers) {
    this.out = (ServerCallStreamObserver<Resp>) responses;
    this.admission = admission;
    this.workers = workers;
    out.disableAutoRequest();
    out.setOnReadyHandler(this::onReady);
    out.setOnCancelHandler(() -> {
      synchronized (this) {
        done = true;
      }
      release.callEnded();
    });
    out.setOnCloseHandler(release::callEnded);
    waitingForReady = true;
  }

  private void onReady() {
    synchronized (this) {
      if (!waitingForReady || done || !out.isReady()) {
        return;
      }
      waitingForReady = false;
    }
    release.answerLeft(); // the previous answer (if any) has left: its items are no longer in flight
    out.request(1);
  }

  @Override
  public void onNext(Req request) {
    synchronized (this) {
      if (done) {
        return;
      }
      busy = true;
    }
    AdmittedBatch<Resp> batch;
    try {
      batch = admission.admit(request);
    } catch (StatusException e) {
      failed(e);
      return;
    } catch (RuntimeException e) {
      failed(Unexpected.status(e));
      return;
    }
    workers.submit(batch, this);
  }

  /** The batch in flight was answered (on its worker). */
  @Override
  public void answered(Resp response, Runnable releaseBatch) {
    synchronized (this) {
      if (done) {
        busy = false;
        releaseBatch.run();
        return;
      }
    }
    release.hold(releaseBatch);
    out.onNext(response);
    boolean complete = false;
    boolean ask = false;
    synchronized (this) {
      busy = false;
      if (done) {
        return;
      }
      if (halfClosed) {
        done = true;
        complete = true;
      } else if (out.isReady()) {
        ask = true;
      } else {
        waitingForReady = true;
      }
    }
    if (complete) {
      out.onCompleted(); // the held release runs when the call closes, after the answer went out
    } else if (ask) {
      release.answerLeft();
      out.request(1);
    }
  }

  /** The batch in flight (or its admission) failed the call. */
  @Override
  public void failed(StatusException e) {
    synchronized (this) {
      busy = false;
      if (done) {
        return;
      }
      done = true;
    }
    out.onError(e);
  }

  @Override
  public void onError(Throwable t) {
    synchronized (this) {
      done = true; // the client cancelled or the transport failed: nobody to answer
    }
  }

  @Override
  public void onCompleted() {
    synchronized (this) {
      if (done) {
        return;
      }
      halfClosed = true;
      if (busy) {
        return; // the worker completes the call after its answer
      }
      done = true;
    }
    out.onCompleted();
  }
}
