package dev.ticketoffload.server.grpc;

import static dev.ticketoffload.core.state.IkeSaState.FLAG_EAP;

import dev.ticketoffload.api.v1.IkeSaState;

/**
 * Maps the wire's {@link IkeSaState} of a Seal item to ticket-core's (the way back, for Open results,
 * is {@link PlaintextStates}, straight from the decrypted bytes). Field checks are ticket-core's (at
 * construction); their messages name the field, which the service passes on in INVALID_ARGUMENT.
 * One of the classes that map a core type to the wire type of the same name, so it names the core
 * type in full (see the server's package-info).
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
        .flags(s.getEap() ? FLAG_EAP : 0)
        .skD(s.getSkD().toByteArray())
        .idI(s.getIdI().toByteArray())
        .idR(s.getIdR().toByteArray())
        .saR(s.getSaR().toByteArray())
        .ext(s.getExt().toByteArray())
        .build();
  }
}
