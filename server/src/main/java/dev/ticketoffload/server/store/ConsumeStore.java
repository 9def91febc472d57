package dev.ticketoffload.server.store;

/**
 * Where an instance records consumed tickets: {@link MemoryStore} (one instance) or {@code RedisStore}
 * (a fleet). Both pass {@code ConsumeStoreContract}. A batch takes a {@link StoreReservation} when it
 * is admitted and records its consumes through it, in one call.
 */
public interface ConsumeStore extends AutoCloseable {

  /**
   * On the transport thread, as a consuming batch is admitted: room for {@code consumes} records of
   * {@code realm}. Cheap and non-blocking (no round trip).
   *
   * @throws StoreRefusedException the realm's quota is reached (mode refuse), or the store is known
   *     to be down: the batch is refused before any of its tickets is consumed
   */
  StoreReservation reserve(String realm, int consumes, long nowSeconds) throws StoreRefusedException;

  /** {@code memory} or {@code redis}, for logs and metrics. */
  String kind();

  /** Whether the store answered its last operation (always true for memory). */
  boolean up();

  /** Periodic upkeep (the memory store drops expired records); {@code nowSeconds} as the batches see it. */
  default void sweep(long nowSeconds) {}

  @Override
  void close();
}
