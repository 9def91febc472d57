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
import dev.ticketoffload.server.replay.Reservation;
import io.grpc.StatusException;

/**
 * Opens batches: admitted on arrival ({@link #admit}, on the transport thread), opened whole on a
 * worker; each item gets its own outcome, one bad ticket never fails the call. Room in the replay
 * guard is reserved for the batch's consuming items when it is admitted, so a full guard (mode
 * refuse) refuses the batch at once, before any ticket of it is consumed.
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
    int items = request.getItemsCount();
    gate.checkItemCount(rpc, items);
    String realm = gate.realm(rpc, request.getRealm());
    gate.checkStillWanted(rpc);
    int consuming = 0;
    for (int i = 0; i < items; i++) {
      consuming += request.getItems(i).getPeek() ? 0 : 1;
    }
    Permit permit = gate.admit(rpc, items);
    Reservation reservation;
    try {
      reservation = reserve(rpc, crypto, consuming);
    } catch (StatusException | RuntimeException e) {
      permit.close();
      throw e;
    }
    return new AdmittedBatch<>() {
      @Override
      public OpenResponse run() throws StatusException {
        gate.checkStillWanted(rpc); // it may have waited for a worker
        return open(rpc, request, realm, crypto, reservation, arrived);
      }

      @Override
      public void close() {
        reservation.close();
        permit.close();
      }
    };
  }

  /**
   * Copies the batch's tickets back to back into this thread's reused buffer (no array per ticket)
   * and adds them to {@code batch}. An oversized ticket is MALFORMED; it is not even copied.
   */
  private void copyTickets(OpenRequest request, OpenBatch batch) {
    int maxTicketBytes = gate.limits().maxTicketBytes();
    int items = request.getItemsCount();
    int total = 0;
    for (int i = 0; i < items; i++) {
      int size = request.getItems(i).getTicket().size();
      total += size > maxTicketBytes ? 0 : size;
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
      if (ticket.size() > maxTicketBytes) {
        batch.add(NO_TICKET, !item.getPeek());
      } else {
        ticket.copyTo(buffer, at);
        batch.add(buffer, at, ticket.size(), !item.getPeek());
        at += ticket.size();
      }
    }
  }

  /** On a worker: the crypto of the whole batch, one {@code openAll}, and the answer. */
  private OpenResponse open(Rpc rpc, OpenRequest request, String realm, TicketCrypto crypto, Reservation reservation,
      long arrived) {
    int items = request.getItemsCount();
    OpenBatch batch = batches.get();
    try {
      copyTickets(request, batch);
      // the batch's consumes draw on the room reserved for it on arrival
      crypto.opener().openAll(realm, batch, Math.floorDiv(crypto.clock().millis(), 1000), reservation.guard());
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

  private Reservation reserve(Rpc rpc, TicketCrypto crypto, int consuming) throws StatusException {
    Reservation reservation = crypto.replayGuard().tryReserve(consuming);
    if (reservation == null) {
      metrics.shed(rpc, "replay_guard_full");
      throw gate.refuse(rpc, "replay_guard_full", Statuses.resourceExhausted("replay guard full: "
          + "replay-guard-max-entries (" + crypto.replayGuard().maxEntries() + ") reached in mode refuse; "
          + "consuming opens resume as remembered tickets expire (peeks still work)", gate.limits().retryPushback()));
    }
    return reservation;
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
