package dev.ticketoffload.core.ticket;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.keys.KeySchedule;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** Caller bugs are refused early, with a message that names the limit. */
class CallerBugsTest {

  private final KeySchedule keys = new KeySchedule(new BouncyCastleAeadBackend(), TestStates.defaultRing());

  @Test
  void sealer_maxTicketBytesBelowTheSmallestTicket_isRefused() {
    assertThatThrownBy(() -> new TicketSealer(keys, InstantSource.system(), new IvSource(), 86))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_ticket_bytes 86 is below the smallest ticket (87 bytes)");
  }

  @Test
  void sealer_stateThatExpiresBeforeItWasIssued_isRefused() {
    TicketSealer sealer = new TicketSealer(keys, InstantSource.system(), new IvSource(), 2048);
    var state = TestStates.reference(1_000, 0).toBuilder().expiresAtSeconds(999).build();
    assertThatThrownBy(() -> sealer.seal("default", state))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ticket lifetime -1 s is negative");
  }

  @Test
  void opener_negativeSkew_isRefused() {
    assertThatThrownBy(() -> new TicketOpener(keys, 2048, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skew_seconds must not be negative");
  }

  @Test
  void batches_pastTheirCapacity_areRefused() {
    OpenBatch open = new OpenBatch(1);
    open.add(new byte[1], true);
    assertThatThrownBy(() -> open.add(new byte[1], true))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("open batch is full (1 tickets)");
    AeadBatch aead = new AeadBatch(1);
    aead.add(new byte[12], 0, new byte[0], 0, 0, new byte[0], 0, 0, new byte[16], 0);
    assertThatThrownBy(() -> aead.add(new byte[12], 0, new byte[0], 0, 0, new byte[0], 0, 0, new byte[16], 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("batch is full (1 items)");
    assertThatThrownBy(() -> new AeadBatch(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity must be at least 1");
  }
}
