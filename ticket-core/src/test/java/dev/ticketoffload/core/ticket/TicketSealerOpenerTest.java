package dev.ticketoffload.core.ticket;

import static dev.ticketoffload.core.ticket.TestStates.defaultRing;
import static dev.ticketoffload.core.ticket.TestStates.master;
import static dev.ticketoffload.core.ticket.TestStates.realm;
import static dev.ticketoffload.core.ticket.TestStates.reference;
import static dev.ticketoffload.core.ticket.TestStates.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.state.IkeSaState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TicketSealerOpenerTest {

  private static final long NOW = 1_764_190_000L;
  private static final Set<Outcome> REFUSALS =
      EnumSet.of(Outcome.AUTH_FAILED, Outcome.UNKNOWN_KEY, Outcome.MALFORMED, Outcome.UNSUPPORTED_VERSION);

  private final TestClock clock = new TestClock(NOW);
  private final KeySchedule keys = new KeySchedule(new BouncyCastleAeadBackend(), defaultRing());
  private final TicketSealer sealer = new TicketSealer(keys, clock, new IvSource(), 2048);

  @AfterEach
  void closeKeys() {
    keys.close();
  }

  private ClockedOpener opener(SingleUseStore store, long skewSeconds) {
    return new ClockedOpener(new TicketOpener(keys, 2048, skewSeconds), store);
  }

  /** The opener at this test's clock with one store, as a server would hold them. */
  private final class ClockedOpener {
    final TicketOpener opener;
    final SingleUseStore store;

    ClockedOpener(TicketOpener opener, SingleUseStore store) {
      this.opener = opener;
      this.store = store;
    }

    OpenedTicket open(String realm, byte[] ticket, boolean consume) {
      return TestOpens.open(opener, realm, ticket, consume, clock.seconds(), store);
    }

    void openAll(String realm, OpenBatch batch, long nowSeconds) {
      opener.openAll(realm, batch, nowSeconds, store);
    }
  }

  @Test
  void open_freshTicket_isOkWithTheSealedState() {
    IkeSaState state = reference(NOW, 3600);
    byte[] ticket = sealer.seal("default", state);
    assertThat(ticket).hasSize(192);
    OpenedTicket opened = opener(SingleUseStore.NONE, 0).open("default", ticket, true);
    assertThat(opened.outcome()).isEqualTo(Outcome.OK);
    assertThat(opened.state()).isEqualTo(state);
    assertThat(opened.expiresAtSeconds()).isEqualTo(NOW + 3600);
  }

  @Test
  void open_storeSureOfNoRevocation_isAskedNoIdentity_otherwiseEveryTicketByValueIs() {
    byte[] ticket = sealer.seal("default", reference(NOW, 3600));
    for (boolean mayHold : new boolean[] {false, true}) {
      boolean[] identityAsked = new boolean[1];
      SingleUseStore store = new SingleUseStore() {
        @Override
        public void consumeAll(String realm, ConsumeBatch consumes, long nowSeconds) {
          for (int j = 0; j < consumes.size(); j++) {
            consumes.answer(j, ConsumeResult.FIRST_USE);
          }
        }

        @Override
        public boolean mayHoldRevocations(String realm) {
          return mayHold;
        }

        @Override
        public void lookUpAndConsume(String realm, StoreLookups lookups, ConsumeBatch consumes, long nowSeconds) {
          identityAsked[0] = lookups.hasIdentity(0);
          consumeAll(realm, consumes, nowSeconds);
        }
      };
      assertThat(opener(store, 0).open("default", ticket, true).outcome()).isEqualTo(Outcome.OK);
      assertThat(identityAsked[0]).as("store may hold revocations: " + mayHold).isEqualTo(mayHold);
    }
  }

  @Test
  void seal_writesVersionReservedAndPrimaryKeyIdOfThisEpoch() {
    byte[] ticket = sealer.seal("default", reference(NOW, 60));
    assertThat(ticket[0]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(ticket, 1, 4)).containsExactly(0, 0, 0);
    long keyId = TicketFormat.readKeyId(ticket, 0);
    assertThat(TicketFormat.masterId(keyId)).isEqualTo(2);
    assertThat(TicketFormat.epoch(keyId)).isEqualTo(NOW / 3600);
  }

  @Test
  void seal_twice_usesDifferentIvs() {
    Set<String> ivs = new HashSet<>();
    for (byte[] t : sealer.sealAll("default", java.util.Collections.nCopies(1000, reference(NOW, 60)))) {
      ivs.add(java.util.HexFormat.of().formatHex(t, TicketFormat.IV_OFFSET, TicketFormat.CIPHERTEXT_OFFSET));
    }
    assertThat(ivs).hasSize(1000);
  }

  @Test
  void open_everySingleByteChange_isRefusedNeverOkNeverException() {
    byte[] ticket = sealer.seal("default", reference(NOW, 3600));
    ClockedOpener opener = opener(SingleUseStore.NONE, 0);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < ticket.length; i++) {
      for (int delta : new int[] {1, 0x80, 0xFF}) {
        byte[] changed = ticket.clone();
        changed[i] ^= (byte) delta;
        Outcome outcome = opener.open("default", changed, false).outcome();
        boolean reservedByte = i >= 1 && i <= 3;
        if (!REFUSALS.contains(outcome) || (reservedByte && outcome != Outcome.AUTH_FAILED)) {
          wrong.add("byte " + i + " ^ " + delta + " gave " + outcome);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void open_everyTruncationAndExtension_isRefused() {
    byte[] ticket = sealer.seal("default", reference(NOW, 3600));
    ClockedOpener opener = opener(SingleUseStore.NONE, 0);
    List<String> wrong = new ArrayList<>();
    for (int length = 0; length < ticket.length + 40; length++) {
      if (length == ticket.length) {
        continue;
      }
      Outcome outcome = opener.open("default", Arrays.copyOf(ticket, length), false).outcome();
      if (!REFUSALS.contains(outcome)) {
        wrong.add("length " + length + " gave " + outcome);
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(opener.open("default", new byte[0], false).outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(opener.open("default", new byte[2049], false).outcome()).isEqualTo(Outcome.MALFORMED);
  }

  @Test
  void open_wrongVersion_isUnsupportedVersionBeforeKeyLookup() {
    byte[] ticket = sealer.seal("default", reference(NOW, 3600));
    ticket[0] = 3; // 2 is format v2 (by reference)
    ticket[TicketFormat.KEY_ID_OFFSET] = 0x7F; // an unknown master too: the version check comes first
    assertThat(opener(SingleUseStore.NONE, 0).open("default", ticket, false).outcome())
        .isEqualTo(Outcome.UNSUPPORTED_VERSION);
  }

  @Test
  void open_inAnotherRealm_isAuthFailed_unknownRealmIsUnknownKey() {
    KeySchedule twoRealms = new KeySchedule(new BouncyCastleAeadBackend(), ring(
        realm("default", 3600, 86_400, master(2, MasterState.PRIMARY, 0x22)),
        realm("other", 3600, 86_400, master(2, MasterState.PRIMARY, 0x22))));
    try {
      TicketSealer s = new TicketSealer(twoRealms, clock, new IvSource(), 2048);
      ClockedOpener o = new ClockedOpener(new TicketOpener(twoRealms, 2048, 0), SingleUseStore.NONE);
      byte[] ticket = s.seal("default", reference(NOW, 3600));
      // Same master id and secret, other realm: the epoch key differs, so the tag fails.
      assertThat(o.open("other", ticket, false).outcome()).isEqualTo(Outcome.AUTH_FAILED);
      assertThat(o.open("nowhere", ticket, false).outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
      assertThat(o.open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    } finally {
      twoRealms.close();
    }
  }

  @Test
  void sealAllInto_writesOpenableTicketsBackToBackAndRefusesAShortBuffer() {
    List<IkeSaState> states = List.of(reference(NOW, 60), reference(NOW, 120).toBuilder().ext(new byte[7]).build());
    int first = TicketSealer.ticketLength(states.get(0));
    int second = TicketSealer.ticketLength(states.get(1));
    byte[] out = new byte[3 + first + second + 5];
    assertThat(sealer.sealAllInto("default", states, out, 3)).isEqualTo(first + second);
    assertThat(Arrays.copyOf(out, 3)).containsOnly(0);
    assertThat(Arrays.copyOfRange(out, 3 + first + second, out.length)).containsOnly(0);
    ClockedOpener opener = opener(SingleUseStore.NONE, 0);
    OpenBatch batch = new OpenBatch(2);
    batch.add(out, 3, first, false);
    batch.add(out, 3 + first, second, false);
    opener.openAll("default", batch, NOW);
    assertThat(batch.state(0)).isEqualTo(states.get(0));
    assertThat(batch.state(1)).isEqualTo(states.get(1));
    assertThatThrownBy(() -> sealer.sealAllInto("default", states, new byte[first + second - 1], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need " + (first + second) + " bytes");
  }

  @Test
  void seal_unknownRealm_isRefusedNamingIt() {
    assertThatThrownBy(() -> sealer.seal("nowhere", reference(NOW, 60)))
        .isInstanceOf(UnknownRealmException.class).hasMessageContaining("nowhere");
  }

  @Test
  void seal_lifetimeAboveRealmMaximum_isRefused() {
    assertThatThrownBy(() -> sealer.seal("default", reference(NOW, 86_401)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("86400");
  }

  @Test
  void seal_stateThatWouldExceedMaxTicketBytes_isRefusedNamingTheLimit() {
    IkeSaState big = reference(NOW, 60).toBuilder().idI(new byte[1024]).idR(new byte[1024]).build();
    assertThatThrownBy(() -> sealer.seal("default", big))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_ticket_bytes (2048)");
  }

  @Test
  void open_epochWindow_edgesAcceptedJustOutsideUnknownKey() {
    // max lifetime 86400 s, epoch 3600 s: accepted epochs are [now_epoch - 25, now_epoch + 1].
    long sealedAt = NOW;
    byte[] ticket = sealer.seal("default", reference(sealedAt, 60));
    long sealedEpoch = sealedAt / 3600;
    ClockedOpener opener = opener(SingleUseStore.NONE, 1_000_000);
    clock.setSeconds((sealedEpoch + 25) * 3600 + 3599);
    assertThat(opener.open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    clock.setSeconds((sealedEpoch + 26) * 3600);
    assertThat(opener.open("default", ticket, false).outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
    clock.setSeconds((sealedEpoch - 1) * 3600);
    assertThat(opener.open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    clock.setSeconds((sealedEpoch - 1) * 3600 - 1);
    assertThat(opener.open("default", ticket, false).outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
  }

  @Test
  void open_sealedUnderDecryptOnlyMaster_opensRetiredDoesNot() {
    byte[] ticket = sealer.seal("default", reference(NOW, 3600)); // master 2
    keys.update(ring(realm("default", 3600, 86_400, master(3, MasterState.PRIMARY, 0x33),
        master(2, MasterState.DECRYPT_ONLY, 0x22))));
    assertThat(opener(SingleUseStore.NONE, 0).open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    assertThat(TicketFormat.masterId(TicketFormat.readKeyId(sealer.seal("default", reference(NOW, 60)), 0)))
        .isEqualTo(3);
    keys.update(ring(realm("default", 3600, 86_400, master(3, MasterState.PRIMARY, 0x33),
        master(2, MasterState.RETIRED, 0x22))));
    assertThat(opener(SingleUseStore.NONE, 0).open("default", ticket, false).outcome())
        .isEqualTo(Outcome.UNKNOWN_KEY);
  }

  @Test
  void open_expiryEdges_withAndWithoutSkew() {
    byte[] ticket = sealer.seal("default", reference(NOW, 100));
    clock.setSeconds(NOW + 99);
    assertThat(opener(SingleUseStore.NONE, 0).open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    clock.setSeconds(NOW + 100);
    OpenedTicket expired = opener(SingleUseStore.NONE, 0).open("default", ticket, false);
    assertThat(expired.outcome()).isEqualTo(Outcome.EXPIRED);
    assertThat(expired.expiresAtSeconds()).isEqualTo(NOW + 100);
    assertThat(opener(SingleUseStore.NONE, 30).open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    clock.setSeconds(NOW + 129);
    assertThat(opener(SingleUseStore.NONE, 30).open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    clock.setSeconds(NOW + 130);
    assertThat(opener(SingleUseStore.NONE, 30).open("default", ticket, false).outcome()).isEqualTo(Outcome.EXPIRED);
  }

  @Test
  void open_secondConsume_isReplayedPeekDoesNotConsume() {
    SingleUseStore guard = new SetStore();
    ClockedOpener opener = opener(guard, 0);
    byte[] ticket = sealer.seal("default", reference(NOW, 3600));
    assertThat(opener.open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
    assertThat(opener.open("default", ticket, true).outcome()).isEqualTo(Outcome.OK);
    assertThat(opener.open("default", ticket, true).outcome()).isEqualTo(Outcome.REPLAYED);
    assertThat(opener.open("default", ticket, false).outcome()).isEqualTo(Outcome.OK);
  }

  @Test
  void openAll_consumesGoToTheStoreOnceWithTheirAttemptIds() {
    SetStore store = new SetStore();
    TicketOpener opener = new TicketOpener(keys, 2048, 0);
    OpenBatch batch = new OpenBatch(3);
    byte[] attempt = {9, 9, 9};
    byte[] ticket = sealer.seal("default", reference(NOW, 3600));
    batch.add(ticket, 0, ticket.length, true, attempt, 0, 3);
    batch.add(sealer.seal("default", reference(NOW, 3600)), false);
    opener.openAll("default", batch, NOW, store);
    assertThat(batch.outcome(0)).isEqualTo(Outcome.OK);
    assertThat(store.seen).hasSize(1);
    assertThat(store.calls).isEqualTo(1);
    batch.clear();
    batch.add(ticket, 0, ticket.length, true, attempt, 0, 3);
    batch.add(ticket, true);
    opener.openAll("default", batch, NOW, store);
    assertThat(batch.outcome(0)).as("the same attempt retrying").isEqualTo(Outcome.OK);
    assertThat(batch.outcome(1)).as("no attempt id").isEqualTo(Outcome.REPLAYED);
    dev.ticketoffload.core.state.StateView view = batch.stateView(0, new dev.ticketoffload.core.state.StateView());
    assertThat(view.expiresAtSeconds()).isEqualTo(NOW + 3600);
  }

  @Test
  void open_refusedTickets_neverReachTheGuard() {
    SetStore guard = new SetStore();
    ClockedOpener opener = opener(guard, 0);
    byte[] ticket = sealer.seal("default", reference(NOW, 100));
    byte[] tampered = ticket.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThat(opener.open("default", tampered, true).outcome()).isEqualTo(Outcome.AUTH_FAILED);
    clock.setSeconds(NOW + 100);
    assertThat(opener.open("default", ticket, true).outcome()).isEqualTo(Outcome.EXPIRED);
    assertThat(guard.seen).isEmpty();
  }

  @Test
  void openAll_mixedBatch_givesEachItemItsOwnOutcome() {
    SetStore guard = new SetStore();
    ClockedOpener opener = opener(guard, 0);
    List<IkeSaState> states = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      states.add(reference(NOW, 1 + i));
    }
    byte[][] tickets = sealer.sealAll("default", states);
    clock.setSeconds(NOW + 3600); // next epoch: a second key in the same batch
    byte[][] later = sealer.sealAll("default", states.subList(0, 10).stream()
        .map(s -> s.toBuilder().issuedAtSeconds(NOW + 3600).expiresAtSeconds(NOW + 7200).build()).toList());
    clock.setSeconds(NOW + 300);
    OpenBatch batch = new OpenBatch(1000);
    for (int i = 0; i < tickets.length; i++) {
      byte[] t = tickets[i].clone();
      if (i % 7 == 3) {
        t[30] ^= 1;
      }
      batch.add(t, true);
      if (i % 60 == 0) {
        batch.add(later[i / 60], true);
      }
    }
    batch.add(tickets[599], true); // the same ticket twice in one batch
    opener.openAll("default", batch, NOW + 300);
    int index = 0;
    for (int i = 0; i < tickets.length; i++, index++) {
      Outcome expected = i % 7 == 3 ? Outcome.AUTH_FAILED : (1 + i <= 300 ? Outcome.EXPIRED : Outcome.OK);
      assertThat(batch.outcome(index)).as("ticket %d", i).isEqualTo(expected);
      if (expected == Outcome.OK) {
        assertThat(batch.state(index)).isEqualTo(states.get(i));
      }
      if (i % 60 == 0) {
        index++;
        assertThat(batch.outcome(index)).as("later ticket %d", i / 60).isEqualTo(Outcome.OK);
      }
    }
    assertThat(batch.outcome(index)).isEqualTo(Outcome.REPLAYED);
  }

  /** A store on a map of key_id || iv to attempt id, as exact as the server's. */
  private static final class SetStore implements SingleUseStore {
    final java.util.Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    int calls;

    @Override
    public void consumeAll(String realm, ConsumeBatch consumes, long nowSeconds) {
      calls++;
      java.util.HexFormat hex = java.util.HexFormat.of();
      for (int i = 0; i < consumes.size(); i++) {
        String key = consumes.keyId(i) + ":" + hex.formatHex(consumes.ivBuffer(i), consumes.ivOffset(i),
            consumes.ivOffset(i) + 12);
        String attempt = consumes.attemptLength(i) == 0 ? "" : hex.formatHex(consumes.attemptBuffer(i),
            consumes.attemptOffset(i), consumes.attemptOffset(i) + consumes.attemptLength(i));
        String before = seen.putIfAbsent(key, attempt);
        consumes.answer(i, before == null ? ConsumeResult.FIRST_USE
            : !attempt.isEmpty() && before.equals(attempt) ? ConsumeResult.SAME_ATTEMPT : ConsumeResult.REPLAYED);
      }
    }
  }
}
