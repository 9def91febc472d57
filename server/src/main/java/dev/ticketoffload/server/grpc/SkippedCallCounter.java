package dev.ticketoffload.server.grpc;

import dev.ticketoffload.server.metrics.Rpc;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Counts calls that never reached the service because their deadline passed or the client
 * cancelled before the request had arrived in full (gRPC then never delivers it). Calls that reach
 * a batch handler are checked and counted there ({@code CallGate.checkStillWanted}), on arrival and
 * again when a worker starts on the batch.
 */
final class SkippedCallCounter implements ServerInterceptor {

  private final ServiceMetrics metrics;

  SkippedCallCounter(ServiceMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Rpc rpc = rpcOf(call.getMethodDescriptor().getBareMethodName());
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private boolean delivered;

      @Override
      public void onMessage(Q message) {
        delivered = true;
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        if (!delivered && rpc != null) {
          Deadline deadline = Context.current().getDeadline();
          metrics.skipped(rpc, deadline != null && deadline.isExpired() ? "deadline" : "cancelled");
        }
        super.onCancel();
      }
    };
  }

  private static Rpc rpcOf(String method) {
    for (Rpc rpc : Rpc.values()) {
      if (rpc.methodName().equals(method)) {
        return rpc;
      }
    }
    return null;
  }
}
