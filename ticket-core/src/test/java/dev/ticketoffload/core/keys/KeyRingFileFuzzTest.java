package dev.ticketoffload.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The key ring parser on arbitrary file content: it loads, or refuses with a
 * {@link KeyRingException} that names the file; never another exception. A ring that loads has valid
 * realm names and exactly one primary per realm. {@code bin/fuzz key-ring SECONDS} fuzzes it.
 */
class KeyRingFileFuzzTest {

  private static final Path FILE = temporaryKeyRing();

  @FuzzTest(maxDuration = "30s")
  void load_anyContent_loadsOrIsRefusedWithKeyRingException(byte[] content) throws IOException, KeyRingException {
    Files.write(FILE, content);
    KeyRing ring;
    try {
      ring = KeyRingFile.load(FILE);
    } catch (KeyRingException e) {
      assertThat(e.getMessage()).startsWith("key ring " + FILE + ": ");
      return;
    }
    // what loaded is a key ring the rest of the code can rely on
    assertThat(ring.realms()).isNotEmpty();
    for (RealmConfig realm : ring.realms()) {
      assertThat(RealmConfig.checkName(realm.name())).isNull();
      assertThat(realm.masters().stream().filter(m -> m.state() == MasterState.PRIMARY)).hasSize(1);
    }
    ring.destroy();
  }

  private static Path temporaryKeyRing() {
    try {
      Path dir = Files.createTempDirectory("keyring-fuzz",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = dir.resolve("keyring.json");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
