package dev.ticketoffload.api.client;

/**
 * The client already has its maximum of outstanding items and none completed within the
 * configured wait: the caller is producing faster than the service answers. Nothing was sent.
 */
public final class ClientOverloadedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ClientOverloadedException(String message) {
    super(message, null, false, false);
  }
}
