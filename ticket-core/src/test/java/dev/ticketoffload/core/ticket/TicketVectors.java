package dev.ticketoffload.core.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.state.IkeSaState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * One published ticket vector (docs/ticket-vectors-v1.json) and how to read, write and check it.
 * Public, in ticket-core's test-jar, so that every backend's module checks the same vectors.
 */
public record TicketVectors(String name, String realm, int masterId, byte[] masterSecret, long epochSeconds,
    long maxTicketLifetimeSeconds, long skewSeconds, long now, byte[] iv, IkeSaState state,
    byte[] ticket, Outcome outcome) {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** The vectors file of this repository, found from the module directory Maven runs tests in. */
  public static Path file() {
    return Path.of(System.getProperty("basedir", ".")).resolve("../docs/ticket-vectors-v1.json").normalize();
  }

  /** Every vector of the file, in its order. */
  public static List<TicketVectors> all() throws IOException {
    List<TicketVectors> vectors = new ArrayList<>();
    for (JsonNode node : JSON.readTree(file().toFile()).get("vectors")) {
      vectors.add(fromJson(node));
    }
    return vectors;
  }

  /** A key schedule holding just this vector's realm and master (primary), on Bouncy Castle. */
  KeySchedule keys() {
    return keys(new BouncyCastleAeadBackend());
  }

  /** A key schedule holding just this vector's realm and master (primary), on {@code backend}. */
  public KeySchedule keys(AeadBackend backend) {
    MasterSecret master = new MasterSecret(masterId, MasterState.PRIMARY, masterSecret, Instant.EPOCH);
    return new KeySchedule(backend, new KeyRing(List.of(
        new RealmConfig(realm, epochSeconds, maxTicketLifetimeSeconds, List.of(master)))));
  }

  /** Opens {@code ticket} at {@code now} as the vector says (no replay guard). */
  public OpenedTicket open(KeySchedule keys) {
    return TestOpens.open(new TicketOpener(keys, 2048, skewSeconds), realm, ticket, false, now,
        SingleUseStore.NONE);
  }

  /** Seals {@code state} with {@code iv} at {@code now}. */
  public byte[] seal(KeySchedule keys) {
    TicketSealer sealer = new TicketSealer(keys, () -> Instant.ofEpochSecond(now), new IvSource(), 2048);
    return sealer.sealWithFixedIvForTestVectorsOnly(realm, state, iv, now);
  }

  ObjectNode toJson() {
    ObjectNode v = JSON.createObjectNode();
    v.put("name", name);
    v.put("realm", realm);
    v.put("master_id", masterId);
    v.put("master_secret", Base64.getEncoder().encodeToString(masterSecret));
    v.put("epoch_seconds", epochSeconds);
    v.put("max_ticket_lifetime_seconds", maxTicketLifetimeSeconds);
    v.put("skew_seconds", skewSeconds);
    v.put("now", now);
    v.put("iv", HEX.formatHex(iv));
    v.set("state", stateToJson(state));
    v.put("ticket", HEX.formatHex(ticket));
    v.put("outcome", outcome.name());
    return v;
  }

  static TicketVectors fromJson(JsonNode v) {
    IkeSaState state = stateFromJson(v.get("state"));
    return new TicketVectors(v.get("name").asText(), v.get("realm").asText(), v.get("master_id").asInt(),
        Base64.getDecoder().decode(v.get("master_secret").asText()), v.get("epoch_seconds").asLong(),
        v.get("max_ticket_lifetime_seconds").asLong(), v.get("skew_seconds").asLong(), v.get("now").asLong(),
        hex(v, "iv"), state, hex(v, "ticket"), Outcome.valueOf(v.get("outcome").asText()));
  }

  /** A vector's state as JSON (byte strings in hex); shared with the v2 vectors. */
  static ObjectNode stateToJson(IkeSaState state) {
    ObjectNode s = JSON.createObjectNode();
    s.put("issued_at", state.issuedAtSeconds());
    s.put("expires_at", state.expiresAtSeconds());
    s.put("spi_i", HEX.formatHex(state.spiI()));
    s.put("spi_r", HEX.formatHex(state.spiR()));
    s.put("auth_method", state.authMethod());
    s.put("flags", state.flags());
    s.put("sk_d", HEX.formatHex(state.skDSecret()));
    s.put("id_i", HEX.formatHex(state.idI()));
    s.put("id_r", HEX.formatHex(state.idR()));
    s.put("sa_r", HEX.formatHex(state.saR()));
    s.put("ext", HEX.formatHex(state.ext()));
    return s;
  }

  static IkeSaState stateFromJson(JsonNode s) {
    return IkeSaState.builder()
        .issuedAtSeconds(s.get("issued_at").asLong()).expiresAtSeconds(s.get("expires_at").asLong())
        .spiI(hex(s, "spi_i")).spiR(hex(s, "spi_r"))
        .authMethod(s.get("auth_method").asInt()).flags(s.get("flags").asInt())
        .skD(hex(s, "sk_d")).idI(hex(s, "id_i")).idR(hex(s, "id_r")).saR(hex(s, "sa_r")).ext(hex(s, "ext"))
        .build();
  }

  private static byte[] hex(JsonNode node, String field) {
    return HEX.parseHex(node.get(field).asText());
  }
}
