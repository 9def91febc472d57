package dev.ticketoffload.api.client;

/** The client was closed before this item got an answer, or the item arrived after close. */
public final class ClientClosedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  ClientClosedException(String message) {
    super(message);
  }
}
