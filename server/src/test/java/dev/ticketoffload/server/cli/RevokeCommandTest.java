package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.server.Ticketd;
import dev.ticketoffload.server.testing.States;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ticketd revoke} against a real daemon: by ticket (hex, file) and by identity; bad input. */
class RevokeCommandTest {

  @TempDir
  Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run ticketd(String... args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Ticketd.commandLine(args).execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static Outcome open(DaemonFixture s, ByteString ticket) {
    return s.plaintext().open(States.openRequest("", List.of(ticket), true)).getResults(0).getOutcome();
  }

  @Test
  void revoke_byTicketHexFileAndIdentity_makesOpensRevoked() throws Exception {
    try (DaemonFixture s = new DaemonFixture("--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "jdk")) {
      String target = "127.0.0.1:" + s.daemon.port();
      List<ByteString> t = s.plaintext().seal(States.sealRequest("", 3)).getResultsList().stream()
          .map(r -> r.getTicket()).toList();

      Run byHex = ticketd("revoke", "--target", target, "--ticket", HexFormat.of().formatHex(t.get(0).toByteArray()));
      assertThat(byHex.exitCode()).as(byHex.err()).isZero();
      assertThat(byHex.out()).startsWith("revoked in realm default: that ticket; kept until ");
      Path file = dir.resolve("ticket.bin");
      Files.write(file, t.get(1).toByteArray());
      assertThat(ticketd("revoke", "--target", target, "--ticket-file", file.toString()).exitCode()).isZero();
      assertThat(open(s, t.get(0))).isEqualTo(Outcome.REVOKED);
      assertThat(open(s, t.get(1))).isEqualTo(Outcome.REVOKED);
      assertThat(open(s, t.get(2))).isEqualTo(Outcome.OK);

      String idI = HexFormat.of().formatHex(States.reference(2).getIdI().toByteArray());
      Run byId = ticketd("revoke", "--target", target, "--id-i", idI);
      assertThat(byId.out()).contains("every ticket of that identity issued up to ");
      assertThat(open(s, t.get(2))).isEqualTo(Outcome.REVOKED);

      Run garbage = ticketd("revoke", "--target", target, "--ticket", "00112233");
      assertThat(garbage.exitCode()).isEqualTo(1);
      assertThat(garbage.err()).contains("does not open in realm default (REVOKE_NOT_A_TICKET): nothing recorded");
    }
  }

  @Test
  void revoke_needsExactlyOneTarget_andValidHex() throws Exception {
    assertThat(ticketd("revoke").exitCode()).isEqualTo(2);
    assertThat(ticketd("revoke", "--ticket", "00", "--id-i", "00").err()).contains("mutually exclusive");
    Run odd = ticketd("revoke", "--id-i", "abc");
    assertThat(odd.exitCode()).isEqualTo(2);
    assertThat(odd.err()).isEqualTo("ticketd revoke: --id-i: not an even number of hex digits" + System.lineSeparator());
  }

  @Test
  void revoke_clientCertificateWithoutKeyOrCa_isRefusedBeforeAnyCall() throws Exception {
    Run certOnly = ticketd("revoke", "--id-i", "0300", "--tls-ca", "ca.pem", "--tls-cert", "gw.pem");
    assertThat(certOnly.exitCode()).isEqualTo(2);
    assertThat(certOnly.err()).contains("--tls-cert and --tls-key go together, and with --tls-ca");
    Run noCa = ticketd("revoke", "--id-i", "0300", "--tls-cert", "gw.pem", "--tls-key", "gw-key.pem");
    assertThat(noCa.exitCode()).isEqualTo(2);
    assertThat(noCa.err()).contains("--tls-cert and --tls-key go together, and with --tls-ca");
  }
}
