package dev.ticketoffload.core.ticket;

/** What opening one ticket gave, in the order the checks run (DESIGN.md, "Opening"). */
public enum Outcome {
  OK,
  /** Wrong length, or a state that does not parse (cannot happen for tickets we sealed). */
  MALFORMED,
  /** {@code format_version} is not 1. */
  UNSUPPORTED_VERSION,
  /** Unknown realm or master, retired master, or epoch outside the accepted window. */
  UNKNOWN_KEY,
  /** The GCM tag did not verify: tampered, truncated inside the ciphertext, or another key. */
  AUTH_FAILED,
  /** {@code now >= expires_at + skew}. */
  EXPIRED,
  /** Consumed before (single use). */
  REPLAYED
}
