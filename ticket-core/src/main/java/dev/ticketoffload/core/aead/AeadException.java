package dev.ticketoffload.core.aead;

/** A backend failed for a reason other than a bad tag (a broken library, a native error). */
public class AeadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AeadException(String message) {
    super(message);
  }

  public AeadException(String message, Throwable cause) {
    super(message, cause);
  }
}
