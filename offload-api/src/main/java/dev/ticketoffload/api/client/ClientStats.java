package dev.ticketoffload.api.client;

/**
 * Counters of one client since it was built. A snapshot; each field is read separately, so the
 * fields of one snapshot may be a few items apart while calls are running.
 *
 * @param rpcsSent batch RPCs sent, retries included
 * @param itemsSent items in those RPCs, retries included
 * @param rpcsShed RPCs the service answered with {@code RESOURCE_EXHAUSTED}
 * @param itemsShed items in those RPCs
 * @param retries RPCs sent again after {@code RESOURCE_EXHAUSTED}
 * @param itemsAnswered items that got a result from the service
 * @param itemsFailed items whose future failed (call error, retries exhausted, closed)
 * @param itemsRejected items refused before sending because the client was at its outstanding bound
 */
public record ClientStats(
    long rpcsSent,
    long itemsSent,
    long rpcsShed,
    long itemsShed,
    long retries,
    long itemsAnswered,
    long itemsFailed,
    long itemsRejected) {}
