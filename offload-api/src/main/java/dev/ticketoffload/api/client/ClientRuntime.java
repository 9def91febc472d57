package dev.ticketoffload.api.client;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/** What the lanes of one client share: the stub, the limits, the timer and the bookkeeping. */
final class ClientRuntime {

  final TicketServiceGrpc.TicketServiceStub stub;
  final String realm;
  final long rpcTimeoutNanos;
  final PushbackRetryPolicy retryPolicy;
  final ScheduledExecutorService timer;
  /** One permit per item handed to the client and not yet completed. */
  final Semaphore outstandingItems;
  final StatsCounters stats = new StatsCounters();
  final InFlightBatches inFlight = new InFlightBatches();
  final RpcAttemptListener attemptListener;
  private volatile boolean closing;

  ClientRuntime(TicketServiceGrpc.TicketServiceStub stub, String realm, long rpcTimeoutNanos,
      PushbackRetryPolicy retryPolicy, ScheduledExecutorService timer, int maxOutstandingItems,
      RpcAttemptListener attemptListener) {
    this.stub = stub;
    this.realm = realm;
    this.rpcTimeoutNanos = rpcTimeoutNanos;
    this.retryPolicy = retryPolicy;
    this.timer = timer;
    this.outstandingItems = new Semaphore(maxOutstandingItems);
    this.attemptListener = attemptListener;
  }

  boolean closing() {
    return closing;
  }

  void startClosing() {
    closing = true;
  }
}
