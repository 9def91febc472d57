package dev.ticketoffload.server.grpc;

import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * A bidirectional stream of batches with manual flow control: the next request is asked for only
 * after the previous one was answered and the transport can take more output ({@code isReady}), so
 * a client that sends faster than it reads is throttled by HTTP/2 flow control instead of filling
 * server memory. Batches are answered in order, one response per request, on the call's thread.
 *
 * <p>A call-level error (shape, realm, overload) ends the stream with that status; the client
 * opens a new one (after the pushback, for RESOURCE_EXHAUSTED).
 */
final class FlowControlledBatchStream<Req, Resp> implements StreamObserver<Req> {

  /** Answers one batch, or fails the call. */
  interface BatchHandler<Req, Resp> {
    Resp handle(Req request) throws StatusException;
  }

  private final ServerCallStreamObserver<Resp> out;
  private final BatchHandler<Req, Resp> handler;
  // Listener callbacks of one call are serialized by gRPC, so plain fields suffice.
  private boolean waitingForReady;
  private boolean done;

  FlowControlledBatchStream(StreamObserver<Resp> responses, BatchHandler<Req, Resp> handler) {
    this.out = (ServerCallStreamObserver<Resp>) responses;
    this.handler = handler;
    out.disableAutoRequest();
    out.setOnReadyHandler(this::onReady);
    out.setOnCancelHandler(() -> done = true);
    waitingForReady = true;
  }

  private void onReady() {
    if (waitingForReady && !done && out.isReady()) {
      waitingForReady = false;
      out.request(1);
    }
  }

  @Override
  public void onNext(Req request) {
    if (done) {
      return;
    }
    try {
      out.onNext(handler.handle(request));
    } catch (StatusException e) {
      done = true;
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      done = true;
      out.onError(Unexpected.status(e));
      return;
    }
    if (out.isReady()) {
      out.request(1);
    } else {
      waitingForReady = true;
    }
  }

  @Override
  public void onError(Throwable t) {
    done = true; // the client cancelled or the transport failed: nobody to answer
  }

  @Override
  public void onCompleted() {
    if (!done) {
      done = true;
      out.onCompleted();
    }
  }
}
