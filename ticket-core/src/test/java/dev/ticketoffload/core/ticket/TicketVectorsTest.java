package dev.ticketoffload.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Checks docs/ticket-vectors-v1.json in both directions: opening {@code ticket} at {@code now} gives
 * {@code outcome} (and {@code state} on OK); for OK and EXPIRED vectors, sealing {@code state} with
 * {@code iv} at {@code now} gives exactly {@code ticket}. The file was written once by
 * {@link #regenerate()} ({@code ./mvnw -pl ticket-core test -Dtest=TicketVectorsTest -Dticket.vectors.regenerate=true}).
 */
class TicketVectorsTest {

  private static final Set<Outcome> SEALED_AS_IS = EnumSet.of(Outcome.OK, Outcome.EXPIRED);

  @Test
  void vectors_openToTheirOutcomeAndSealToTheirTicket() throws Exception {
    JsonNode root = TicketVectors.JSON.readTree(TicketVectors.file().toFile());
    List<String> failures = new ArrayList<>();
    Set<Outcome> covered = EnumSet.noneOf(Outcome.class);
    int sealedChecks = 0;
    for (JsonNode node : root.get("vectors")) {
      TicketVectors v = TicketVectors.fromJson(node);
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
          if (!Arrays.equals(v.seal(keys), v.ticket())) {
            failures.add(v.name() + ": sealing state with iv at now does not give ticket");
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(sealedChecks).isGreaterThanOrEqualTo(10);
    // Replays need a store; revocations and missing states belong to the v2 vectors and the server.
    assertThat(covered).containsAll(EnumSet.complementOf(
        EnumSet.of(Outcome.REPLAYED, Outcome.REVOKED, Outcome.STATE_NOT_FOUND)));
  }

  @Test
  @EnabledIfSystemProperty(named = "ticket.vectors.regenerate", matches = "true")
  void regenerate() throws Exception {
    ObjectNode root = TicketVectors.JSON.createObjectNode();
    ArrayNode array = root.putArray("vectors");
    for (TicketVectors v : build()) {
      array.add(v.toJson());
    }
    Files.writeString(TicketVectors.file(),
        TicketVectors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  private static final long NOW = 1_764_190_000L;
  private static final HexFormat HEX = HexFormat.of();

  private static List<TicketVectors> build() {
    byte[] secret1 = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] secret7 = HEX.parseHex("f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff");
    byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
    IkeSaState reference = TestStates.reference(NOW, 3600);
    IkeSaState minimal = IkeSaState.builder().issuedAtSeconds(NOW).expiresAtSeconds(NOW + 60)
        .spiI(new byte[8]).spiR(TestStates.filled(8, 0xFF)).authMethod(0).flags(0)
        .skD(new byte[] {0x42}).idI(new byte[] {1}).idR(new byte[] {2}).saR(new byte[] {3}).build();
    List<TicketVectors> out = new ArrayList<>();
    Builder b = new Builder(secret1, iv);
    out.add(b.ok("reference", reference));
    out.add(b.ok("all-fields-minimum", minimal));
    out.add(b.ok("sk_d-maximum", reference.toBuilder().skD(TestStates.filled(64, 0xD0)).build()));
    out.add(b.ok("id_i-maximum", reference.toBuilder().idI(TestStates.filled(1024, 0x11)).build()));
    out.add(b.ok("id_r-maximum", reference.toBuilder().idR(TestStates.filled(1024, 0x22)).build()));
    out.add(b.ok("sa_r-maximum", reference.toBuilder().saR(TestStates.filled(1024, 0x33)).build()));
    out.add(b.ok("ext-maximum", reference.toBuilder().ext(TestStates.filled(1024, 0x44)).build()));
    out.add(b.ok("ext-some", reference.toBuilder().ext("gateway-42".getBytes()).build()));
    out.add(b.ok("no-eap", reference.toBuilder().flags(0).authMethod(14).build()));
    out.add(new Builder(secret7, iv).masterId(7).ok("master-7", reference));
    out.add(new Builder(secret1, iv).realm("fleet-eu.west_1").ok("realm-fleet-eu", reference));
    out.add(new Builder(secret1, iv).epochSeconds(300).maxLifetime(3600).ok("short-epoch", reference));
    out.add(b.withSkew(30).at(NOW + 3600).ok("expired-but-within-skew", reference));
    out.add(b.at(NOW + 3600).outcome("expired-at-expires_at", reference, Outcome.EXPIRED, t -> t));
    out.add(b.outcome("tag-bit-flipped", reference, Outcome.AUTH_FAILED, t -> flip(t, t.length - 1, 0x01)));
    out.add(b.outcome("ciphertext-bit-flipped", reference, Outcome.AUTH_FAILED, t -> flip(t, 40, 0x80)));
    out.add(b.outcome("iv-bit-flipped", reference, Outcome.AUTH_FAILED, t -> flip(t, 12, 0x01)));
    out.add(b.outcome("reserved-byte-set", reference, Outcome.AUTH_FAILED, t -> flip(t, 2, 0x01)));
    out.add(b.outcome("epoch-changed", reference, Outcome.AUTH_FAILED, t -> flip(t, 11, 0x01)));
    out.add(b.outcome("truncated-by-one", reference, Outcome.AUTH_FAILED, t -> Arrays.copyOf(t, t.length - 1)));
    out.add(b.outcome("extended-by-one", reference, Outcome.AUTH_FAILED, t -> Arrays.copyOf(t, t.length + 1)));
    out.add(b.outcome("truncated-to-header", reference, Outcome.MALFORMED, t -> Arrays.copyOf(t, 24)));
    out.add(b.outcome("empty", reference, Outcome.MALFORMED, t -> new byte[0]));
    out.add(b.outcome("longer-than-max_ticket_bytes", reference, Outcome.MALFORMED, t -> Arrays.copyOf(t, 2049)));
    out.add(b.outcome("wrong-version", reference, Outcome.UNSUPPORTED_VERSION, t -> set(t, 0, 0x03)));
    out.add(b.outcome("unknown-master", reference, Outcome.UNKNOWN_KEY, t -> set(t, 5, 0x09)));
    out.add(new Builder(secret1, iv).realm("other").outcome("other-realm-same-secret",
        reference, Outcome.AUTH_FAILED, t -> sealedIn("default", secret1, reference, iv)));
    // Sealed at NOW, opened 26 epochs later: outside [now_epoch - 25, now_epoch + 1].
    out.add(b.at(NOW + 26 * 3600).outcome("epoch-too-old", reference, Outcome.UNKNOWN_KEY, t -> t));
    // Sealed at NOW, opened two epochs earlier: beyond now_epoch + 1.
    out.add(b.at(NOW - 2 * 3600).outcome("epoch-in-future", reference, Outcome.UNKNOWN_KEY, t -> t));
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

  private static byte[] sealedIn(String realm, byte[] secret, IkeSaState state, byte[] iv) {
    TicketVectors v = new TicketVectors("", realm, 1, secret, 3600, 86_400, 0, NOW, iv, state, null, null);
    try (KeySchedule keys = v.keys()) {
      return v.seal(keys);
    }
  }

  /** Makes vectors: seals at NOW with the builder's key, then moves the clock and mutates the ticket. */
  private static final class Builder {
    private final byte[] secret;
    private final byte[] iv;
    private String realm = "default";
    private int masterId = 1;
    private long epochSeconds = 3600;
    private long maxLifetime = 86_400;
    private long skew;
    private long now = NOW;

    Builder(byte[] secret, byte[] iv) {
      this.secret = secret;
      this.iv = iv;
    }

    private Builder copy() {
      Builder c = new Builder(secret, iv);
      c.realm = realm;
      c.masterId = masterId;
      c.epochSeconds = epochSeconds;
      c.maxLifetime = maxLifetime;
      c.skew = skew;
      c.now = now;
      return c;
    }

    Builder realm(String r) { Builder c = copy(); c.realm = r; return c; }
    Builder masterId(int id) { Builder c = copy(); c.masterId = id; return c; }
    Builder epochSeconds(long s) { Builder c = copy(); c.epochSeconds = s; return c; }
    Builder maxLifetime(long s) { Builder c = copy(); c.maxLifetime = s; return c; }
    Builder withSkew(long s) { Builder c = copy(); c.skew = s; return c; }
    Builder at(long seconds) { Builder c = copy(); c.now = seconds; return c; }

    TicketVectors ok(String name, IkeSaState state) {
      return outcome(name, state, Outcome.OK, t -> t);
    }

    TicketVectors outcome(String name, IkeSaState state, Outcome outcome, UnaryOperator<byte[]> mutate) {
      // Vectors whose ticket is the sealer's own output are sealed at `now`; the others at NOW.
      long sealedAt = SEALED_AS_IS.contains(outcome) ? now : NOW;
      TicketVectors sealing = new TicketVectors(name, realm, masterId, secret, epochSeconds, maxLifetime,
          skew, sealedAt, iv, state, null, outcome);
      byte[] ticket;
      try (KeySchedule keys = sealing.keys()) {
        ticket = mutate.apply(sealing.seal(keys));
      }
      TicketVectors v = new TicketVectors(name, realm, masterId, secret, epochSeconds, maxLifetime, skew,
          now, iv, state, ticket, outcome);
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
