package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.server.Ticketd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ticketd keys init|rotate --ticket-mode}: sets the mode, keeps it on rotation, refuses typos. */
class KeysTicketModeTest {

  @TempDir
  Path dir;

  private record Run(int exitCode, String out, String err) {}

  private Run keys(String... args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] full = new String[args.length + 3];
      full[0] = "keys";
      System.arraycopy(args, 0, full, 1, args.length);
      full[args.length + 1] = "--key-ring";
      full[args.length + 2] = ring().toString();
      int code = Ticketd.commandLine(full).execute(full);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private Path ring() {
    return dir.resolve("keyring.json");
  }

  private TicketMode modeOf(String realm) throws Exception {
    return KeyRingFile.load(ring()).realm(realm).ticketMode();
  }

  @Test
  void init_withReference_sealsByReference_andRotationKeepsIt() throws Exception {
    Run init = keys("init", "--realm", "a,b", "--ticket-mode", "reference");
    assertThat(init.exitCode()).isZero();
    assertThat(init.out()).contains("(ticket_mode reference)");
    assertThat(modeOf("a")).isEqualTo(TicketMode.REFERENCE);
    assertThat(modeOf("b")).isEqualTo(TicketMode.REFERENCE);

    assertThat(keys("rotate", "--realm", "a").exitCode()).isZero();
    assertThat(modeOf("a")).isEqualTo(TicketMode.REFERENCE);
    assertThat(keys("retire", "--realm", "a", "--id", "1").exitCode()).isZero();
    assertThat(modeOf("a")).isEqualTo(TicketMode.REFERENCE);

    assertThat(keys("list").out()).contains("realm a  epoch_seconds=3600  max_ticket_lifetime_seconds=86400  "
        + "ticket_mode=reference");
  }

  @Test
  void init_byDefault_isByValue_andRotateSwitchesOnlyTheNamedRealm() throws Exception {
    assertThat(keys("init", "--realm", "a,b").exitCode()).isZero();
    assertThat(modeOf("a")).isEqualTo(TicketMode.VALUE);
    Run rotate = keys("rotate", "--realm", "b", "--ticket-mode", "reference");
    assertThat(rotate.exitCode()).isZero();
    assertThat(rotate.out()).contains("ticket_mode reference");
    assertThat(modeOf("a")).isEqualTo(TicketMode.VALUE);
    assertThat(modeOf("b")).isEqualTo(TicketMode.REFERENCE);
    assertThat(keys("rotate", "--realm", "new", "--ticket-mode", "reference").exitCode()).isZero();
    assertThat(modeOf("new")).isEqualTo(TicketMode.REFERENCE);
  }

  @Test
  void unknownTicketMode_isRefusedNamingTheChoices_andWritesNothing() throws Exception {
    Run init = keys("init", "--ticket-mode", "by-reference");
    assertThat(init.exitCode()).isEqualTo(1);
    assertThat(init.err()).isEqualTo("ticketd keys: unknown --ticket-mode \"by-reference\" "
        + "(expected value or reference)" + System.lineSeparator());
    assertThat(Files.exists(ring())).isFalse();

    assertThat(keys("init").exitCode()).isZero();
    Run rotate = keys("rotate", "--ticket-mode", "Reference");
    assertThat(rotate.exitCode()).isEqualTo(1);
    assertThat(rotate.err()).contains("unknown --ticket-mode \"Reference\"");
    assertThat(KeyRingFile.load(ring()).realm("default").masters()).hasSize(1);
  }
}
