package dev.ticketoffload.core.aead;

/**
 * A key, or the key schedule it came from, was closed before this call could use it: the instance is
 * shutting down. A clean refusal: nothing was sealed or opened, and no memory that was freed was
 * touched. Callers answer it as "unavailable", never as an outcome of the ticket.
 */
public final class KeyClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public KeyClosedException(String what) {
    super(what + " is closed");
  }
}
