package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.ticket.OpenedTicket;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.core.ticket.TicketVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published ticket vectors (docs/ticket-vectors-v1.json), checked with the OpenSSL backend in
 * both directions, as ticket-core's TicketVectorsTest checks them with Bouncy Castle: the vectors
 * and their reader come from ticket-core's test-jar ({@link TicketVectors}).
 */
class OpenSslTicketVectorsTest {

  @Test
  void vectors_openToTheirOutcomeAndSealToTheirTicket() throws Exception {
    OpenSslAeadBackend backend = OpenSslAeadBackend.load();
    List<String> failures = new ArrayList<>();
    int opened = 0;
    int sealed = 0;
    for (TicketVectors v : TicketVectors.all()) {
      Outcome expected = v.outcome();
      try (KeySchedule keys = v.keys(backend)) {
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
