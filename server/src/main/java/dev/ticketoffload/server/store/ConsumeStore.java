package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.SealedReference;
import java.util.List;

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

  /**
   * Keeps the records of tickets sealed by reference, each under its id until its expiry plus the
   * skew. All or nothing for the caller: on failure no ticket of the batch may be handed out.
   *
   * @throws StoreRefusedException the realm holds its quota of records (memory), or the store cannot
   *     answer
   */
  void putRecords(String realm, SealedReference[] sealed, long nowSeconds);

  /**
   * Records revocations, visible to every open that starts after this returns.
   *
   * @throws StoreRefusedException the store is full of revocations (memory) or cannot answer
   */
  void revoke(String realm, List<Revocation> revocations, long nowSeconds);

  /** {@code memory} or {@code redis}, for logs and metrics. */
  String kind();

  /** Whether the store answered its last operation (always true for memory). */
  boolean up();

  /** Periodic upkeep (the memory store drops expired records); {@code nowSeconds} as the batches see it. */
  default void sweep(long nowSeconds) {}

  @Override
  void close();
}
