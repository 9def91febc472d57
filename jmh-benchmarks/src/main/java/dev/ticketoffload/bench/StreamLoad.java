package dev.ticketoffload.bench;

import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.TicketServiceGrpc.TicketServiceStub;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code streams} bidi streams (OpenStream or SealStream), spread round-robin over the channels,
 * each with {@code depth} messages in flight: every answer sends the stream's next message. The
 * service answers a stream's messages in order, so an answer's latency is taken from the oldest send.
 */
final class StreamLoad implements Load {

  private final List<TicketServiceStub> stubs;
  private final int streamCount;
  private final int depth;
  private final LoadRequests requests;
  private final List<Stream> streams = new ArrayList<>();
  private final CountDownLatch drained;
  private volatile boolean running;

  StreamLoad(List<TicketServiceStub> stubs, int streamCount, int depth, LoadRequests requests) {
    if (depth < 1) {
      throw new IllegalArgumentException("--calls must be at least --streams (each stream needs a message in flight)");
    }
    this.stubs = stubs;
    this.streamCount = streamCount;
    this.depth = depth;
    this.requests = requests;
    this.drained = new CountDownLatch(streamCount);
  }

  @Override
  public void start() {
    running = true;
    for (int s = 0; s < streamCount; s++) {
      Stream stream = new Stream();
      streams.add(stream);
      stream.open(stubs.get(s % stubs.size()));
    }
  }

  @Override
  public void stop() {
    running = false;
    for (Stream s : streams) {
      s.closeIfIdle();
    }
  }

  @Override
  public boolean awaitDrained(long seconds) throws InterruptedException {
    return drained.await(seconds, TimeUnit.SECONDS);
  }

  /** One stream; its sends are serialized on itself (the first from the caller, the rest from answers). */
  private final class Stream implements StreamObserver<Object> {
    private final ArrayDeque<Long> sentNanos = new ArrayDeque<>();
    private StreamObserver<Object> out;
    private boolean halfClosed;
    private boolean ended;

    @SuppressWarnings("unchecked")
    synchronized void open(TicketServiceStub stub) {
      StreamObserver<?> o = requests.open
          ? stub.openStream((StreamObserver<OpenResponse>) (StreamObserver<?>) this)
          : stub.sealStream((StreamObserver<SealResponse>) (StreamObserver<?>) this);
      out = (StreamObserver<Object>) o;
      for (int i = 0; i < depth; i++) {
        sendOrClose();
      }
    }

    @Override
    public void onNext(Object response) {
      synchronized (this) {
        requests.answered(response, sentNanos.poll());
        sendOrClose();
      }
    }

    @Override
    public void onError(Throwable t) {
      requests.failed(t);
      end();
    }

    @Override
    public void onCompleted() {
      end();
    }

    synchronized void closeIfIdle() {
      if (sentNanos.isEmpty()) {
        halfClose();
      }
    }

    private void sendOrClose() {
      if (halfClosed) {
        return;
      }
      Object request = !running ? null : requests.open ? requests.nextOpen() : requests.nextSeal();
      if (request == null) {
        if (sentNanos.isEmpty()) {
          halfClose();
        }
        return;
      }
      sentNanos.add(System.nanoTime());
      out.onNext(request);
    }

    private void halfClose() {
      if (!halfClosed) {
        halfClosed = true;
        out.onCompleted();
      }
    }

    private synchronized void end() {
      if (!ended) {
        ended = true;
        drained.countDown();
      }
    }
  }
}
