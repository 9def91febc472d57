package dev.ticketoffload.server.admission;

/**
 * The items one client connection holds: admitted and not yet sent back, answers its client has not
 * read included. Guarded by the {@link AdmissionControl} that admits them, so the total and the
 * connection's share are checked and changed in one step.
 */
public final class ConnectionLoad {

  long inFlightItems; // guarded by the AdmissionControl

  /** For metrics and tests; a snapshot. */
  public long inFlightItems() {
    return inFlightItems;
  }
}
