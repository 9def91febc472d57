package dev.ticketoffload.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.state.IkeSaState;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Checks docs/ticket-vectors-v2.json (tickets by reference) in both directions: opening {@code ticket}
 * at {@code now}, the store holding {@code record} under {@code id}, gives {@code outcome} (and
 * {@code state} on OK); for OK and EXPIRED vectors, sealing {@code state} with {@code iv}, {@code id}
 * and {@code record_iv} at {@code now} gives exactly {@code ticket} and {@code record}. Written once by
 * {@link #regenerate()} ({@code ./mvnw -pl ticket-core test -Dtest=ReferenceVectorsTest -Dticket.vectors.regenerate=true}).
 */
class ReferenceVectorsTest {

  private static final Set<Outcome> SEALED_AS_IS = EnumSet.of(Outcome.OK, Outcome.EXPIRED);

  @Test
  void vectors_openToTheirOutcomeAndSealToTheirTicketAndRecord() throws Exception {
    JsonNode root = TicketVectors.JSON.readTree(ReferenceVectors.file().toFile());
    List<String> failures = new ArrayList<>();
    Set<Outcome> covered = EnumSet.noneOf(Outcome.class);
    int sealedChecks = 0;
    for (JsonNode node : root.get("vectors")) {
      ReferenceVectors v = ReferenceVectors.fromJson(node);
      try (KeySchedule keys = v.keys()) {
        OpenedTicket opened = v.open(keys);
        covered.add(opened.outcome());
        if (opened.outcome() != v.outcome()) {
          failures.add(v.name() + ": opened to " + opened.outcome() + ", expected " + v.outcome());
        } else if (v.outcome() == Outcome.OK && !opened.state().equals(v.state())) {
          failures.add(v.name() + ": opened to another state");
        }
        if (SEALED_AS_IS.contains(v.outcome())) {
          sealedChecks++;
          if (v.ticket().length > 64) {
            failures.add(v.name() + ": a ticket by reference is longer than 64 bytes");
          }
          SealedReference sealed = v.seal(keys);
          if (!Arrays.equals(sealed.ticket(), v.ticket()) || !Arrays.equals(sealed.record(), v.record())
              || !Arrays.equals(sealed.id(), v.id())) {
            failures.add(v.name() + ": sealing state with iv, id and record_iv at now does not give ticket and record");
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(sealedChecks).isGreaterThanOrEqualTo(6);
    // Replays and revocations need a store with history: the server's tests cover them.
    assertThat(covered).containsAll(EnumSet.complementOf(EnumSet.of(Outcome.REPLAYED, Outcome.REVOKED)));
  }

  @Test
  @EnabledIfSystemProperty(named = "ticket.vectors.regenerate", matches = "true")
  void regenerate() throws Exception {
    ObjectNode root = TicketVectors.JSON.createObjectNode();
    ArrayNode array = root.putArray("vectors");
    for (ReferenceVectors v : build()) {
      array.add(v.toJson());
    }
    Files.writeString(ReferenceVectors.file(),
        TicketVectors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  private static final long NOW = 1_764_190_000L;
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET_1 =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] IV = HEX.parseHex("cafebabefacedbaddecaf888");
  private static final byte[] ID = HEX.parseHex("00112233445566778899aabbccddeeff");
  private static final byte[] OTHER_ID = HEX.parseHex("ffeeddccbbaa99887766554433221100");
  private static final byte[] RECORD_IV = HEX.parseHex("5eed0fda7a5eed0fda7a5eed");

  private static List<ReferenceVectors> build() {
    byte[] secret7 = HEX.parseHex("f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff");
    IkeSaState reference = TestStates.reference(NOW, 3600);
    IkeSaState minimal = IkeSaState.builder().issuedAtSeconds(NOW).expiresAtSeconds(NOW + 60)
        .spiI(new byte[8]).spiR(TestStates.filled(8, 0xFF)).authMethod(0).flags(0)
        .skD(new byte[] {0x42}).idI(new byte[] {1}).idR(new byte[] {2}).saR(new byte[] {3}).build();
    List<ReferenceVectors> out = new ArrayList<>();
    Builder b = new Builder(SECRET_1);
    out.add(b.ok("reference", reference));
    out.add(b.ok("all-fields-minimum", minimal));
    out.add(b.ok("id_i-maximum", reference.toBuilder().idI(TestStates.filled(1024, 0x11)).build()));
    out.add(new Builder(secret7).masterId(7).ok("master-7", reference));
    out.add(new Builder(SECRET_1).realm("fleet-eu.west_1").ok("realm-fleet-eu", reference));
    out.add(b.withSkew(30).at(NOW + 3600).ok("expired-but-within-skew", reference));
    out.add(b.at(NOW + 3600).outcome("expired-at-expires_at", reference, Outcome.EXPIRED, t -> t, r -> r));
    // The ticket changed.
    out.add(b.ticket("tag-bit-flipped", reference, Outcome.AUTH_FAILED, t -> flip(t, t.length - 1, 0x01)));
    out.add(b.ticket("id-bit-flipped", reference, Outcome.AUTH_FAILED, t -> flip(t, ReferenceFormat.ID_OFFSET, 0x80)));
    out.add(b.ticket("expires_at-bit-flipped", reference, Outcome.AUTH_FAILED,
        t -> flip(t, ReferenceFormat.EXPIRES_AT_OFFSET + 7, 0x01)));
    out.add(b.ticket("iv-bit-flipped", reference, Outcome.AUTH_FAILED, t -> flip(t, 12, 0x01)));
    out.add(b.ticket("reserved-byte-set", reference, Outcome.AUTH_FAILED, t -> flip(t, 2, 0x01)));
    out.add(b.ticket("truncated-by-one", reference, Outcome.MALFORMED, t -> Arrays.copyOf(t, t.length - 1)));
    out.add(b.ticket("extended-by-one", reference, Outcome.MALFORMED, t -> Arrays.copyOf(t, t.length + 1)));
    out.add(b.ticket("truncated-to-header", reference, Outcome.MALFORMED, t -> Arrays.copyOf(t, 24)));
    out.add(b.ticket("empty", reference, Outcome.MALFORMED, t -> new byte[0]));
    // Only 0x02 selects format v2; any other first byte is judged by v1's rules, length first.
    out.add(b.ticket("unknown-version-at-64-bytes", reference, Outcome.MALFORMED, t -> set(t, 0, 0x03)));
    out.add(b.ticket("unknown-version-at-v1-length", reference, Outcome.UNSUPPORTED_VERSION,
        t -> set(Arrays.copyOf(t, 100), 0, 0x03)));
    out.add(b.ticket("unknown-master", reference, Outcome.UNKNOWN_KEY, t -> set(t, 5, 0x09)));
    out.add(new Builder(SECRET_1).realm("other").ticket("other-realm-same-secret", reference, Outcome.AUTH_FAILED,
        t -> b.sealed(reference).ticket()));
    out.add(b.at(NOW + 26 * 3600).ticket("epoch-too-old", reference, Outcome.UNKNOWN_KEY, t -> t));
    // The ticket intact, the store record not.
    out.add(b.record("record-missing", reference, Outcome.STATE_NOT_FOUND, r -> null));
    out.add(b.record("record-tag-bit-flipped", reference, Outcome.AUTH_FAILED, r -> flip(r, r.length - 1, 0x01)));
    out.add(b.record("record-ciphertext-bit-flipped", reference, Outcome.AUTH_FAILED,
        r -> flip(r, ReferenceFormat.RECORD_CIPHERTEXT_OFFSET + 20, 0x04)));
    out.add(b.record("record-iv-bit-flipped", reference, Outcome.AUTH_FAILED,
        r -> flip(r, ReferenceFormat.RECORD_IV_OFFSET, 0x01)));
    out.add(b.record("record-truncated-by-one", reference, Outcome.AUTH_FAILED, r -> Arrays.copyOf(r, r.length - 1)));
    out.add(b.record("record-truncated-to-overhead", reference, Outcome.MALFORMED,
        r -> Arrays.copyOf(r, ReferenceFormat.RECORD_OVERHEAD_IN_BYTES)));
    out.add(b.record("record-wrong-version", reference, Outcome.MALFORMED, r -> set(r, 0, 0x02)));
    out.add(b.record("record-under-another-id", reference, Outcome.AUTH_FAILED,
        r -> b.id(OTHER_ID).sealed(reference).record()));
    // Authentic for this id and key, but its state's expiry is not the ticket's: cannot happen for
    // records we sealed (the id is random), refused all the same.
    out.add(b.record("record-state-expires_at-differs", reference, Outcome.MALFORMED,
        r -> b.sealed(reference.toBuilder().expiresAtSeconds(NOW + 60).build()).record()));
    out.add(b.record("record-from-another-realm-same-secret", reference, Outcome.AUTH_FAILED,
        r -> new Builder(SECRET_1).realm("other").sealed(reference).record()));
    return out;
  }

  private static byte[] flip(byte[] t, int index, int mask) {
    t[index] ^= (byte) mask;
    return t;
  }

  private static byte[] set(byte[] t, int index, int value) {
    t[index] = (byte) value;
    return t;
  }

  /** Makes vectors: seals at NOW with the builder's key and id, moves the clock, mutates ticket or record. */
  private static final class Builder {
    private final byte[] secret;
    private String realm = "default";
    private int masterId = 1;
    private byte[] id = ID;
    private long skew;
    private long now = NOW;

    Builder(byte[] secret) {
      this.secret = secret;
    }

    private Builder copy() {
      Builder c = new Builder(secret);
      c.realm = realm;
      c.masterId = masterId;
      c.id = id;
      c.skew = skew;
      c.now = now;
      return c;
    }

    Builder realm(String r) { Builder c = copy(); c.realm = r; return c; }
    Builder masterId(int m) { Builder c = copy(); c.masterId = m; return c; }
    Builder id(byte[] i) { Builder c = copy(); c.id = i; return c; }
    Builder withSkew(long s) { Builder c = copy(); c.skew = s; return c; }
    Builder at(long seconds) { Builder c = copy(); c.now = seconds; return c; }

    SealedReference sealed(IkeSaState state) {
      return sealedAt(NOW, state);
    }

    private SealedReference sealedAt(long sealedAt, IkeSaState state) {
      ReferenceVectors sealing = vector("", sealedAt, state, null, null, null);
      try (KeySchedule keys = sealing.keys()) {
        return sealing.seal(keys);
      }
    }

    private ReferenceVectors vector(String name, long at, IkeSaState state, byte[] ticket, byte[] record,
        Outcome outcome) {
      return new ReferenceVectors(name, realm, masterId, secret, 3600, 86_400, skew, at, IV, id, RECORD_IV, state,
          ticket, record, outcome);
    }

    ReferenceVectors ok(String name, IkeSaState state) {
      return outcome(name, state, Outcome.OK, t -> t, r -> r);
    }

    ReferenceVectors ticket(String name, IkeSaState state, Outcome outcome, UnaryOperator<byte[]> mutate) {
      return outcome(name, state, outcome, mutate, r -> r);
    }

    ReferenceVectors record(String name, IkeSaState state, Outcome outcome, UnaryOperator<byte[]> mutate) {
      return outcome(name, state, outcome, t -> t, mutate);
    }

    ReferenceVectors outcome(String name, IkeSaState state, Outcome outcome, UnaryOperator<byte[]> ticketChange,
        UnaryOperator<byte[]> recordChange) {
      // Vectors whose ticket and record are the sealer's own output are sealed at `now`; the others at NOW.
      SealedReference sealed = sealedAt(SEALED_AS_IS.contains(outcome) ? now : NOW, state);
      ReferenceVectors v = vector(name, now, state, ticketChange.apply(sealed.ticket()),
          recordChange.apply(sealed.record()), outcome);
      try (KeySchedule keys = v.keys()) {
        Outcome actual = v.open(keys).outcome();
        if (actual != outcome) {
          throw new AssertionError(name + ": opens to " + actual + ", not " + outcome);
        }
      }
      return v;
    }
  }
}
