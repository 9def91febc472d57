package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.OpenedTicket;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.core.ticket.SingleUseGuard;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published ticket vectors (docs/ticket-vectors-v1.json), checked with the OpenSSL backend in
 * both directions, as ticket-core's TicketVectorsTest checks them with Bouncy Castle.
 */
class OpenSslTicketVectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void vectors_openToTheirOutcomeAndSealToTheirTicket() throws Exception {
    OpenSslAeadBackend backend = OpenSslAeadBackend.load();
    Path file = Path.of(System.getProperty("basedir", ".")).resolve("../docs/ticket-vectors-v1.json").normalize();
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<String> failures = new ArrayList<>();
    int opened = 0;
    int sealed = 0;
    for (JsonNode v : root.get("vectors")) {
      String name = v.get("name").asText();
      String realm = v.get("realm").asText();
      long now = v.get("now").asLong();
      InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(now));
      MasterSecret master = new MasterSecret(v.get("master_id").asInt(), MasterState.PRIMARY,
          Base64.getDecoder().decode(v.get("master_secret").asText()), Instant.EPOCH);
      KeyRing ring = new KeyRing(List.of(new RealmConfig(realm, v.get("epoch_seconds").asLong(),
          v.get("max_ticket_lifetime_seconds").asLong(), List.of(master))));
      byte[] ticket = hex(v, "ticket");
      Outcome expected = Outcome.valueOf(v.get("outcome").asText());
      IkeSaState state = state(v.get("state"));
      try (KeySchedule keys = new KeySchedule(backend, ring)) {
        OpenedTicket result = new TicketOpener(keys, clock, SingleUseGuard.NONE, 2048, v.get("skew_seconds").asLong())
            .open(realm, ticket, false);
        opened++;
        if (result.outcome() != expected) {
          failures.add(name + ": opened to " + result.outcome() + ", expected " + expected);
        } else if (expected == Outcome.OK && !result.state().equals(state)) {
          failures.add(name + ": opened to another state");
        }
        if (expected == Outcome.OK || expected == Outcome.EXPIRED) {
          sealed++;
          byte[] again = new TicketSealer(keys, clock, new IvSource(), 2048)
              .sealWithFixedIvForTestVectorsOnly(realm, state, hex(v, "iv"), now);
          if (!Arrays.equals(again, ticket)) {
            failures.add(name + ": sealing state with iv at now does not give ticket");
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(opened).isGreaterThanOrEqualTo(10);
    assertThat(sealed).isGreaterThanOrEqualTo(10);
  }

  private static IkeSaState state(JsonNode s) {
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
