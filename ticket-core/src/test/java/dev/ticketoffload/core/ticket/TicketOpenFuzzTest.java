package dev.ticketoffload.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ticketoffload.core.aead.JdkAeadBackend;
import dev.ticketoffload.core.keys.KeySchedule;
import java.util.Arrays;

/**
 * Opening arbitrary bytes, and genuine tickets with arbitrary changes: never an exception, and
 * {@code OK} only for a ticket exactly as sealed (every byte is authenticated, the reserved ones
 * too). Corpus: {@code src/test/resources/dev/ticketoffload/core/ticket/TicketOpenFuzzTestInputs};
 * {@code bin/fuzz ticket-open SECONDS} fuzzes it.
 */
class TicketOpenFuzzTest {

  private static final long NOW = 1_764_190_000L;
  private static final KeySchedule KEYS = new KeySchedule(new JdkAeadBackend(), TestStates.defaultRing());
  private static final TicketOpener OPENER = new TicketOpener(KEYS, 2048, 0);
  private static final byte[] GENUINE = new TicketSealer(KEYS, new TestClock(NOW), new IvSource(), 2048)
      .seal("default", TestStates.reference(NOW, 3600));

  @FuzzTest(maxDuration = "30s")
  void open_neverThrows_andIsOkOnlyForTheTicketAsSealed(FuzzedDataProvider data) {
    byte[] ticket;
    if (data.consumeBoolean()) {
      ticket = data.consumeRemainingAsBytes(); // arbitrary bytes
    } else {
      // the genuine ticket, truncated or extended, with bytes flipped at fuzzed places
      ticket = Arrays.copyOf(GENUINE, data.consumeInt(0, GENUINE.length + 8));
      int flips = data.consumeInt(0, 4);
      for (int i = 0; i < flips && ticket.length > 0; i++) {
        ticket[data.consumeInt(0, ticket.length - 1)] ^= data.consumeByte();
      }
    }

    OpenedTicket opened = TestOpens.open(OPENER, "default", ticket, false, NOW, SingleUseStore.NONE);

    assertThat(opened.outcome()).isNotNull();
    if (opened.outcome() == Outcome.OK) {
      assertThat(ticket).as("only the ticket exactly as sealed opens").isEqualTo(GENUINE);
      assertThat(opened.state()).isEqualTo(TestStates.reference(NOW, 3600));
    }
  }
}
