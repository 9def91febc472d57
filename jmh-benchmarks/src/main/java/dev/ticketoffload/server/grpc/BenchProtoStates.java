package dev.ticketoffload.server.grpc;

import dev.ticketoffload.api.v1.IkeSaState;

/**
 * The server's own {@link ProtoStates#toProto} for the benchmarks in other packages, so that they
 * build the wire state exactly as the service does rather than with a copy of the mapping. In the
 * server's package (as {@link OpenResultStateBenchmark}) because ProtoStates is package-private.
 */
public final class BenchProtoStates {

  private BenchProtoStates() {}

  public static IkeSaState toProto(dev.ticketoffload.core.state.IkeSaState state) {
    return ProtoStates.toProto(state);
  }
}
