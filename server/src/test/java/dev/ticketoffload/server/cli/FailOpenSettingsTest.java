package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.server.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings that would fail open, be silently ignored, or could never work are start-up errors:
 * refused before the server binds (no {@code listening on}) and before a key ring is created.
 */
class FailOpenSettingsTest {

  @TempDir
  Path dir;

  @Test
  void realmPolicyWithoutClientCa_isRefused() throws Exception {
    Path policy = dir.resolve("realms.policy");
    Files.writeString(policy, "cn:gateway-a = realm-a\n");

    Daemon.StartupException e = DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--backend", "jdk", "--realm-policy", policy.toString());

    assertThat(e.getMessage()).contains("--realm-policy").contains("needs --client-ca");
    assertThat(dir.resolve("keyring.json")).doesNotExist();
  }

  @Test
  void metricsOffLoopback_isRefusedWithoutInsecure() {
    Daemon.StartupException e = DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--backend", "jdk", "--metrics-listen", "0.0.0.0:0");

    assertThat(e.getMessage()).contains("metrics").contains("non-loopback address 0.0.0.0:0").contains("--insecure");
    assertThat(dir.resolve("keyring.json")).doesNotExist();
  }

  @Test
  void metricsOffLoopback_withInsecure_serves() throws Exception {
    try (DaemonFixture s = new DaemonFixture("--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "jdk",
        "--metrics-listen", "0.0.0.0:0", "--insecure")) {
      assertThat(s.daemon.metricsPort()).isPositive();
    }
  }

  @Test
  void metricsListenThatDoesNotParse_isRefused() {
    assertThat(DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--metrics-listen", "9090").getMessage()).contains("--metrics-listen").contains("HOST:PORT");
  }

  @Test
  void maxTicketBytesBelowTheSmallestTicket_isRefusedBeforeListening() {
    Daemon.StartupException e = DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--backend", "jdk", "--max-ticket-bytes", "86");

    assertThat(e.getMessage()).contains("max-ticket-bytes (86) is below the smallest ticket (87 bytes)");
  }

  @Test
  void replayGuardSmallerThanABatch_isRefusedBeforeListening() {
    Daemon.StartupException e = DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--backend", "jdk", "--replay-guard-max-entries", "4095");

    assertThat(e.getMessage()).contains("replay-guard-max-entries (4095) must be at least max-items-per-request (4096)");
  }

  @Test
  void realmQuotaSmallerThanABatch_isRefusedBeforeListening_namingTheRealm() throws Exception {
    KeyRingFile.write(dir.resolve("keyring.json"), TestKeys.ringWithQuota("realm-small", 4095));

    Daemon.StartupException e = DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--backend", "jdk");

    assertThat(e.getMessage()).contains("keyring.json")
        .contains("realm realm-small: max_replay_entries (4095) must be at least max-items-per-request (4096)");
  }

  @Test
  void realmQuotaOfAFullBatch_starts() throws Exception {
    KeyRingFile.write(dir.resolve("keyring.json"), TestKeys.ringWithQuota("realm-small", 4096));
    try (DaemonFixture s = new DaemonFixture("--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend",
        "jdk")) {
      assertThat(s.daemon.port()).isPositive();
    }
  }
}
