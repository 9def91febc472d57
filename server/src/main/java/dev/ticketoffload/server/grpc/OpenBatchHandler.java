package dev.ticketoffload.server.grpc;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
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
  // The tickets of the batch a worker is on, back to back; grows to the largest batch seen.
  private final ThreadLocal<byte[]> ticketBuffers = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

  OpenBatchHandler(CallGate gate, ServiceMetrics metrics) {
    this.gate = gate;
    this.metrics = metrics;
    int capacity = gate.limits().maxItemsPerRequest();
    this.batches = ThreadLocal.withInitial(() -> new OpenBatch(capacity));
  }

  /**
   * On the transport thread, as the request arrives: shape, realm, deadline, admission and room in
   * the replay guard, all refused at once; nothing is copied or decrypted yet.
   */
  AdmittedBatch<OpenResponse> admit(Rpc rpc, OpenRequest request, TicketCrypto crypto) throws StatusException {
    long arrived = System.nanoTime();
    gate.checkParsed(rpc, request);
    int items = request.getItemsCount();
    gate.checkItemCount(rpc, items);
    String realm = gate.realm(rpc, request.getRealm());
    gate.checkStillWanted(rpc);
    int consuming = 0;
    for (int i = 0; i < items; i++) {
      OpenItem item = request.getItems(i);
      consuming += item.getPeek() ? 0 : 1;
      if (item.getAttemptId().size() > ConsumeBatch.MAX_ATTEMPT_ID_BYTES) {
        throw gate.refuse(rpc, "attempt_id", Statuses.invalidArgument("items[" + i + "].attempt_id: "
            + item.getAttemptId().size() + " bytes exceed the limit of " + ConsumeBatch.MAX_ATTEMPT_ID_BYTES));
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
      public OpenResponse run() throws StatusException {
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
   * Copies the batch's tickets and attempt ids back to back into this thread's reused buffer (no
   * array per ticket) and adds them to {@code batch}. An oversized ticket is MALFORMED; it is not even
   * copied.
   */
  private void copyTickets(OpenRequest request, OpenBatch batch) {
    int maxTicketBytes = gate.limits().maxTicketBytes();
    int items = request.getItemsCount();
    int total = 0;
    for (int i = 0; i < items; i++) {
      OpenItem item = request.getItems(i);
      int size = item.getTicket().size();
      total += (size > maxTicketBytes ? 0 : size) + item.getAttemptId().size();
    }
    byte[] buffer = ticketBuffers.get();
    if (buffer.length < total) {
      buffer = new byte[Math.max(total, 2 * buffer.length)];
      ticketBuffers.set(buffer);
    }
    int at = 0;
    for (int i = 0; i < items; i++) {
      OpenItem item = request.getItems(i);
      ByteString ticket = item.getTicket();
      ByteString attempt = item.getAttemptId();
      int attemptAt = at;
      attempt.copyTo(buffer, attemptAt);
      at += attempt.size();
      if (ticket.size() > maxTicketBytes) {
        batch.add(NO_TICKET, 0, 0, !item.getPeek(), buffer, attemptAt, attempt.size());
      } else {
        ticket.copyTo(buffer, at);
        batch.add(buffer, at, ticket.size(), !item.getPeek(), buffer, attemptAt, attempt.size());
        at += ticket.size();
      }
    }
  }

  /** On a worker: the crypto of the whole batch, one {@code openAll}, and the answer. */
  private OpenResponse open(Rpc rpc, OpenRequest request, String realm, TicketCrypto crypto,
      SingleUseStore reservation, long nowSeconds, long arrived) {
    int items = request.getItemsCount();
    OpenBatch batch = batches.get();
    try {
      copyTickets(request, batch);
      // the batch's consumes draw on the room reserved for it on arrival
      crypto.opener().openAll(realm, batch, nowSeconds, reservation);
      OpenResponse.Builder response = OpenResponse.newBuilder();
      StateView view = stateViews.get();
      int[] itemsByOutcome = new int[OUTCOMES];
      for (int i = 0; i < items; i++) {
        Outcome outcome = batch.outcome(i);
        itemsByOutcome[outcome.ordinal()]++;
        response.addResults(result(request.getItems(i).getRef(), batch, i, outcome, view));
      }
      metrics.opened(rpc, itemsByOutcome);
      metrics.batchTook(rpc, System.nanoTime() - arrived);
      return response.build();
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

  private static OpenResult.Builder result(long ref, OpenBatch batch, int i, Outcome outcome, StateView scratch) {
    OpenResult.Builder result = OpenResult.newBuilder()
        .setRef(ref)
        .setOutcome(WireOutcomes.of(outcome))
        .setExpiresAt(batch.expiresAtSeconds(i));
    if (outcome == Outcome.OK) {
      StateView view = batch.stateView(i, scratch);
      result.setState(PlaintextStates.toProto(view)).setIssuedAt(view.issuedAtSeconds());
    }
    return result;
  }
}
