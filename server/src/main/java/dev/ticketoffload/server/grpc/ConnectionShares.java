package dev.ticketoffload.server.grpc;

import dev.ticketoffload.server.admission.ConnectionLoad;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;

/**
 * Gives each client connection its {@link ConnectionLoad} (as a transport attribute, when the
 * connection is ready) and makes it the current one for the calls on that connection, so admission
 * can bound what one connection holds.
 */
final class ConnectionShares extends ServerTransportFilter implements ServerInterceptor {

  private static final Attributes.Key<ConnectionLoad> LOAD = Attributes.Key.create("ticketoffload.connection-load");
  private static final Context.Key<ConnectionLoad> CURRENT = Context.key("ticketoffload.connection-load");

  /** The load of the connection the current call arrived on, or null (in-process transports). */
  static ConnectionLoad current() {
    return CURRENT.get();
  }

  @Override
  public Attributes transportReady(Attributes attributes) {
    return attributes.toBuilder().set(LOAD, new ConnectionLoad()).build();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    ConnectionLoad load = call.getAttributes().get(LOAD);
    if (load == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(CURRENT, load), call, headers, next);
  }
}
