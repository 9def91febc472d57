package dev.ticketoffload.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-connection limits refuse what would not work, and the derived share is what the flags say. */
class ConnectionLimitsTest {

  @Test
  void perConnection_zero_isHalfTheTotalButAtLeastOneRequest() {
    ServiceLimits d = ServiceLimits.defaults();
    assertThat(d.maxItemsInFlightPerConnection()).isEqualTo(4096); // 8192 / 2
    assertThat(d.withMaxItemsPerRequest(8).withWorkInFlight(10, 0.5).maxItemsInFlightPerConnection()).isEqualTo(8);
    assertThat(d.withConnections(ConnectionLimits.defaults().withMaxItemsInFlightPerConnection(100_000))
        .maxItemsInFlightPerConnection()).as("never above the total").isEqualTo(8192);
  }

  @Test
  void perConnection_belowOneRequest_isRefusedNamingBothFlags() {
    assertThatThrownBy(() -> ServiceLimits.defaults()
        .withConnections(ConnectionLimits.defaults().withMaxItemsInFlightPerConnection(100)))
        .hasMessageContaining("max-items-in-flight-per-connection (100)").hasMessageContaining("max-items-per-request (4096)");
    assertThatThrownBy(() -> ConnectionLimits.defaults().withMaxItemsInFlightPerConnection(-1))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void keepalive_belowGrpcsFloorOrNotPositive_isRefusedRatherThanSilentlyRaised() {
    assertThatThrownBy(() -> ConnectionLimits.defaults().withKeepAlive(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("keepalive-time must be at least 10 s");
    assertThatThrownBy(() -> ConnectionLimits.defaults().withKeepAlive(Duration.ofSeconds(10), Duration.ZERO))
        .hasMessageContaining("keepalive-timeout must be positive");
    assertThatThrownBy(() -> new ConnectionLimits(0, Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(-1)))
        .hasMessageContaining("max-connection-idle must be positive");
  }
}
