package dev.ticketoffload.server.grpc;

import dev.ticketoffload.api.v1.RevokeItem;
import dev.ticketoffload.api.v1.RevokeOutcome;
import dev.ticketoffload.api.v1.RevokeRequest;
import dev.ticketoffload.api.v1.RevokeResponse;
import dev.ticketoffload.api.v1.RevokeResult;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.core.ticket.SingleUseStore;
import dev.ticketoffload.server.admission.Permit;
import dev.ticketoffload.server.metrics.Rpc;
import dev.ticketoffload.server.store.Revocation;
import dev.ticketoffload.server.store.StoreRefusedException;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Revokes (DESIGN.md, "Revocation"): a ticket, authenticated first (only a ticket that could open is
 * recorded, until its expiry), or an identity, recorded under every master of the realm that still
 * opens until no ticket issued up to now can be alive (now + the realm's maximum lifetime + skew); the
 * store also revokes, under their ids, the tickets by reference in the identity's index.
 * The realm policy applies as for opens. All of a request's revocations go to the store in one write;
 * a store that cannot take them fails the call, nothing is half-recorded on our side.
 */
final class RevokeBatchHandler {

  private final CallGate gate;

  RevokeBatchHandler(CallGate gate) {
    this.gate = gate;
  }

  AdmittedBatch<RevokeResponse> admit(RevokeRequest request, TicketCrypto crypto) throws StatusException {
    Rpc rpc = Rpc.REVOKE;
    gate.checkItemCount(rpc, request.getItemsCount());
    String realm = gate.realm(rpc, request.getRealm());
    gate.checkStillWanted(rpc);
    RealmKeys realmKeys = crypto.keys().realm(realm);
    if (realmKeys == null) {
      throw gate.refuse(rpc, "unknown_realm", Status.NOT_FOUND
          .withDescription("realm \"" + realm + "\" is not in the key ring").asException());
    }
    for (int i = 0; i < request.getItemsCount(); i++) {
      RevokeItem item = request.getItems(i);
      switch (item.getTargetCase()) {
        case TICKET -> { }
        case ID_I -> {
          int n = item.getIdI().size();
          if (n < 1 || n > IkeSaState.MAX_ID_BYTES) {
            throw gate.refuse(rpc, "id_i", Statuses.invalidArgument("items[" + i + "].id_i: " + n
                + " bytes, expected 1.." + IkeSaState.MAX_ID_BYTES));
          }
        }
        default -> throw gate.refuse(rpc, "target", Statuses.invalidArgument("items[" + i
            + "]: set ticket or id_i"));
      }
    }
    Permit permit = gate.admit(rpc, request.getItemsCount());
    return new AdmittedBatch<>() {
      @Override
      public RevokeResponse run() throws StatusException {
        gate.checkStillWanted(rpc);
        return revoke(request, realm, realmKeys, crypto);
      }

      @Override
      public void close() {
        permit.close();
      }
    };
  }

  private RevokeResponse revoke(RevokeRequest request, String realm, RealmKeys realmKeys, TicketCrypto crypto)
      throws StatusException {
    long now = crypto.openClock().nowSeconds();
    long skew = gate.limits().skewSeconds();
    int items = request.getItemsCount();
    // Authenticate every ticket of the request in one batch, asking the store nothing: a ticket by
    // value that could open is OK, one by reference STATE_NOT_FOUND (its record was not asked for).
    OpenBatch tickets = new OpenBatch(items);
    int[] batchIndex = new int[items];
    for (int i = 0; i < items; i++) {
      RevokeItem item = request.getItems(i);
      batchIndex[i] = item.getTargetCase() == RevokeItem.TargetCase.TICKET
          ? tickets.add(item.getTicket().toByteArray(), false) : -1;
    }
    if (tickets.size() > 0) {
      crypto.opener().openAll(realm, tickets, now, SingleUseStore.NONE);
    }
    List<Revocation> revocations = new ArrayList<>();
    RevokeResult.Builder[] results = new RevokeResult.Builder[items];
    for (int i = 0; i < items; i++) {
      RevokeItem item = request.getItems(i);
      RevokeResult.Builder r = RevokeResult.newBuilder().setRef(item.getRef());
      results[i] = r;
      if (batchIndex[i] < 0) {
        long until = now + realmKeys.config().maxTicketLifetimeSeconds() + skew;
        for (Map.Entry<Integer, byte[]> e : realmKeys.identityKeys(item.getIdI().toByteArray())) {
          revocations.add(Revocation.ofIdentity(e.getKey(), e.getValue(), now, until));
        }
        r.setOutcome(RevokeOutcome.REVOKE_RECORDED).setRevokedAt(now).setKeptUntil(until);
        continue;
      }
      int b = batchIndex[i];
      Outcome o = tickets.outcome(b);
      if (o == Outcome.EXPIRED) {
        r.setOutcome(RevokeOutcome.REVOKE_ALREADY_EXPIRED);
      } else if (o == Outcome.OK || o == Outcome.STATE_NOT_FOUND) {
        long until = tickets.expiresAtSeconds(b) + skew;
        if (tickets.byReference(b)) {
          revocations.add(Revocation.ofReference(tickets.referenceId(b), now, until)); // kept beside its record
        } else {
          byte[] t = item.getTicket().toByteArray();
          byte[] iv = java.util.Arrays.copyOfRange(t, TicketFormat.IV_OFFSET,
              TicketFormat.IV_OFFSET + dev.ticketoffload.core.aead.AeadBackend.IV_SIZE_IN_BYTES);
          revocations.add(Revocation.ofTicket(TicketFormat.readKeyId(t, 0), iv, now, until));
        }
        r.setOutcome(RevokeOutcome.REVOKE_RECORDED).setRevokedAt(now).setKeptUntil(until);
      } else {
        r.setOutcome(RevokeOutcome.REVOKE_NOT_A_TICKET);
      }
    }
    tickets.clear();
    if (!revocations.isEmpty()) {
      try {
        crypto.store().revoke(realm, revocations, now);
      } catch (StoreRefusedException e) {
        Status status = e.reason() == StoreRefusedException.Reason.QUOTA ? Status.RESOURCE_EXHAUSTED
            : Status.UNAVAILABLE;
        throw gate.refuse(Rpc.REVOKE, "store_" + e.reason().name().toLowerCase(java.util.Locale.ROOT),
            status.withDescription(e.getMessage()).asException());
      }
    }
    RevokeResponse.Builder response = RevokeResponse.newBuilder();
    for (RevokeResult.Builder r : results) {
      response.addResults(r);
    }
    return response.build();
  }
}
