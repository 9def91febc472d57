package dev.ticketoffload.core.keys;

/** A key ring file that cannot be used; the message names the file, the place and the problem. */
public final class KeyRingException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyRingException(String message) {
    super(message);
  }

  public KeyRingException(String message, Throwable cause) {
    super(message, cause);
  }
}
