package dev.ticketoffload.core.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.core.state.IkeSaState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * One published vector of tickets by reference (docs/ticket-vectors-v2.json): the v1 vector's fields
 * plus the ticket's {@code id} and {@code record_iv}, and {@code record}, what the store holds under
 * {@code id} ({@code null}: nothing). The state is written and read by {@link TicketVectors}' code.
 */
record ReferenceVectors(String name, String realm, int masterId, byte[] masterSecret, long epochSeconds,
    long maxTicketLifetimeSeconds, long skewSeconds, long now, byte[] iv, byte[] id, byte[] recordIv,
    IkeSaState state, byte[] ticket, byte[] record, Outcome outcome) {

  private static final HexFormat HEX = HexFormat.of();

  static Path file() {
    return Path.of(System.getProperty("basedir", ".")).resolve("../docs/ticket-vectors-v2.json").normalize();
  }

  /** A key schedule holding just this vector's realm (sealing by reference) and master (primary). */
  KeySchedule keys() {
    MasterSecret master = new MasterSecret(masterId, MasterState.PRIMARY, masterSecret, Instant.EPOCH);
    return new KeySchedule(new BouncyCastleAeadBackend(), new KeyRing(List.of(new RealmConfig(realm,
        epochSeconds, maxTicketLifetimeSeconds, List.of(master), TicketMode.REFERENCE))));
  }

  /**
   * Opens {@code ticket} at {@code now} (a peek) through the service's opener, the store holding
   * {@code record} under {@code id} only, and no revocation.
   */
  OpenedTicket open(KeySchedule keys) {
    SingleUseStore store = new SingleUseStore() {
      @Override
      public void consumeAll(String r, ConsumeBatch consumes, long nowSeconds) {
        SingleUseStore.NONE.consumeAll(r, consumes, nowSeconds);
      }

      @Override
      public void lookUpAndConsume(String r, StoreLookups lookups, ConsumeBatch consumes, long nowSeconds) {
        for (int j = 0; j < lookups.size(); j++) {
          if (lookups.byReference(j) && r.equals(realm) && Arrays.equals(lookups.refIdBuffer(j),
              lookups.refIdOffset(j), lookups.refIdOffset(j) + id.length, id, 0, id.length)) {
            lookups.answerRecord(j, record);
          }
        }
        consumeAll(r, consumes, nowSeconds);
      }
    };
    return TestOpens.open(new TicketOpener(keys, 2048, skewSeconds), realm, ticket, false, now, store);
  }

  /** Seals {@code state} with {@code iv}, {@code id} and {@code record_iv} at {@code now}. */
  SealedReference seal(KeySchedule keys) {
    return new ReferenceSealer(keys, () -> Instant.ofEpochSecond(now), new IvSource())
        .sealWithFixedRandomForTestVectorsOnly(realm, state, iv, id, recordIv, now);
  }

  ObjectNode toJson() {
    ObjectNode v = TicketVectors.JSON.createObjectNode();
    v.put("name", name);
    v.put("realm", realm);
    v.put("master_id", masterId);
    v.put("master_secret", Base64.getEncoder().encodeToString(masterSecret));
    v.put("epoch_seconds", epochSeconds);
    v.put("max_ticket_lifetime_seconds", maxTicketLifetimeSeconds);
    v.put("skew_seconds", skewSeconds);
    v.put("now", now);
    v.put("iv", HEX.formatHex(iv));
    v.put("id", HEX.formatHex(id));
    v.put("record_iv", HEX.formatHex(recordIv));
    v.set("state", TicketVectors.stateToJson(state));
    v.put("ticket", HEX.formatHex(ticket));
    if (record == null) {
      v.putNull("record");
    } else {
      v.put("record", HEX.formatHex(record));
    }
    v.put("outcome", outcome.name());
    return v;
  }

  static ReferenceVectors fromJson(JsonNode v) {
    JsonNode record = v.get("record");
    return new ReferenceVectors(v.get("name").asText(), v.get("realm").asText(), v.get("master_id").asInt(),
        Base64.getDecoder().decode(v.get("master_secret").asText()), v.get("epoch_seconds").asLong(),
        v.get("max_ticket_lifetime_seconds").asLong(), v.get("skew_seconds").asLong(), v.get("now").asLong(),
        hex(v, "iv"), hex(v, "id"), hex(v, "record_iv"), TicketVectors.stateFromJson(v.get("state")),
        hex(v, "ticket"), record.isNull() ? null : HEX.parseHex(record.asText()),
        Outcome.valueOf(v.get("outcome").asText()));
  }

  private static byte[] hex(JsonNode node, String field) {
    return HEX.parseHex(node.get(field).asText());
  }
}
