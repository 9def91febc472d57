package dev.ticketoffload.core.keys;

/**
 * How a realm seals: the state inside the ticket (RFC 5723 Appendix A.1, format v1) or in the store,
 * the ticket holding only an encrypted reference to it (Appendix A.2, format v2). Opening accepts both
 * kinds whatever the realm's current mode, so switching modes never strands live tickets.
 */
public enum TicketMode {
  /** The ticket carries the encrypted state: no store needed to open it, survives a store loss. */
  VALUE("value"),
  /** The ticket carries a 128-bit id; the encrypted state lives in the store until the ticket expires. */
  REFERENCE("reference");

  private final String jsonName;

  TicketMode(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The spelling used in the key ring file and on the command line. */
  public String jsonName() {
    return jsonName;
  }

  /** @return the mode spelled {@code name}, or {@code null} */
  public static TicketMode fromJsonName(String name) {
    for (TicketMode m : values()) {
      if (m.jsonName.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
