package dev.ticketoffload.core.ticket;

/** What the store says about one consume of a batch (step 7 of DESIGN.md's order of checks). */
public enum ConsumeResult {
  /** Not consumed before: recorded now; the ticket is {@link Outcome#OK}. */
  FIRST_USE,
  /**
   * Consumed before by the same {@code attempt_id}: the same caller retrying after a lost answer, so
   * {@link Outcome#OK} again. Never given to a consume without an attempt id.
   */
  SAME_ATTEMPT,
  /** Consumed before by another attempt (or without an attempt id): {@link Outcome#REPLAYED}. */
  REPLAYED
}
