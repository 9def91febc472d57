package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.StreamCalls;
import dev.ticketoffload.server.testing.TestKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every outcome through the wire, unary and streaming, in mixed batches. */
class TicketServiceOutcomesTest {

  private LoopbackServer loopback;

  @BeforeEach
  void start() throws Exception {
    loopback = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default", "other"));
  }

  @AfterEach
  void stop() throws Exception {
    loopback.close();
  }

  private List<ByteString> seal(int n, int lifetimeSeconds) {
    SealRequest.Builder request = SealRequest.newBuilder();
    for (int i = 0; i < n; i++) {
      request.addItems(SealItem.newBuilder().setRef(i).setState(States.reference(i)).setLifetimeSeconds(lifetimeSeconds));
    }
    return loopback.blocking().seal(request.build()).getResultsList().stream().map(SealResult::getTicket).toList();
  }

  private static ByteString withByte(ByteString ticket, int index, int xor) {
    byte[] b = ticket.toByteArray();
    b[index] ^= (byte) xor;
    return ByteString.copyFrom(b);
  }

  /** Seven tickets, one per outcome, in the order of the Outcome enum after OUTCOME_UNSPECIFIED. */
  private List<ByteString> oneOfEachOutcome() {
    List<ByteString> good = seal(4, 3600);
    ByteString replayed = good.get(1);
    loopback.blocking().open(States.openRequest("", List.of(replayed), false));
    ByteString expiring = seal(1, 60).getFirst();
    loopback.clock.advance(61);
    List<ByteString> tickets = new ArrayList<>();
    tickets.add(good.get(0));                               // OK
    tickets.add(good.get(2).substring(0, 30));              // MALFORMED (truncated)
    tickets.add(withByte(good.get(2), 0, 0x02));            // UNSUPPORTED_VERSION (3; 2 is by reference)
    tickets.add(withByte(good.get(2), 4, 0x40));            // UNKNOWN_KEY (master id)
    tickets.add(withByte(good.get(3), good.get(3).size() - 1, 0x01)); // AUTH_FAILED (tag)
    tickets.add(expiring);                                  // EXPIRED
    tickets.add(replayed);                                  // REPLAYED
    return tickets;
  }

  private static final List<Outcome> EXPECTED = List.of(Outcome.OK, Outcome.MALFORMED, Outcome.UNSUPPORTED_VERSION,
      Outcome.UNKNOWN_KEY, Outcome.AUTH_FAILED, Outcome.EXPIRED, Outcome.REPLAYED);

  @Test
  void open_unaryMixedBatch_givesEveryOutcomePerItem() {
    OpenResponse response = loopback.blocking().open(States.openRequest("", oneOfEachOutcome(), false));

    assertThat(response.getResultsList()).extracting(OpenResult::getOutcome).containsExactlyElementsOf(EXPECTED);
    assertThat(response.getResultsList()).extracting(OpenResult::getRef)
        .containsExactly(1000L, 1001L, 1002L, 1003L, 1004L, 1005L, 1006L);
    OpenResult ok = response.getResults(0);
    assertThat(ok.getState()).isEqualTo(States.reference(0));
    assertThat(ok.getExpiresAt()).isEqualTo(ok.getIssuedAt() + 3600);
    assertThat(response.getResults(5).getExpiresAt()).isNotZero();
    assertThat(response.getResults(6).getExpiresAt()).isNotZero();
    assertThat(response.getResults(4).hasState()).isFalse();
  }

  /**
   * The service encodes its answers itself (WireOpenResponse), not through protobuf: the bytes it
   * sends must be exactly what protobuf serializes for the message they parse to, for every outcome.
   */
  @Test
  void open_answerBytes_areProtobufsOwnSerialization_forEveryOutcome() throws Exception {
    OpenRequest request = States.openRequest("", oneOfEachOutcome(), false).toBuilder()
        .setItems(0, States.openRequest("", List.of(ByteString.EMPTY), false).getItems(0).toBuilder().setRef(-1L))
        .setItems(1, States.openRequest("", List.of(ByteString.EMPTY), false).getItems(0).toBuilder().setRef(0))
        .build();
    List<ByteString> more = seal(2, 3600);
    request = request.toBuilder()
        .addItems(dev.ticketoffload.api.v1.OpenItem.newBuilder().setRef(0).setTicket(more.get(0)).setPeek(true))
        .addItems(dev.ticketoffload.api.v1.OpenItem.newBuilder().setRef(-1L).setTicket(more.get(1))
            .setAttemptId(ByteString.copyFromUtf8("attempt")))
        .build();
    byte[] answer = dev.ticketoffload.server.testing.RawCalls.unary(loopback.channel, "Open", request.toByteArray());
    OpenResponse parsed = OpenResponse.parseFrom(answer);

    assertThat(parsed.toByteArray()).isEqualTo(answer);
    assertThat(parsed.getResultsList()).extracting(OpenResult::getOutcome).containsExactly(Outcome.MALFORMED,
        Outcome.MALFORMED, Outcome.UNSUPPORTED_VERSION, Outcome.UNKNOWN_KEY, Outcome.AUTH_FAILED, Outcome.EXPIRED,
        Outcome.REPLAYED, Outcome.OK, Outcome.OK);
    assertThat(parsed.getResults(0).getRef()).isEqualTo(-1L);
    assertThat(parsed.getResults(8).getState()).isEqualTo(States.reference(1));
  }

  @Test
  void openStream_mixedBatches_giveEveryOutcomeInOrder() throws Exception {
    List<ByteString> tickets = oneOfEachOutcome();
    OpenRequest first = States.openRequest("", tickets.subList(0, 3), false);
    OpenRequest second = States.openRequest("", tickets.subList(3, 7), false);

    StreamCalls.Outcome<OpenResponse> result = StreamCalls.run(loopback.async()::openStream, List.of(first, second));

    assertThat(result.error()).isNull();
    assertThat(result.responses()).hasSize(2);
    List<Outcome> outcomes = result.responses().stream()
        .flatMap(r -> r.getResultsList().stream()).map(OpenResult::getOutcome).toList();
    assertThat(outcomes).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void sealStream_thenOpen_roundTripsEveryState() throws Exception {
    StreamCalls.Outcome<SealResponse> sealed = StreamCalls.run(loopback.async()::sealStream,
        List.of(States.sealRequest("other", 3), States.sealRequest("other", 5)));
    assertThat(sealed.error()).isNull();
    List<ByteString> tickets = sealed.responses().stream().flatMap(r -> r.getResultsList().stream())
        .map(SealResult::getTicket).toList();

    OpenResponse opened = loopback.blocking().open(States.openRequest("other", tickets, false));

    assertThat(opened.getResultsList()).extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);
    assertThat(opened.getResults(3).getState()).isEqualTo(States.reference(0));
  }

  @Test
  void open_ticketOfAnotherRealm_isNotOk() {
    ByteString ticket = seal(1, 3600).getFirst();
    OpenResult result = loopback.blocking().open(States.openRequest("other", List.of(ticket), false)).getResults(0);
    assertThat(result.getOutcome()).isIn(Outcome.AUTH_FAILED, Outcome.UNKNOWN_KEY);
  }

  @Test
  void peek_doesNotConsume_thenConsumeOnce() {
    ByteString ticket = seal(1, 3600).getFirst();
    for (int i = 0; i < 2; i++) {
      assertThat(loopback.blocking().open(States.openRequest("", List.of(ticket), true)).getResults(0).getOutcome())
          .isEqualTo(Outcome.OK);
    }
    assertThat(loopback.blocking().open(States.openRequest("", List.of(ticket), false)).getResults(0).getOutcome())
        .isEqualTo(Outcome.OK);
    assertThat(loopback.blocking().open(States.openRequest("", List.of(ticket), false)).getResults(0).getOutcome())
        .isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void seal_lifetime_isCutToTheRealmMaximumAndZeroMeansMaximum() {
    SealRequest request = SealRequest.newBuilder()
        .addItems(SealItem.newBuilder().setRef(7).setState(States.reference(1)).setLifetimeSeconds(999_999))
        .addItems(SealItem.newBuilder().setRef(8).setState(States.reference(2)).setLifetimeSeconds(0))
        .addItems(SealItem.newBuilder().setRef(9).setState(States.reference(3)).setLifetimeSeconds(30))
        .build();
    SealResponse response = loopback.blocking().seal(request);
    assertThat(response.getResultsList()).extracting(SealResult::getLifetimeSeconds).containsExactly(86_400, 86_400, 30);
    assertThat(response.getResultsList()).extracting(SealResult::getRef).containsExactly(7L, 8L, 9L);
    assertThat(response.getResults(2).getExpiresAt()).isEqualTo(loopback.clock.seconds() + 30);
  }
}
