package dev.ticketoffload.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.openssl.OpenSslAeadBackend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published ticket vectors (docs/ticket-vectors-v1.json), checked with the OpenSSL backend in
 * both directions, as ticket-core's TicketVectorsTest checks them with Bouncy Castle.
 *
 * <p>In ticket-core's test package (split across the two modules' test classpaths, which is fine
 * without module descriptors) to reuse its package-private reader, {@link TicketVectors} from the
 * ticket-core test-jar, rather than parse the file a second time.
 */
class OpenSslTicketVectorsTest {

  @Test
  void vectors_openToTheirOutcomeAndSealToTheirTicket() throws Exception {
    OpenSslAeadBackend backend = OpenSslAeadBackend.load();
    JsonNode root = TicketVectors.JSON.readTree(TicketVectors.file().toFile());
    List<String> failures = new ArrayList<>();
    int opened = 0;
    int sealed = 0;
    for (JsonNode node : root.get("vectors")) {
      TicketVectors v = TicketVectors.fromJson(node);
      // TicketVectors.keys() binds Bouncy Castle; the same ring, bound to OpenSSL.
      MasterSecret master = new MasterSecret(v.masterId(), MasterState.PRIMARY, v.masterSecret(), Instant.EPOCH);
      KeyRing ring = new KeyRing(List.of(new RealmConfig(v.realm(), v.epochSeconds(),
          v.maxTicketLifetimeSeconds(), List.of(master))));
      Outcome expected = v.outcome();
      try (KeySchedule keys = new KeySchedule(backend, ring)) {
        OpenedTicket result = v.open(keys);
        opened++;
        if (result.outcome() != expected) {
          failures.add(v.name() + ": opened to " + result.outcome() + ", expected " + expected);
        } else if (expected == Outcome.OK && !result.state().equals(v.state())) {
          failures.add(v.name() + ": opened to another state");
        }
        if (expected == Outcome.OK || expected == Outcome.EXPIRED) {
          sealed++;
          if (!Arrays.equals(v.seal(keys), v.ticket())) {
            failures.add(v.name() + ": sealing state with iv at now does not give ticket");
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(opened).isGreaterThanOrEqualTo(10);
    assertThat(sealed).isGreaterThanOrEqualTo(10);
  }
}
