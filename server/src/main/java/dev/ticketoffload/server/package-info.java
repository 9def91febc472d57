/**
 * gRPC services, replay guard, admission control, configuration, TLS, metrics and the ticketd command.
 *
 * <p>Names: the wire (offload-api's {@code dev.ticketoffload.api.v1}) and ticket-core have types of
 * the same name, {@code Outcome} and {@code IkeSaState}. A file imports the one it is about and
 * writes the other in full; in the server's main code only the classes that map one to the other
 * name both ({@code grpc.ProtoStates}, {@code grpc.WireOutcomes}; {@code testing.ReferenceStates} in
 * the tests), and everything else goes through them ({@code grpc.PlaintextStates} builds the wire
 * state from the plaintext and takes only a constant from the core type, by static import).
 */
package dev.ticketoffload.server;
