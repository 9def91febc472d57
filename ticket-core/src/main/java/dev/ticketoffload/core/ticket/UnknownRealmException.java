package dev.ticketoffload.core.ticket;

/** A seal named a realm that the key ring does not hold. */
public final class UnknownRealmException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownRealmException(String realm) {
    super("unknown realm \"" + realm + "\": the key ring has no such realm");
  }
}
