package dev.ticketoffload.bench;

import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.TicketServiceGrpc.TicketServiceStub;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code calls} loops of unary calls, spread round-robin over the channels; each answer sends the loop's next call. */
final class UnaryLoad implements Load {

  private final List<TicketServiceStub> stubs;
  private final int calls;
  private final LoadRequests requests;
  private final CountDownLatch drained;
  private volatile boolean running;

  UnaryLoad(List<TicketServiceStub> stubs, int calls, LoadRequests requests) {
    this.stubs = stubs;
    this.calls = calls;
    this.requests = requests;
    this.drained = new CountDownLatch(calls);
  }

  @Override
  public void start() {
    running = true;
    for (int loop = 0; loop < calls; loop++) {
      send(stubs.get(loop % stubs.size()));
    }
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean awaitDrained(long seconds) throws InterruptedException {
    return drained.await(seconds, TimeUnit.SECONDS);
  }

  /** Runs on the transport thread that delivered the loop's last answer (the channels' direct executor). */
  private void send(TicketServiceStub stub) {
    if (!running) {
      drained.countDown();
      return;
    }
    long sent = System.nanoTime();
    if (requests.open) {
      OpenRequest request = requests.nextOpen();
      if (request == null) {
        drained.countDown();
        return;
      }
      stub.open(request, new Answer<>(stub, sent));
    } else {
      stub.seal(requests.nextSeal(), new Answer<>(stub, sent));
    }
  }

  private final class Answer<T> implements StreamObserver<T> {
    private final TicketServiceStub stub;
    private final long sentNanos;

    Answer(TicketServiceStub stub, long sentNanos) {
      this.stub = stub;
      this.sentNanos = sentNanos;
    }

    @Override
    public void onNext(T response) {
      requests.answered(response, sentNanos);
    }

    @Override
    public void onError(Throwable t) {
      requests.failed(t);
      drained.countDown(); // a failing server is not hammered further; the run reports the failure
    }

    @Override
    public void onCompleted() {
      send(stub);
    }
  }
}
