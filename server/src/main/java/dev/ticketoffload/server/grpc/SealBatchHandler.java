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
import dev.ticketoffload.core.ticket.TicketSealer;
import dev.ticketoffload.core.ticket.UnknownRealmException;
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
 * {@code sealAllInto} under one epoch key, into one array for the whole batch.
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
    gate.checkParsed(rpc, request);
    gate.checkItemCount(rpc, request.getItemsCount());
    String realm = gate.realm(rpc, request.getRealm());
    gate.checkStillWanted(rpc);
    if (crypto.keys().realm(realm) == null) {
      throw unknownRealm(rpc, realm, "is not in the key ring");
    }
    Permit permit = gate.admit(rpc, request.getItemsCount());
    return new AdmittedBatch<>() {
      @Override
      public SealResponse run() throws StatusException {
        gate.checkStillWanted(rpc); // it may have waited for a worker
        return seal(rpc, request, realm, crypto, arrived);
      }

      @Override
      public void close() {
        permit.close();
      }
    };
  }

  /** On a worker: every item checked first, then one {@code sealAllInto}, and the answer. */
  private SealResponse seal(Rpc rpc, SealRequest request, String realm, TicketCrypto crypto, long arrived)
      throws StatusException {
    // Looked up again: a key ring reload may have removed the realm, or changed its lifetime, while
    // the batch waited for a worker.
    RealmKeys realmKeys = crypto.keys().realm(realm);
    if (realmKeys == null) {
      throw unknownRealm(rpc, realm, "was removed from the key ring (reloaded) before the batch was sealed");
    }
    long now = crypto.sealer().nowSeconds();
    long maxLifetime = realmKeys.config().maxTicketLifetimeSeconds();
    int count = request.getItemsCount();
    boolean byReference = realmKeys.config().ticketMode() == TicketMode.REFERENCE;
    List<IkeSaState> states = new ArrayList<>(count);
    long[] lifetimes = new long[count];
    long totalBytes = 0;
    for (int i = 0; i < count; i++) {
      SealItem item = request.getItems(i);
      // uint32 on the wire: 4294967295 ("as long as allowed" to a C gateway) is a large lifetime, not -1
      long requested = Integer.toUnsignedLong(item.getLifetimeSeconds());
      lifetimes[i] = requested == 0 ? maxLifetime : Math.min(requested, maxLifetime);
      IkeSaState state = checkedState(rpc, i, item, now, now + lifetimes[i], !byReference);
      states.add(state);
      totalBytes += TicketSealer.ticketLength(state);
    }
    if (byReference) {
      return sealByReference(rpc, request, realm, realmKeys, states, lifetimes, crypto, now, arrived);
    }
    // One array for the batch's tickets, back to back, instead of one per ticket: each result wraps
    // its slice. Nothing writes to the array after sealing, so sharing it is safe.
    // At most the request's own size (max-request-bytes, an int) plus 40 bytes of overhead per item.
    byte[] tickets = new byte[Math.toIntExact(totalBytes)];
    try {
      crypto.sealer().sealAllInto(realm, states, tickets, 0);
    } catch (UnknownRealmException e) {
      throw unknownRealm(rpc, realm, "was removed from the key ring (reloaded) before the batch was sealed");
    } catch (SealLimitExceededException e) {
      // Not RESOURCE_EXHAUSTED: no pushback helps before the epoch ends, and clients would retry all epoch long.
      long nextEpochInSeconds = (realmKeys.epoch(now) + 1) * realmKeys.config().epochSeconds() - now;
      throw gate.refuse(rpc, "seal_limit", Status.FAILED_PRECONDITION.withDescription("realm \"" + realm + "\": "
          + e.getMessage() + "; sealing resumes with the next epoch key in " + nextEpochInSeconds + " s").asException());
    }
    SealResponse.Builder response = SealResponse.newBuilder();
    int at = 0;
    for (int i = 0; i < count; i++) {
      int length = TicketSealer.ticketLength(states.get(i));
      response.addResults(SealResult.newBuilder()
          .setRef(request.getItems(i).getRef())
          .setTicket(UnsafeByteOperations.unsafeWrap(tickets, at, length))
          .setLifetimeSeconds((int) lifetimes[i])
          .setExpiresAt(now + lifetimes[i]));
      at += length;
    }
    metrics.sealed(rpc, count);
    metrics.batchTook(rpc, System.nanoTime() - arrived);
    return response.build();
  }

  private StatusException unknownRealm(Rpc rpc, String realm, String what) {
    return gate.refuse(rpc, "unknown_realm", Status.NOT_FOUND
        .withDescription("realm \"" + realm + "\" " + what).asException());
  }

  /**
   * Seals by reference and stores every record before any ticket is handed out: a store that cannot
   * take them fails the call (UNAVAILABLE, or RESOURCE_EXHAUSTED for a full realm), with pushback.
   */
  private SealResponse sealByReference(Rpc rpc, SealRequest request, String realm, RealmKeys realmKeys,
      List<IkeSaState> states, long[] lifetimes, TicketCrypto crypto, long now, long arrived) throws StatusException {
    SealedReference[] sealed;
    try {
      sealed = crypto.referenceSealer().sealAll(realm, states);
    } catch (UnknownRealmException e) {
      throw unknownRealm(rpc, realm, "was removed from the key ring (reloaded) before the batch was sealed");
    } catch (SealLimitExceededException e) {
      long nextEpochInSeconds = (realmKeys.epoch(now) + 1) * realmKeys.config().epochSeconds() - now;
      throw gate.refuse(rpc, "seal_limit", Status.FAILED_PRECONDITION.withDescription("realm \"" + realm + "\": "
          + e.getMessage() + "; sealing resumes with the next epoch key in " + nextEpochInSeconds + " s").asException());
    }
    try {
      crypto.store().putRecords(realm, sealed, now);
    } catch (StoreRefusedException e) {
      if (e.reason() == StoreRefusedException.Reason.QUOTA) {
        throw gate.refuse(rpc, "store_quota", Statuses.resourceExhausted(e.getMessage(), gate.limits().retryPushback()));
      }
      throw gate.refuse(rpc, "store_unavailable", Statuses.unavailable(e.getMessage(), gate.limits().retryPushback()));
    }
    SealResponse.Builder response = SealResponse.newBuilder();
    for (int i = 0; i < sealed.length; i++) {
      response.addResults(SealResult.newBuilder()
          .setRef(request.getItems(i).getRef())
          .setTicket(UnsafeByteOperations.unsafeWrap(sealed[i].ticket()))
          .setLifetimeSeconds((int) lifetimes[i])
          .setExpiresAt(now + lifetimes[i]));
    }
    metrics.sealed(rpc, sealed.length);
    metrics.batchTook(rpc, System.nanoTime() - arrived);
    return response.build();
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
