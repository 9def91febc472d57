package dev.ticketoffload.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key ring's per-realm {@code ticket_mode}: default, both spellings, precise refusals, round trip. */
class TicketModeKeyRingTest {

  @TempDir
  Path dir;

  private Path file(String ticketModeField) throws Exception {
    String secret = Base64.getEncoder().encodeToString(new byte[32]);
    Path f = dir.resolve("keyring.json");
    Files.writeString(f, "{\"version\": 1, \"realms\": [{\"name\": \"default\", " + ticketModeField
        + "\"masters\": [{\"id\": 1, \"state\": \"primary\", \"secret\": \"" + secret
        + "\", \"created_at\": \"2026-11-26T21:00:00Z\"}]}]}", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void load_withoutTicketMode_isByValue() throws Exception {
    assertThat(KeyRingFile.load(file("")).realm("default").ticketMode()).isEqualTo(TicketMode.VALUE);
  }

  @Test
  void load_bothSpellings_giveTheirMode() throws Exception {
    assertThat(KeyRingFile.load(file("\"ticket_mode\": \"value\", ")).realm("default").ticketMode())
        .isEqualTo(TicketMode.VALUE);
    assertThat(KeyRingFile.load(file("\"ticket_mode\": \"reference\", ")).realm("default").ticketMode())
        .isEqualTo(TicketMode.REFERENCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"by-reference", "Reference", "ref", ""})
  void load_unknownTicketMode_isRefusedNamingFieldAndChoices(String mode) throws Exception {
    Path f = file("\"ticket_mode\": \"" + mode + "\", ");
    KeyRingException e = catchThrowableOfType(KeyRingException.class, () -> KeyRingFile.load(f));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).isEqualTo("key ring " + f + ": realms[0] (realm \"default\").ticket_mode: "
        + "unknown ticket mode \"" + mode + "\" (expected value or reference)");
  }

  @Test
  void load_ticketModeNotAString_isRefused() throws Exception {
    Path f = file("\"ticket_mode\": 2, ");
    KeyRingException e = catchThrowableOfType(KeyRingException.class, () -> KeyRingFile.load(f));
    assertThat(e.getMessage()).endsWith("realms[0] (realm \"default\").ticket_mode: expected a string");
  }

  @Test
  void write_thenLoad_keepsTheModeAndWritesNothingForTheDefault() throws Exception {
    MasterSecret master = new MasterSecret(1, MasterState.PRIMARY, new byte[32], Instant.parse("2026-11-26T21:00:00Z"));
    KeyRing ring = new KeyRing(List.of(
        new RealmConfig("byref", 3600, 86_400, List.of(master), TicketMode.REFERENCE),
        new RealmConfig("byvalue", 3600, 86_400, List.of(master))));
    Path f = dir.resolve("written.json");
    KeyRingFile.write(f, ring);
    KeyRing loaded = KeyRingFile.load(f);
    assertThat(loaded.realm("byref").ticketMode()).isEqualTo(TicketMode.REFERENCE);
    assertThat(loaded.realm("byvalue").ticketMode()).isEqualTo(TicketMode.VALUE);
    // A by-value realm's file stays as it was before ticket_mode existed.
    assertThat(Files.readString(f)).containsOnlyOnce("\"ticket_mode\" : \"reference\"");
  }

  @Test
  void withMasters_keepsTheTicketMode() {
    MasterSecret master = new MasterSecret(1, MasterState.PRIMARY, new byte[32], Instant.EPOCH);
    RealmConfig realm = new RealmConfig("r", 60, 600, List.of(master), TicketMode.REFERENCE);
    assertThat(realm.withMasters(List.of(master)).ticketMode()).isEqualTo(TicketMode.REFERENCE);
    assertThat(realm.withTicketMode(TicketMode.VALUE).ticketMode()).isEqualTo(TicketMode.VALUE);
  }
}
