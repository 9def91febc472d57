package dev.ticketoffload.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.client.TicketOffloadClient;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway client (offload-api) against the real TicketServer over loopback Netty. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TicketOffloadClientServerTest {

  private LoopbackServer server;
  private TicketOffloadClient client;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (client != null) {
      client.close(Duration.ofSeconds(1));
    }
    if (server != null) {
      server.close();
    }
  }

  private TicketOffloadClient clientTo(LoopbackServer s, int maxBatchItems) {
    return TicketOffloadClient.builder().addresses("127.0.0.1:" + s.server.port())
        .maxBatchItems(maxBatchItems).maxOutstandingItems(256).linger(Duration.ofMillis(2)).build();
  }

  private static <T> List<T> joinAll(List<CompletableFuture<T>> futures) throws Exception {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    return futures.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void sealedTickets_openOnce_thenAreReplayed_andTamperedOnesFailAuthentication() throws Exception {
    server = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"));
    client = clientTo(server, 64);
    List<CompletableFuture<SealResult>> seals = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      seals.add(client.seal(States.reference(i), 600));
    }
    List<ByteString> tickets = joinAll(seals).stream().map(SealResult::getTicket).toList();

    List<CompletableFuture<OpenResult>> opens = new ArrayList<>();
    for (ByteString ticket : tickets) {
      opens.add(client.open(ticket));
    }
    List<OpenResult> opened = joinAll(opens);
    for (int i = 0; i < opened.size(); i++) {
      assertThat(opened.get(i).getOutcome()).isEqualTo(Outcome.OK);
      assertThat(opened.get(i).getState()).isEqualTo(States.reference(i));
    }
    assertThat(client.open(tickets.get(7)).get(5, TimeUnit.SECONDS).getOutcome()).isEqualTo(Outcome.REPLAYED);
    byte[] tampered = tickets.get(8).toByteArray();
    tampered[tampered.length - 1] ^= 1;
    assertThat(client.peek(ByteString.copyFrom(tampered)).get(5, TimeUnit.SECONDS).getOutcome())
        .isEqualTo(Outcome.AUTH_FAILED);
    assertThat(client.stats().rpcsSent()).isLessThan(500 / 64 * 2 + 10);
  }

  @Test
  void overloadedServer_shedsWithPushback_andTheClientRetriesUntilEverythingIsAnswered() throws Exception {
    // 16 items in flight at most: of the client's concurrent 16-item batches, all but one are shed.
    ServiceLimits tight = new ServiceLimits(16, 2048, 16 << 20, 64, 16, 1.0, Duration.ofMillis(5),
        1_000_000, WhenFull.REFUSE, 0, dev.ticketoffload.server.config.ConnectionLimits.defaults());
    server = new LoopbackServer(tight, TestKeys.ring("default"));
    client = TicketOffloadClient.builder().addresses("127.0.0.1:" + server.server.port())
        .maxBatchItems(16).maxOutstandingItems(256).maxAttempts(100).build();
    List<CompletableFuture<SealResult>> seals = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      seals.add(client.seal(States.reference(i), 600));
    }

    List<SealResult> sealed = joinAll(seals);

    assertThat(sealed).hasSize(2000).allSatisfy(r -> assertThat(r.getTicket().isEmpty()).isFalse());
    assertThat(client.stats().rpcsShed()).isPositive();
    assertThat(client.stats().retries()).isEqualTo(client.stats().rpcsShed());
    assertThat(client.stats().itemsFailed()).isZero();
  }
}
