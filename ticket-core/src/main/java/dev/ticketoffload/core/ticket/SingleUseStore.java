package dev.ticketoffload.core.ticket;

/**
 * Remembers consumed tickets so each opens once, for one instance (in memory) or a whole fleet (a
 * shared store). Only authenticated, unexpired tickets reach it, so garbage cannot fill it. The
 * opener hands it a batch's consumes in one call, so a shared store sends them in one flush.
 * Implementations are thread-safe and live in the server module.
 */
@FunctionalInterface
public interface SingleUseStore {

  /**
   * Records every consume of {@code consumes} (each {@code key_id || iv}, in {@code realm}, until its
   * expiry plus the skew) and answers each with {@link ConsumeBatch#answer}. Atomic per ticket: of
   * two concurrent consumes of one ticket by different attempts exactly one is
   * {@link ConsumeResult#FIRST_USE}.
   *
   * @param nowSeconds the batch's one "now" (the opener's): a store does not read a clock of its own
   * @throws RuntimeException when the store cannot answer for the batch (down, too slow, full); then
   *     no consume of the batch may count as {@code OK}, and the caller fails the whole call
   */
  void consumeAll(String realm, ConsumeBatch consumes, long nowSeconds);

  /**
   * Answers {@code lookups} (revocations; records of tickets by reference) and records
   * {@code consumes}, in one go: a shared store sends both in one flush. Revocations are read as they
   * are now, never from a cache. The default knows no revocations and no records (a store that only
   * consumes).
   *
   * @throws RuntimeException as {@link #consumeAll}; then no item of the batch may be answered
   */
  default void lookUpAndConsume(String realm, StoreLookups lookups, ConsumeBatch consumes, long nowSeconds) {
    if (consumes.size() > 0) {
      consumeAll(realm, consumes, nowSeconds);
    }
  }

  /**
   * Whether {@code realm} may hold a revocation now. {@code false} lets the opener skip, for the
   * whole batch, work that only revocation checks need (the identity key of each ticket by value).
   * A store answers {@code true} unless it knows better; a revocation that returned before this call
   * must make it {@code true}, so an open that starts after a Revoke returned checks it.
   */
  default boolean mayHoldRevocations(String realm) {
    return true;
  }

  /** A store that remembers nothing: every ticket may open any number of times (tools, benchmarks). */
  SingleUseStore NONE = (realm, consumes, nowSeconds) -> {
    for (int i = 0; i < consumes.size(); i++) {
      consumes.answer(i, ConsumeResult.FIRST_USE);
    }
  };
}
