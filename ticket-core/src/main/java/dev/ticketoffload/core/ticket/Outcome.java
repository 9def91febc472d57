package dev.ticketoffload.core.ticket;

/** What opening one ticket gave, in the order the checks run (DESIGN.md, "Opening"). */
public enum Outcome {
  OK,
  /** Wrong length, or a state that does not parse (cannot happen for tickets we sealed). */
  MALFORMED,
  /** {@code format_version} is neither 1 (by value) nor 2 (by reference). */
  UNSUPPORTED_VERSION,
  /** Unknown realm or master, retired master, or epoch outside the accepted window. */
  UNKNOWN_KEY,
  /**
   * The GCM tag did not verify: tampered, truncated inside the ciphertext, or another key; for a
   * ticket by reference also its store record (tampered, or moved to another id or realm).
   */
  AUTH_FAILED,
  /** {@code now >= expires_at + skew}. */
  EXPIRED,
  /** Revoked: the ticket itself, or its identity (IDi) for tickets issued up to the revocation. */
  REVOKED,
  /**
   * A ticket by reference, authentic and unexpired, whose state the store does not hold (flushed,
   * evicted, lost, or never stored). Never retried into {@link #OK}: the state is gone.
   */
  STATE_NOT_FOUND,
  /** Consumed before (single use). */
  REPLAYED
}
