package dev.ticketoffload.server.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.api.v1.IkeSaState;

/**
 * Maps the wire's {@link IkeSaState} to ticket-core's and back. Field checks are ticket-core's (at
 * construction); their messages name the field, which the service passes on in INVALID_ARGUMENT.
 */
final class ProtoStates {

  private ProtoStates() {}

  /**
   * @throws IllegalArgumentException naming the field when a field is out of range
   */
  static dev.ticketoffload.core.state.IkeSaState toCore(IkeSaState s, long issuedAtSeconds, long expiresAtSeconds) {
    long authMethod = Integer.toUnsignedLong(s.getAuthMethod()); // uint32 on the wire
    if (authMethod > 0xFF) {
      throw new IllegalArgumentException("auth_method must be 0..255, got " + authMethod);
    }
    return dev.ticketoffload.core.state.IkeSaState.builder()
        .issuedAtSeconds(issuedAtSeconds)
        .expiresAtSeconds(expiresAtSeconds)
        .spiI(s.getSpiI().toByteArray())
        .spiR(s.getSpiR().toByteArray())
        .authMethod((int) authMethod)
        .flags(s.getEap() ? dev.ticketoffload.core.state.IkeSaState.FLAG_EAP : 0)
        .skD(s.getSkD().toByteArray())
        .idI(s.getIdI().toByteArray())
        .idR(s.getIdR().toByteArray())
        .saR(s.getSaR().toByteArray())
        .ext(s.getExt().toByteArray())
        .build();
  }

  /**
   * Not on the service's path any more: Open answers are built by {@link PlaintextStates#toProto}
   * straight from the decrypted bytes. Kept as the plain reference that {@code PlaintextStatesTest}
   * checks it against (and that jmh-benchmarks' {@code OpenResultStateBenchmark} measures it
   * against); do not call it from the service.
   */
  static IkeSaState toProto(dev.ticketoffload.core.state.IkeSaState s) {
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
