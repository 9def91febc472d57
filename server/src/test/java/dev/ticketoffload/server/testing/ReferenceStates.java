package dev.ticketoffload.server.testing;

import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.api.v1.IkeSaState;

/**
 * The plain mapping of ticket-core's IkeSaState to the wire's, field by field: the reference that
 * {@code PlaintextStatesTest} checks the service's own path (PlaintextStates, straight from the
 * decrypted bytes) against, and that the benchmarks use to build wire states. Not on the
 * service's path; test sources only (the server's test-jar carries it to jmh-benchmarks).
 *
 * <p>Names: the wire type is imported, the core type of the same name is written out in full (the
 * convention of every class where the two meet).
 */
public final class ReferenceStates {

  private ReferenceStates() {}

  public static IkeSaState toProto(dev.ticketoffload.core.state.IkeSaState s) {
    // Every getter returns a fresh copy, so wrapping it without another copy is safe.
    return IkeSaState.newBuilder()
        .setSpiI(UnsafeByteOperations.unsafeWrap(s.spiI()))
        .setSpiR(UnsafeByteOperations.unsafeWrap(s.spiR()))
        .setAuthMethod(s.authMethod())
        .setEap(s.eapUsed())
        .setSkD(UnsafeByteOperations.unsafeWrap(s.skDSecret()))
        .setIdI(UnsafeByteOperations.unsafeWrap(s.idI()))
        .setIdR(UnsafeByteOperations.unsafeWrap(s.idR()))
        .setSaR(UnsafeByteOperations.unsafeWrap(s.saR()))
        .setExt(UnsafeByteOperations.unsafeWrap(s.ext()))
        .build();
  }
}
