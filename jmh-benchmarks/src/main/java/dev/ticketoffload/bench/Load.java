package dev.ticketoffload.bench;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.ManagedChannel;
import java.util.List;

/**
 * A closed loop of batches over a set of channels: a fixed number of requests in flight, each answer
 * sending the next, until stopped or the fresh tickets run out.
 */
interface Load {

  /** {@code calls} unary calls in flight when {@code streams} is 0; else {@code streams} bidi streams sharing them. */
  static Load over(List<ManagedChannel> channels, int calls, int streams, LoadRequests requests) {
    List<TicketServiceGrpc.TicketServiceStub> stubs = channels.stream().map(TicketServiceGrpc::newStub).toList();
    return streams == 0 ? new UnaryLoad(stubs, calls, requests) : new StreamLoad(stubs, streams, calls / streams, requests);
  }

  void start();

  /** No request is sent after this; those in flight are still answered. */
  void stop();

  /** Waits until every request in flight was answered (after {@link #stop} or when tickets ran out). */
  boolean awaitDrained(long seconds) throws InterruptedException;
}
