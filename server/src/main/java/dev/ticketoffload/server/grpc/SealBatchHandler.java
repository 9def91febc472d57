package dev.ticketoffload.server.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.keys.SealLimitExceededException;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.server.store.StoreRefusedException;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.server.admission.Permit;
import dev.ticketoffload.server.metrics.Rpc;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals batches: admitted on arrival ({@link #admit}, on the transport thread), sealed whole on a
 * worker. All items are checked first (a bad item fails the call
 * with INVALID_ARGUMENT naming its index and field, before anything is sealed), then sealed in one
 * {@code sealAll} under one epoch key.
 */
final class SealBatchHandler {

  private final CallGate gate;
  private final ServiceMetrics metrics;

  SealBatchHandler(CallGate gate, ServiceMetrics metrics) {
    this.gate = gate;
    this.metrics = metrics;
  }

  /**
   * On the transport thread, as the request arrives: shape, realm, deadline and admission, refused
   * at once; the items' states are checked and sealed later, on a worker ({@link #seal}).
   */
  AdmittedBatch<SealResponse> admit(Rpc rpc, SealRequest request, TicketCrypto crypto) throws StatusException {
    long arrived = System.nanoTime();
    gate.checkItemCount(rpc, request.getItemsCount());
    String realm = gate.realm(rpc, request.getRealm());
    gate.checkStillWanted(rpc);
    RealmKeys realmKeys = crypto.keys().realm(realm);
    if (realmKeys == null) {
      throw gate.refuse(rpc, "unknown_realm", Status.NOT_FOUND
          .withDescription("realm \"" + realm + "\" is not in the key ring").asException());
    }
    Permit permit = gate.admit(rpc, request.getItemsCount());
    return new AdmittedBatch<>() {
      @Override
      public SealResponse run() throws StatusException {
        gate.checkStillWanted(rpc); // it may have waited for a worker
        return seal(rpc, request, realm, realmKeys, crypto, arrived);
      }

      @Override
      public void close() {
        permit.close();
      }
    };
  }

  /** On a worker: every item checked first, then one {@code sealAll}, and the answer. */
  private SealResponse seal(Rpc rpc, SealRequest request, String realm, RealmKeys realmKeys, TicketCrypto crypto,
      long arrived) throws StatusException {
    long now = crypto.sealer().nowSeconds();
    long maxLifetime = realmKeys.config().maxTicketLifetimeSeconds();
    List<IkeSaState> states = new ArrayList<>(request.getItemsCount());
    long[] lifetimes = new long[request.getItemsCount()];
    for (int i = 0; i < request.getItemsCount(); i++) {
      SealItem item = request.getItems(i);
      long requested = item.getLifetimeSeconds();
      lifetimes[i] = requested == 0 ? maxLifetime : Math.min(requested, maxLifetime);
      states.add(checkedState(rpc, i, item, now, now + lifetimes[i],
          realmKeys.config().ticketMode() == TicketMode.VALUE));
    }
    byte[][] tickets;
    try {
      tickets = realmKeys.config().ticketMode() == TicketMode.REFERENCE
          ? sealByReference(rpc, realm, states, crypto, now) : crypto.sealer().sealAll(realm, states);
    } catch (SealLimitExceededException e) {
      throw gate.refuse(rpc, "seal_limit", Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asException());
    }
    SealResponse.Builder response = SealResponse.newBuilder();
    for (int i = 0; i < tickets.length; i++) {
      response.addResults(SealResult.newBuilder()
          .setRef(request.getItems(i).getRef())
          .setTicket(UnsafeByteOperations.unsafeWrap(tickets[i]))
          .setLifetimeSeconds((int) lifetimes[i])
          .setExpiresAt(now + lifetimes[i]));
    }
    metrics.sealed(rpc, tickets.length);
    metrics.batchTook(rpc, System.nanoTime() - arrived);
    return response.build();
  }

  /**
   * Seals by reference and stores every record before any ticket is handed out: a store that cannot
   * take them fails the call (UNAVAILABLE, or RESOURCE_EXHAUSTED for a full realm), with pushback.
   */
  private byte[][] sealByReference(Rpc rpc, String realm, List<IkeSaState> states, TicketCrypto crypto, long now)
      throws StatusException {
    SealedReference[] sealed = crypto.referenceSealer().sealAll(realm, states);
    try {
      crypto.store().putRecords(realm, sealed, now);
    } catch (StoreRefusedException e) {
      if (e.reason() == StoreRefusedException.Reason.QUOTA) {
        throw gate.refuse(rpc, "store_quota", Statuses.resourceExhausted(e.getMessage(), gate.limits().retryPushback()));
      }
      throw gate.refuse(rpc, "store_unavailable", Statuses.unavailable(e.getMessage(), gate.limits().retryPushback()));
    }
    byte[][] tickets = new byte[sealed.length][];
    for (int i = 0; i < sealed.length; i++) {
      tickets[i] = sealed[i].ticket();
    }
    return tickets;
  }

  /** @param byValue whether the state goes into the ticket: then the ticket must fit max-ticket-bytes */
  private IkeSaState checkedState(Rpc rpc, int index, SealItem item, long issuedAt, long expiresAt, boolean byValue)
      throws StatusException {
    if (!item.hasState()) {
      throw gate.refuse(rpc, "state", Statuses.invalidArgument("items[" + index + "].state is missing"));
    }
    IkeSaState state;
    try {
      state = ProtoStates.toCore(item.getState(), issuedAt, expiresAt);
    } catch (IllegalArgumentException e) {
      throw gate.refuse(rpc, "state", Statuses.invalidArgument("items[" + index + "].state: " + e.getMessage()));
    }
    int ticketBytes = TicketFormat.ticketLength(StateCodec.encodedLength(state));
    if (byValue && ticketBytes > gate.limits().maxTicketBytes()) {
      throw gate.refuse(rpc, "max_ticket_bytes", Statuses.invalidArgument("items[" + index + "]: the ticket would be "
          + ticketBytes + " bytes, above max-ticket-bytes (" + gate.limits().maxTicketBytes() + ")"));
    }
    return state;
  }
}
