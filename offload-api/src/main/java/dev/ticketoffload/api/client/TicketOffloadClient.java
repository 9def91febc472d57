package dev.ticketoffload.api.client;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.SealResult;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.grpc.ManagedChannel;

/**
 * The gateway's view of the service: one ticket per call, a future per ticket. Concurrent calls
 * are coalesced into batch RPCs of at most {@code maxBatchItems} items, each sent once it is full
 * or after {@code linger}; see {@link TicketOffloadClientBuilder} for every option.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>At most {@code maxOutstandingItems} items are accepted and unanswered at a time. A call
 *       beyond that blocks the caller for up to {@code maxWaitForCapacity}, then returns a future
 *       failed with {@link ClientOverloadedException}. Nothing is buffered without bound.
 *   <li>Every RPC has a deadline ({@code rpcTimeout}).
 *   <li>A batch the service sheds ({@code RESOURCE_EXHAUSTED} with the service's
 *       {@code grpc-retry-pushback-ms}, sent only when it refused before any work) is sent again
 *       after that pushback, with jitter, at most {@code maxAttempts} times in all. A
 *       {@code RESOURCE_EXHAUSTED} without the pushback (raised by this client's gRPC for an answer
 *       above {@code maxInboundMessageBytes}, or by a proxy) may come after the tickets were
 *       consumed and is never retried. Any other failure completes the batch's futures exceptionally with the
 *       {@link io.grpc.StatusRuntimeException} as gRPC gave it.
 *   <li>Outcomes of opening ({@code AUTH_FAILED}, {@code REPLAYED}, ...) are values in the
 *       {@link OpenResult}, not exceptions.
 *   <li>After {@link #close()} returns, every future this client returned is complete.
 * </ul>
 *
 * <p>Futures are completed on gRPC's transport thread unless a callback executor was configured:
 * dependent stages that block or do heavy work should use the {@code *Async} variants. Thread-safe.
 */
public final class TicketOffloadClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final ScheduledExecutorService timer;
  private final ClientRuntime runtime;
  private final SealLane sealLane;
  private final OpenLane openLane;
  private final long maxWaitForCapacityNanos;
  private final Duration closeGracePeriod;

  TicketOffloadClient(ManagedChannel channel, ScheduledExecutorService timer, ClientRuntime runtime,
      int maxBatchItems, Duration linger, Duration maxWaitForCapacity, Duration closeGracePeriod) {
    this.channel = channel;
    this.timer = timer;
    this.runtime = runtime;
    this.sealLane = new SealLane(runtime, maxBatchItems, linger.toNanos());
    this.openLane = new OpenLane(runtime, maxBatchItems, linger.toNanos());
    this.maxWaitForCapacityNanos = maxWaitForCapacity.toNanos();
    this.closeGracePeriod = closeGracePeriod;
  }

  public static TicketOffloadClientBuilder builder() {
    return new TicketOffloadClientBuilder();
  }

  /**
   * Seals one state.
   *
   * @param lifetimeSeconds requested lifetime; 0 asks for the realm's maximum, larger values are cut to it
   */
  public CompletableFuture<SealResult> seal(IkeSaState state, int lifetimeSeconds) {
    Objects.requireNonNull(state, "state");
    if (lifetimeSeconds < 0) {
      throw new IllegalArgumentException("lifetimeSeconds must not be negative, got " + lifetimeSeconds);
    }
    return submit(sealLane, new PendingCall.Seal(state, lifetimeSeconds));
  }

  /** Opens one ticket and consumes it: opening it again gives {@code REPLAYED}. */
  public CompletableFuture<OpenResult> open(ByteString ticket) {
    return submit(openLane, new PendingCall.Open(Objects.requireNonNull(ticket, "ticket"), false));
  }

  /** Checks one ticket without consuming it. */
  public CompletableFuture<OpenResult> peek(ByteString ticket) {
    return submit(openLane, new PendingCall.Open(Objects.requireNonNull(ticket, "ticket"), true));
  }

  public ClientStats stats() {
    return runtime.stats.snapshot();
  }

  /** Closes with the configured grace period; see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(closeGracePeriod);
  }

  /**
   * Stops taking calls, sends what is being coalesced, waits up to {@code gracePeriod} for the
   * batches in flight, then fails the rest with {@link ClientClosedException} and shuts the
   * channel down. Idempotent.
   *
   * @return true when every batch was answered within the grace period
   */
  public boolean close(Duration gracePeriod) {
    runtime.startClosing();
    sealLane.closeAndFlush();
    openLane.closeAndFlush();
    boolean drained = false;
    try {
      drained = runtime.inFlight.awaitEmpty(gracePeriod.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Lane<?, ?, ?, ?>.Batch batch : runtime.inFlight.snapshot()) {
      batch.fail(new ClientClosedException("client closed before the service answered"));
    }
    channel.shutdownNow();
    timer.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return drained;
  }

  private <C extends PendingCall<R>, R> CompletableFuture<R> submit(Lane<C, R, ?, ?> lane, C call) {
    if (runtime.closing()) {
      call.completeExceptionally(new ClientClosedException("client is closed"));
      return call;
    }
    if (!acquireCapacity()) {
      runtime.stats.itemsRejected.increment();
      call.completeExceptionally(new ClientOverloadedException("client has "
          + runtime.outstandingItems.availablePermits() + " of its outstanding items free after waiting "
          + TimeUnit.NANOSECONDS.toMillis(maxWaitForCapacityNanos) + " ms (max-outstanding-items reached)"));
      return call;
    }
    if (!lane.submit(call)) {
      runtime.outstandingItems.release();
      call.completeExceptionally(new ClientClosedException("client is closed"));
    }
    return call;
  }

  private boolean acquireCapacity() {
    if (runtime.outstandingItems.tryAcquire()) {
      return true;
    }
    if (maxWaitForCapacityNanos == 0) {
      return false;
    }
    try {
      return runtime.outstandingItems.tryAcquire(maxWaitForCapacityNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
