package dev.ticketoffload.api.client;

import io.grpc.Status;

/**
 * Told of every batch RPC attempt when it ends, retries included: for a gateway's own metrics,
 * e.g. the latency of work the service admitted ({@code code == OK}) apart from shed attempts.
 * Called on gRPC's transport thread: must be quick, must not block, must not throw.
 */
@FunctionalInterface
public interface RpcAttemptListener {

  /**
   * @param method {@code "Seal"} or {@code "Open"}
   * @param items items in the batch
   * @param nanos from sending the attempt to its end
   * @param code how it ended
   */
  void attemptEnded(String method, int items, long nanos, Status.Code code);

  RpcAttemptListener NONE = (method, items, nanos, code) -> {};
}
