package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.server.config.ConnectionLimits;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.NonReadingHttp2Client;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A client that sends calls and never reads their answers: the answers it leaves unread stay counted
 * as in flight (so they cannot pile up unseen), it can pin no more than its connection's share (its
 * further calls are shed while other clients are served), and keepalive cuts it, which releases
 * everything it held. Real server on loopback, raw HTTP/2 client.
 */
class SlowReaderTest {

  private static final int ITEMS = 16;
  private static final int PER_CONNECTION = 2 * ITEMS;
  private static final ServiceLimits LIMITS = ServiceLimits.defaults().withMaxItemsPerRequest(ITEMS)
      .withWorkInFlight(8 * ITEMS, 0.5)
      .withConnections(ConnectionLimits.defaults().withMaxItemsInFlightPerConnection(PER_CONNECTION)
          .withKeepAlive(ConnectionLimits.MIN_KEEPALIVE_TIME, Duration.ofSeconds(1)));
  private static final String OPEN = "/ticketoffload.v1.TicketService/Open";
  private static final String OPEN_STREAM = "/ticketoffload.v1.TicketService/OpenStream";

  @Test
  void clientThatNeverReads_holdsOnlyItsShare_othersServed_thenKeepaliveCutsIt() throws Exception {
    try (LoopbackServer s = new LoopbackServer(LIMITS, TestKeys.ring("default"))) {
      List<ByteString> tickets = s.blocking().seal(States.sealRequest("", ITEMS)).getResultsList().stream()
          .map(r -> r.getTicket()).toList();
      byte[] peeks = States.openRequest("", tickets, true).toByteArray();

      try (NonReadingHttp2Client slow = new NonReadingHttp2Client(s.server.port())) {
        for (int i = 0; i < 6; i++) {
          slow.call(i % 2 == 0 ? OPEN : OPEN_STREAM, peeks); // unary calls and streams alike
        }
        // Two batches fit the connection's share; their answers cannot leave, so they stay in flight.
        await("four calls shed for the connection", () -> shed(s, "connection") == 4);
        await("the answered batches still in flight", () -> s.server.admission().inFlightItems() == PER_CONNECTION);
        Thread.sleep(300);
        assertThat(s.server.admission().inFlightItems()).as("unread answers count until they leave")
            .isEqualTo(PER_CONNECTION);

        // Everyone else is still served meanwhile.
        assertThat(s.blocking().open(States.openRequest("", tickets, true)).getResultsList())
            .extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);

        // The slow one answers no ping: cut after keepalive time + timeout, and what it held is released.
        assertThat(slow.cutByServerWithin(20_000)).as("server sent GOAWAY or closed the connection").isTrue();
        await("nothing in flight after the cut", () -> s.server.admission().inFlightItems() == 0);
      }
      assertThat(s.blocking().open(States.openRequest("", tickets, true)).getResultsCount()).isEqualTo(ITEMS);
    }
  }

  private static double shed(LoopbackServer s, String reason) {
    return s.metrics.registry().find("ticketoffload.shed.requests").tag("reason", reason).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(5);
    }
  }
}
