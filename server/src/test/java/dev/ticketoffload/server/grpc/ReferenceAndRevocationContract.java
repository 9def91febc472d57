package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.RevokeItem;
import dev.ticketoffload.api.v1.RevokeOutcome;
import dev.ticketoffload.api.v1.RevokeRequest;
import dev.ticketoffload.api.v1.RevokeResult;
import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.StoreLookups;
import dev.ticketoffload.server.store.ConsumeStore;
import dev.ticketoffload.server.store.StoreReservation;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tickets by reference and revocation over the wire, on a fleet of three instances that share one
 * store and one key ring: every outcome in both modes, revocation at one instance seen at another,
 * realm isolation, and records the store hands back tampered or under another id. Run against the
 * memory store (one store object shared in process) and Redis (standalone and Cluster).
 */
abstract class ReferenceAndRevocationContract {

  static final String BY_REF = "byref";
  static final String BY_VALUE = "byvalue";
  static final String OTHER = "otherref";
  private static final byte[] SECRET = new byte[32];

  ConsumeStore store;
  List<LoopbackServer> fleet;

  /** A fresh, empty store for a test. */
  abstract ConsumeStore newStore() throws Exception;

  static KeyRing ring() {
    List<RealmConfig> realms = new ArrayList<>();
    byte[] s = SECRET.clone();
    for (String[] r : new String[][] {{BY_REF, "reference"}, {BY_VALUE, "value"}, {OTHER, "reference"}}) {
      s[0]++;
      realms.add(new RealmConfig(r[0], 3600, 86_400, List.of(new MasterSecret(1, MasterState.PRIMARY, s,
          Instant.parse("2026-11-26T00:00:00Z"))), TicketMode.fromJsonName(r[1])));
    }
    return new KeyRing(realms);
  }

  @BeforeEach
  void startFleet() throws Exception {
    store = newStore();
    fleet = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fleet.add(new LoopbackServer(ServiceLimits.defaults(), ring(), store));
    }
  }

  @AfterEach
  void stopFleet() {
    fleet.forEach(LoopbackServer::close);
    store.close();
  }

  LoopbackServer at(int i) {
    return fleet.get(i);
  }

  List<ByteString> seal(int instance, String realm, int n, int lifetime, int firstState) {
    SealRequest.Builder r = SealRequest.newBuilder().setRealm(realm);
    for (int i = 0; i < n; i++) {
      r.addItems(SealItem.newBuilder().setRef(i).setState(States.reference(firstState + i)).setLifetimeSeconds(lifetime));
    }
    return at(instance).blocking().seal(r.build()).getResultsList().stream().map(SealResult::getTicket).toList();
  }

  List<OpenResult> open(int instance, String realm, List<ByteString> tickets, boolean peek) {
    return at(instance).blocking().open(States.openRequest(realm, tickets, peek)).getResultsList();
  }

  List<Outcome> outcomes(int instance, String realm, List<ByteString> tickets, boolean peek) {
    return open(instance, realm, tickets, peek).stream().map(OpenResult::getOutcome).toList();
  }

  List<RevokeResult> revoke(int instance, String realm, List<RevokeItem> items) {
    return at(instance).blocking().revoke(RevokeRequest.newBuilder().setRealm(realm).addAllItems(items).build())
        .getResultsList();
  }

  static RevokeItem ticket(ByteString t) {
    return RevokeItem.newBuilder().setTicket(t).build();
  }

  static RevokeItem identity(ByteString idI) {
    return RevokeItem.newBuilder().setIdI(idI).build();
  }

  static ByteString flip(ByteString t, int index, int mask) {
    byte[] b = t.toByteArray();
    b[index] ^= (byte) mask;
    return ByteString.copyFrom(b);
  }

  @Test
  void sealByReference_gives64ByteTickets_thatOpenOnceAnywhereInTheFleet() {
    List<ByteString> tickets = seal(0, BY_REF, 3, 3600, 0);
    assertThat(tickets).allSatisfy(t -> assertThat(t.size()).isEqualTo(64));
    assertThat(outcomes(1, BY_REF, tickets, true)).containsOnly(Outcome.OK);
    List<OpenResult> first = open(2, BY_REF, tickets, false);
    assertThat(first).extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);
    assertThat(first.get(1).getState()).isEqualTo(States.reference(1));
    assertThat(first.get(1).getExpiresAt()).isEqualTo(at(0).clock.millis() / 1000 + 3600);
    assertThat(outcomes(0, BY_REF, tickets, false)).containsOnly(Outcome.REPLAYED);
    // A peek only checks, as for tickets by value: the state is still there until expiry.
    assertThat(outcomes(1, BY_REF, tickets, true)).containsOnly(Outcome.OK);
  }

  @Test
  void attemptIdRetries_answerOkAgain_otherAttemptsReplayed_byReference() {
    ByteString t = seal(0, BY_REF, 1, 3600, 0).getFirst();
    OpenRequest attempt = OpenRequest.newBuilder().setRealm(BY_REF).addItems(OpenItem.newBuilder()
        .setTicket(t).setAttemptId(ByteString.copyFromUtf8("attempt-1"))).build();
    assertThat(at(0).blocking().open(attempt).getResults(0).getOutcome()).isEqualTo(Outcome.OK);
    OpenResult retried = at(1).blocking().open(attempt).getResults(0);
    assertThat(retried.getOutcome()).isEqualTo(Outcome.OK);
    assertThat(retried.getState()).isEqualTo(States.reference(0));
    OpenRequest other = attempt.toBuilder().setItems(0, attempt.getItems(0).toBuilder()
        .setAttemptId(ByteString.copyFromUtf8("attempt-2"))).build();
    assertThat(at(2).blocking().open(other).getResults(0).getOutcome()).isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void everyOutcome_byReference_inOneBatch() throws Exception {
    List<ByteString> good = seal(0, BY_REF, 6, 3600, 0);
    ByteString replayed = good.get(1);
    open(0, BY_REF, List.of(replayed), false);
    ByteString revoked = good.get(4);
    assertThat(revoke(1, BY_REF, List.of(ticket(revoked)))).extracting(RevokeResult::getOutcome)
        .containsExactly(RevokeOutcome.REVOKE_RECORDED);
    // Same key ring, a store of its own: its records are not in the fleet's store.
    ByteString gone;
    try (LoopbackServer stranger = new LoopbackServer(ServiceLimits.defaults(), ring())) {
      gone = stranger.blocking().seal(SealRequest.newBuilder().setRealm(BY_REF)
          .addItems(SealItem.newBuilder().setState(States.reference(9)).setLifetimeSeconds(3600)).build())
          .getResults(0).getTicket();
    }
    ByteString expiring = seal(0, BY_REF, 1, 60, 7).getFirst();
    at(2).clock.advance(61);
    List<ByteString> batch = List.of(good.get(0), good.get(2).substring(0, 63), 
        flip(good.get(2).concat(ByteString.copyFrom(new byte[36])), 0, 0x01), flip(good.get(3), 4, 0x40),
        flip(good.get(3), 63, 0x01), expiring, revoked, gone, replayed);
    List<OpenResult> results = open(2, BY_REF, batch, false);
    assertThat(results).extracting(OpenResult::getOutcome).containsExactly(Outcome.OK, Outcome.MALFORMED,
        Outcome.UNSUPPORTED_VERSION, Outcome.UNKNOWN_KEY, Outcome.AUTH_FAILED, Outcome.EXPIRED, Outcome.REVOKED,
        Outcome.STATE_NOT_FOUND, Outcome.REPLAYED);
    assertThat(results.get(6).getExpiresAt()).isPositive();
    assertThat(results.get(7).getExpiresAt()).isPositive();
    assertThat(results.get(4).getExpiresAt()).isZero();
  }

  @Test
  void everyOutcome_byValue_inOneBatch_withRevocation() {
    List<ByteString> good = seal(0, BY_VALUE, 5, 3600, 0);
    assertThat(good.getFirst().size()).isGreaterThan(64);
    ByteString replayed = good.get(1);
    open(1, BY_VALUE, List.of(replayed), false);
    revoke(1, BY_VALUE, List.of(ticket(good.get(4))));
    ByteString expiring = seal(0, BY_VALUE, 1, 60, 7).getFirst();
    at(2).clock.advance(61);
    List<ByteString> batch = List.of(good.get(0), good.get(2).substring(0, 30), flip(good.get(2), 0, 0x02), // version 3
        flip(good.get(3), 4, 0x40), flip(good.get(3), good.get(3).size() - 1, 0x01), expiring, good.get(4), replayed);
    assertThat(outcomes(2, BY_VALUE, batch, false)).containsExactly(Outcome.OK, Outcome.MALFORMED,
        Outcome.UNSUPPORTED_VERSION, Outcome.UNKNOWN_KEY, Outcome.AUTH_FAILED, Outcome.EXPIRED, Outcome.REVOKED,
        Outcome.REPLAYED);
  }

  @Test
  void revokedAtOneInstance_isRevokedAtAnother_inBothModes_andNeverOpensAfterwards() {
    for (String realm : List.of(BY_REF, BY_VALUE)) {
      List<ByteString> t = seal(0, realm, 2, 3600, 0);
      assertThat(revoke(1, realm, List.of(ticket(t.get(0))))).extracting(RevokeResult::getOutcome)
          .containsExactly(RevokeOutcome.REVOKE_RECORDED);
      assertThat(outcomes(2, realm, t, true)).as(realm).containsExactly(Outcome.REVOKED, Outcome.OK);
      assertThat(outcomes(2, realm, t, false)).as(realm).containsExactly(Outcome.REVOKED, Outcome.OK);
      assertThat(outcomes(0, realm, t, false)).as(realm).containsExactly(Outcome.REVOKED, Outcome.REPLAYED);
    }
  }

  @Test
  void revokeByIdentity_endsEveryTicketOfItIssuedUpToNow_inBothModes_notLaterOnesNorOthers() {
    ByteString alice = States.reference(0).getIdI();
    for (String realm : List.of(BY_REF, BY_VALUE)) {
      List<ByteString> before = seal(0, realm, 2, 3600, 0); // states 0 (alice) and 1 (someone else)
      List<RevokeResult> r = revoke(1, realm, List.of(identity(alice)));
      assertThat(r.getFirst().getOutcome()).isEqualTo(RevokeOutcome.REVOKE_RECORDED);
      assertThat(r.getFirst().getKeptUntil()).isEqualTo(r.getFirst().getRevokedAt() + 86_400);
      for (LoopbackServer s : fleet) {
        s.clock.advance(1);
      }
      ByteString after = seal(0, realm, 1, 3600, 0).getFirst(); // alice again, issued after the revocation
      assertThat(outcomes(2, realm, List.of(before.get(0), before.get(1), after), false)).as(realm)
          .containsExactly(Outcome.REVOKED, Outcome.OK, Outcome.OK);
    }
  }

  /** The fleet's store, counting how often batches ask it (lookUpAndConsume or consumeAll calls). */
  static final class CountingStore implements ConsumeStore {
    final ConsumeStore store;
    final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

    CountingStore(ConsumeStore store) {
      this.store = store;
    }

    @Override
    public StoreReservation reserve(String realm, int consumes, long nowSeconds) {
      StoreReservation r = store.reserve(realm, consumes, nowSeconds);
      return new StoreReservation() {
        @Override
        public void consumeAll(String realm, ConsumeBatch batch, long now) {
          asked.incrementAndGet();
          r.consumeAll(realm, batch, now);
        }

        @Override
        public boolean mayHoldRevocations(String realm) {
          return r.mayHoldRevocations(realm);
        }

        @Override
        public void lookUpAndConsume(String realm, StoreLookups lookups, ConsumeBatch batch, long now) {
          asked.incrementAndGet();
          r.lookUpAndConsume(realm, lookups, batch, now);
        }

        @Override
        public void close() {
          r.close();
        }
      };
    }

    @Override
    public void putRecords(String realm, SealedReference[] sealed, long nowSeconds) {
      store.putRecords(realm, sealed, nowSeconds);
    }

    @Override
    public void revoke(String realm, List<dev.ticketoffload.server.store.Revocation> revocations, long nowSeconds) {
      store.revoke(realm, revocations, nowSeconds);
    }

    @Override
    public String kind() {
      return store.kind();
    }

    @Override
    public boolean up() {
      return store.up();
    }

    @Override
    public void close() {}
  }

  @Test
  void openByReference_withIdentitiesRevoked_asksTheStoreOncePerBatch() throws Exception {
    ByteString alice = States.reference(0).getIdI();
    List<ByteString> tickets = seal(0, BY_REF, 3, 3600, 0); // state 0 is alice's
    revoke(1, BY_REF, List.of(identity(alice)));
    CountingStore counting = new CountingStore(store);
    try (LoopbackServer instance = new LoopbackServer(ServiceLimits.defaults(), ring(), counting)) {
      List<Outcome> consumed = instance.blocking().open(States.openRequest(BY_REF, tickets, false)).getResultsList()
          .stream().map(OpenResult::getOutcome).toList();
      assertThat(consumed).containsExactly(Outcome.REVOKED, Outcome.OK, Outcome.OK);
      assertThat(counting.asked.get()).as("one store call (one flush) for the whole batch").isEqualTo(1);
      List<Outcome> peeked = instance.blocking().open(States.openRequest(BY_REF, tickets, true)).getResultsList()
          .stream().map(OpenResult::getOutcome).toList();
      assertThat(peeked).containsExactly(Outcome.REVOKED, Outcome.OK, Outcome.OK);
      assertThat(counting.asked.get()).isEqualTo(2);
    }
  }

  /** By reference, a Revoke by identity covers the tickets whose seal was answered before it began. */
  @Test
  void revokeByIdentity_byReference_coversSealsAnsweredBefore_notSealsAfterItReturned_evenInTheSameSecond() {
    ByteString alice = States.reference(0).getIdI();
    ByteString before = seal(0, BY_REF, 1, 3600, 0).getFirst();
    revoke(1, BY_REF, List.of(identity(alice)));
    ByteString after = seal(2, BY_REF, 1, 3600, 0).getFirst(); // same second, but sealed after the revoke
    assertThat(outcomes(1, BY_REF, List.of(before, after), false)).containsExactly(Outcome.REVOKED, Outcome.OK);
  }

  @Test
  void referenceTickets_ofOneRealm_neverOpenInAnother() {
    ByteString t = seal(0, BY_REF, 1, 3600, 0).getFirst();
    assertThat(outcomes(1, OTHER, List.of(t), true)).containsExactly(Outcome.AUTH_FAILED);
    assertThat(outcomes(1, BY_VALUE, List.of(t), false)).containsExactly(Outcome.AUTH_FAILED);
    assertThat(outcomes(1, BY_REF, List.of(t), false)).containsExactly(Outcome.OK);
  }

  @Test
  void revoke_refusesWhatCannotOpen_andSaysExpired() {
    ByteString t = seal(0, BY_REF, 1, 60, 0).getFirst();
    assertThat(revoke(1, BY_REF, List.of(ticket(flip(t, 63, 1)), ticket(ByteString.EMPTY))))
        .extracting(RevokeResult::getOutcome).containsOnly(RevokeOutcome.REVOKE_NOT_A_TICKET);
    at(1).clock.advance(61);
    assertThat(revoke(1, BY_REF, List.of(ticket(t)))).extracting(RevokeResult::getOutcome)
        .containsExactly(RevokeOutcome.REVOKE_ALREADY_EXPIRED);
  }

  @Test
  void recordsTamperedOrMovedInTheStore_areRefused() {
    long now = at(0).clock.millis() / 1000;
    IkeSaState x = dev.ticketoffload.server.grpc.ProtoStates.toCore(States.reference(0), now, now + 3600);
    IkeSaState y = dev.ticketoffload.server.grpc.ProtoStates.toCore(States.reference(1), now, now + 3600);
    SealedReference[] sealed = at(0).crypto.referenceSealer().sealAll(BY_REF, List.of(x, y));
    byte[] tampered = sealed[0].record().clone();
    tampered[20] ^= 0x01;
    // X's id now holds Y's record (moved); Y's id holds X's record with a bit flipped (tampered).
    store.putRecords(BY_REF, new SealedReference[] {
        new SealedReference(sealed[0].ticket(), sealed[0].id(), sealed[1].record(), sealed[0].expiresAtSeconds(),
            sealed[0].identityKey()),
        new SealedReference(sealed[1].ticket(), sealed[1].id(), tampered, sealed[1].expiresAtSeconds(),
            sealed[1].identityKey())}, now);
    assertThat(outcomes(1, BY_REF, List.of(ByteString.copyFrom(sealed[0].ticket()),
        ByteString.copyFrom(sealed[1].ticket())), false)).containsExactly(Outcome.AUTH_FAILED, Outcome.AUTH_FAILED);
    // Those opens consumed the tickets: with the genuine records back they are REPLAYED, never OK.
    store.putRecords(BY_REF, sealed, now);
    assertThat(outcomes(2, BY_REF, List.of(ByteString.copyFrom(sealed[0].ticket())), false))
        .containsExactly(Outcome.REPLAYED);
    assertThat(outcomes(2, BY_REF, List.of(ByteString.copyFrom(sealed[0].ticket())), true))
        .containsExactly(Outcome.OK);
  }
}
