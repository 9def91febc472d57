package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** attempt_id over the wire, and the clock consumes are judged by, through a real server. */
class FleetRulesTest {

  private static OpenRequest open(ByteString ticket, byte[] attempt) {
    return OpenRequest.newBuilder().addItems(OpenItem.newBuilder().setRef(1).setTicket(ticket)
        .setAttemptId(ByteString.copyFrom(attempt))).build();
  }

  @Test
  void attemptId_sameRetryingIsOk_otherIsReplayed_longerThan16IsInvalidArgumentNamingTheLimit() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      ByteString ticket = s.blocking().seal(States.sealRequest("", 1)).getResults(0).getTicket();
      byte[] mine = new byte[16];
      mine[3] = 7;
      assertThat(s.blocking().open(open(ticket, mine)).getResults(0).getOutcome()).isEqualTo(Outcome.OK);
      assertThat(s.blocking().open(open(ticket, mine)).getResults(0).getOutcome()).isEqualTo(Outcome.OK);
      assertThat(s.blocking().open(open(ticket, new byte[16])).getResults(0).getOutcome())
          .isEqualTo(Outcome.REPLAYED);
      assertThat(s.blocking().open(open(ticket, new byte[0])).getResults(0).getOutcome())
          .isEqualTo(Outcome.REPLAYED);
      assertThatThrownBy(() -> s.blocking().open(open(ticket, new byte[17])))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription())
                .isEqualTo("items[0].attempt_id: 17 bytes exceed the limit of 16");
          });
    }
  }

  @Test
  void wallClockSteppedForwardThenBack_withASweepBetween_neverReopensAConsumedTicket() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      long start = s.clock.seconds();
      ByteString ticket = s.blocking().seal(States.sealRequest("", 1)).getResults(0).getTicket(); // 3600 s
      assertThat(s.blocking().open(States.openRequest("", java.util.List.of(ticket), false)).getResults(0)
          .getOutcome()).isEqualTo(Outcome.OK);
      s.clock.set(start + 7200); // forward: every record of the key has expired, the sweep drops them
      s.crypto.store().sweep(s.crypto.openClock().nowSeconds());
      s.clock.set(start + 1); // and back: by the wall clock the ticket is live again
      Outcome again = s.blocking().open(States.openRequest("", java.util.List.of(ticket), false)).getResults(0)
          .getOutcome();
      assertThat(again).as("consumed once, never OK again").isNotEqualTo(Outcome.OK);
    }
  }
}
