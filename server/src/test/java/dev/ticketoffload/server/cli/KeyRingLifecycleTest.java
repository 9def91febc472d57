package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.server.keys.KeyRingEditor;
import dev.ticketoffload.server.testing.States;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys on disk: first start, restart, rotation, retirement, hot reload of good and broken files. */
class KeyRingLifecycleTest {

  @TempDir
  Path dir;

  private DaemonFixture serve() throws Exception {
    return serve("--key-ring-poll-ms", "100");
  }

  private DaemonFixture serve(String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--backend", "jdk"));
    args.addAll(List.of(extra));
    return new DaemonFixture(args.toArray(String[]::new));
  }

  private static int masterIdOf(ByteString ticket) {
    return TicketFormat.masterId(TicketFormat.readKeyId(ticket.toByteArray(), 0));
  }

  private static Outcome open(DaemonFixture s, ByteString ticket, boolean peek) {
    return s.plaintext().open(States.openRequest("", List.of(ticket), peek)).getResults(0).getOutcome();
  }

  @Test
  void firstStart_createsOwnerOnlyKeyRing_andSaysWhereItListens() throws Exception {
    try (DaemonFixture s = serve()) {
      Path ring = dir.resolve("keyring.json");
      assertThat(Files.getPosixFilePermissions(ring)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(s.stdout).isEqualTo("listening on 127.0.0.1:" + s.daemon.port() + System.lineSeparator());
      assertThat(Files.readString(ring)).doesNotContain(s.stdout.strip()); // sanity: file is the ring, not output
    }
  }

  @Test
  void ticketsStillOpenAfterRestart() throws Exception {
    ByteString ticket;
    try (DaemonFixture first = serve()) {
      ticket = first.plaintext().seal(States.sealRequest("", 1)).getResults(0).getTicket();
    }
    try (DaemonFixture second = serve()) {
      assertThat(open(second, ticket, false)).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void rotation_reloadedByPolling_newSealsUseNewMaster_oldTicketsStillOpen() throws Exception {
    try (DaemonFixture s = serve()) {
      ByteString before = s.plaintext().seal(States.sealRequest("", 1)).getResults(0).getTicket();
      assertThat(masterIdOf(before)).isEqualTo(1);

      new KeyRingEditor(dir.resolve("keyring.json"), Clock.systemUTC()).rotate("default");

      ByteString after = before;
      for (int i = 0; i < 100 && masterIdOf(after) == 1; i++) {
        Thread.sleep(50);
        after = s.plaintext().seal(States.sealRequest("", 1)).getResults(0).getTicket();
      }
      assertThat(masterIdOf(after)).isEqualTo(2);
      assertThat(open(s, before, false)).isEqualTo(Outcome.OK);
      assertThat(open(s, after, false)).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void retire_afterRotation_oldTicketsNoLongerOpen() throws Exception {
    try (DaemonFixture s = serve("--key-ring-poll-ms", "3600000")) {
      ByteString old = s.plaintext().seal(States.sealRequest("", 1)).getResults(0).getTicket();
      KeyRingEditor editor = new KeyRingEditor(dir.resolve("keyring.json"), Clock.systemUTC());
      editor.rotate("default");
      editor.retire("default", 1);
      s.daemon.reloader().checkNow();
      assertThat(open(s, old, true)).isEqualTo(Outcome.UNKNOWN_KEY);
    }
  }

  @Test
  void brokenKeyRing_isRefused_andTheOldOneStaysInForce() throws Exception {
    try (DaemonFixture s = serve("--key-ring-poll-ms", "3600000")) {
      Path ring = dir.resolve("keyring.json");
      ByteString ticket = s.plaintext().seal(States.sealRequest("", 1)).getResults(0).getTicket();
      Files.writeString(ring, "{\"version\": 1, \"realms\": []}");

      s.daemon.reloader().checkNow();

      SealResult sealed = s.plaintext().seal(States.sealRequest("", 1)).getResults(0);
      assertThat(masterIdOf(sealed.getTicket())).isEqualTo(1);
      OpenResult opened = s.plaintext().open(States.openRequest("", List.of(ticket, sealed.getTicket()), false)).getResults(1);
      assertThat(opened.getOutcome()).isEqualTo(Outcome.OK);
      assertThat(open(s, ticket, false)).isEqualTo(Outcome.REPLAYED);
    }
  }

  @Test
  void keyRingReadableByOthers_isRefusedOnReload() throws Exception {
    try (DaemonFixture s = serve("--key-ring-poll-ms", "3600000")) {
      Path ring = dir.resolve("keyring.json");
      new KeyRingEditor(ring, Clock.systemUTC()).rotate("default");
      Files.setPosixFilePermissions(ring, PosixFilePermissions.fromString("rw-r--r--"));
      s.daemon.reloader().checkNow();
      assertThat(masterIdOf(s.plaintext().seal(States.sealRequest("", 1)).getResults(0).getTicket())).isEqualTo(1);
    }
  }
}
