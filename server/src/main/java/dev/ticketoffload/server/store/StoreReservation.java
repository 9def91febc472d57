package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.SingleUseStore;

/**
 * What one admitted batch holds of the store: the {@link SingleUseStore} its opener records consumes
 * in, and whatever room was set aside for them (returned by {@link #close}). Used by one thread at a
 * time.
 */
public interface StoreReservation extends SingleUseStore, AutoCloseable {

  /** Returns unused room; idempotent. */
  @Override
  void close();
}
