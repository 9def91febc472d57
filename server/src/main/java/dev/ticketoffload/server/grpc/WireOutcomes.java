package dev.ticketoffload.server.grpc;

import dev.ticketoffload.api.v1.Outcome;

/**
 * ticket-core's open outcomes as the wire's: the two enums have the same constants by contract
 * (the proto's {@code OUTCOME_UNSPECIFIED} aside), resolved once rather than by name per item.
 * One of the classes that map a core type to the wire type of the same name, so it names the
 * core type in full (see the server's package-info).
 */
final class WireOutcomes {

  private static final Outcome[] BY_CORE_ORDINAL = byCoreOrdinal();

  private WireOutcomes() {}

  static Outcome of(dev.ticketoffload.core.ticket.Outcome outcome) {
    return BY_CORE_ORDINAL[outcome.ordinal()];
  }

  private static Outcome[] byCoreOrdinal() {
    dev.ticketoffload.core.ticket.Outcome[] core = dev.ticketoffload.core.ticket.Outcome.values();
    Outcome[] wire = new Outcome[core.length];
    for (dev.ticketoffload.core.ticket.Outcome o : core) {
      wire[o.ordinal()] = Outcome.valueOf(o.name());
    }
    return wire;
  }
}
