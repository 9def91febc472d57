package dev.ticketoffload.server.grpc;

import dev.ticketoffload.core.state.StateView;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.server.admission.Permit;
import dev.ticketoffload.server.metrics.Rpc;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.SingleUseStore;
import dev.ticketoffload.server.store.StoreRefusedException;
import dev.ticketoffload.server.store.StoreReservation;
import io.grpc.StatusException;

/**
 * Opens batches: admitted on arrival ({@link #admit}, on the transport thread), opened whole on a
 * worker; each item gets its own outcome, one bad ticket never fails the call. Room in the store is
 * reserved for the batch's consuming items when it is admitted, so a full realm (mode refuse) or a
 * store known to be down refuses the batch at once, before any ticket of it is consumed. A store that
 * fails while the batch is worked on fails the whole call {@code UNAVAILABLE}: no consuming item is
 * ever answered {@code OK} without the store's word.
 */
final class OpenBatchHandler {

  private static final byte[] NO_TICKET = new byte[0];
  private static final int OUTCOMES = Outcome.values().length;

  private final CallGate gate;
  private final ServiceMetrics metrics;
  // One reusable batch per worker thread: the opener's scratch space is not reallocated per call.
  private final ThreadLocal<OpenBatch> batches;
  private final ThreadLocal<StateView> stateViews = ThreadLocal.withInitial(StateView::new);
  // Each result's encoded size, between the two passes of WireOpenResponse.encode.
  private final ThreadLocal<int[]> resultSizes;

  OpenBatchHandler(CallGate gate, ServiceMetrics metrics) {
    this.gate = gate;
    this.metrics = metrics;
    int capacity = gate.limits().maxItemsPerRequest();
    this.batches = ThreadLocal.withInitial(() -> new OpenBatch(capacity));
    this.resultSizes = ThreadLocal.withInitial(() -> new int[capacity]);
  }

  /**
   * On the transport thread, as the request arrives: shape, realm, deadline, admission and room in
   * the replay guard, all refused at once; nothing is copied or decrypted yet.
   */
  AdmittedBatch<WireOpenResponse> admit(Rpc rpc, WireOpenRequest request, TicketCrypto crypto)
      throws StatusException {
    long arrived = System.nanoTime();
    gate.checkParsed(rpc, request.problem());
    int items = request.itemCount();
    gate.checkItemCount(rpc, items);
    String realm = gate.realm(rpc, request.realm());
    gate.checkStillWanted(rpc);
    int consuming = 0;
    for (int i = 0; i < items; i++) {
      consuming += request.peek(i) ? 0 : 1;
      if (request.attemptIdLength(i) > ConsumeBatch.MAX_ATTEMPT_ID_BYTES) {
        throw gate.refuse(rpc, "attempt_id", Statuses.invalidArgument("items[" + i + "].attempt_id: "
            + request.attemptIdLength(i) + " bytes exceed the limit of " + ConsumeBatch.MAX_ATTEMPT_ID_BYTES));
      }
    }
    // The batch's one "now": the store's reservation, the key window, expiry and the consumes see it.
    long nowSeconds = crypto.openClock().nowSeconds();
    Permit permit = gate.admit(rpc, items);
    StoreReservation reservation;
    try {
      reservation = reserve(rpc, crypto, realm, consuming, nowSeconds);
    } catch (StatusException | RuntimeException e) {
      permit.close();
      throw e;
    }
    int consumingItems = consuming;
    return new AdmittedBatch<>() {
      @Override
      public WireOpenResponse run() throws StatusException {
        gate.checkStillWanted(rpc); // it may have waited for a worker
        try {
          return open(rpc, request, realm, crypto, consumingItems == 0 ? new PeekStore(reservation) : reservation,
              nowSeconds, arrived);
        } catch (StoreRefusedException e) {
          throw storeRefused(rpc, e);
        }
      }

      @Override
      public void close() {
        reservation.close();
        permit.close();
      }
    };
  }

  /**
   * Adds the request's tickets and attempt ids to {@code batch} where they arrived, in the request's
   * own bytes (no copy, no array per ticket). An oversized ticket is MALFORMED; it is not even read.
   */
  private void addTickets(WireOpenRequest request, OpenBatch batch) {
    int maxTicketBytes = gate.limits().maxTicketBytes();
    byte[] bytes = request.bytes();
    for (int i = 0; i < request.itemCount(); i++) {
      int size = request.ticketLength(i);
      if (size > maxTicketBytes) {
        batch.add(NO_TICKET, 0, 0, !request.peek(i), bytes, request.attemptIdOffset(i), request.attemptIdLength(i));
      } else {
        batch.add(bytes, request.ticketOffset(i), size, !request.peek(i), bytes, request.attemptIdOffset(i),
            request.attemptIdLength(i));
      }
    }
  }

  /** On a worker: the crypto of the whole batch, one {@code openAll}, and the answer, encoded. */
  private WireOpenResponse open(Rpc rpc, WireOpenRequest request, String realm, TicketCrypto crypto,
      SingleUseStore reservation, long nowSeconds, long arrived) {
    int items = request.itemCount();
    OpenBatch batch = batches.get();
    try {
      addTickets(request, batch);
      // the batch's consumes draw on the room reserved for it on arrival
      crypto.opener().openAll(realm, batch, nowSeconds, reservation);
      int[] itemsByOutcome = new int[OUTCOMES];
      for (int i = 0; i < items; i++) {
        itemsByOutcome[batch.outcome(i).ordinal()]++;
      }
      WireOpenResponse response = WireOpenResponse.encode(request, batch, stateViews.get(), resultSizes.get());
      metrics.opened(rpc, itemsByOutcome);
      metrics.batchTook(rpc, System.nanoTime() - arrived);
      return response;
    } finally {
      batch.clear();
    }
  }

  private StoreReservation reserve(Rpc rpc, TicketCrypto crypto, String realm, int consuming, long nowSeconds)
      throws StatusException {
    try {
      return crypto.store().reserve(realm, consuming, nowSeconds);
    } catch (StoreRefusedException e) {
      throw storeRefused(rpc, e);
    }
  }

  /** A full realm is {@code RESOURCE_EXHAUSTED}, a store that cannot answer {@code UNAVAILABLE}; both with pushback. */
  private StatusException storeRefused(Rpc rpc, StoreRefusedException e) {
    if (e.reason() == StoreRefusedException.Reason.QUOTA) {
      metrics.shed(rpc, "replay_guard_full");
      return gate.refuse(rpc, "replay_guard_full", Statuses.resourceExhausted(e.getMessage(),
          gate.limits().retryPushback()));
    }
    metrics.shed(rpc, "store_unavailable");
    return gate.refuse(rpc, "store_unavailable", Statuses.unavailable(e.getMessage(), gate.limits().retryPushback()));
  }
}
