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
 * {@link KeyRingException} that names the file; never another exception. A ring that loads can be
 * written and loads again the same. {@code bin/fuzz key-ring SECONDS} fuzzes it.
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
    KeyRingFile.write(FILE, ring);
    KeyRing again = KeyRingFile.load(FILE);
    assertThat(again.realms()).hasSameSizeAs(ring.realms());
    for (RealmConfig realm : ring.realms()) {
      RealmConfig reloaded = again.realm(realm.name());
      assertThat(reloaded.epochSeconds()).isEqualTo(realm.epochSeconds());
      assertThat(reloaded.masters()).hasSameSizeAs(realm.masters());
    }
    ring.destroy();
    again.destroy();
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
