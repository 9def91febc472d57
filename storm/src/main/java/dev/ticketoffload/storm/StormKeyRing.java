package dev.ticketoffload.storm;

import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.server.keys.KeyRingEditor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code --ticket-mode reference}: a throwaway key ring, made before any server starts, whose realm
 * seals by reference. The servers the storm starts load it with {@code --key-ring} (a server only
 * creates a key ring, in mode value, when it finds none).
 */
final class StormKeyRing implements AutoCloseable {

  private final Path dir;
  private final Path file;

  StormKeyRing(String realm, TicketMode mode) throws IOException {
    this.dir = TempDirs.create("ticketd-storm-keys-");
    this.file = dir.resolve("keyring.json");
    try {
      new KeyRingEditor(file, Clock.systemUTC()).init(List.of(realm.isEmpty() ? RealmConfig.DEFAULT_REALM : realm), mode);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      TempDirs.delete(dir);
    } catch (IOException e) {
      System.err.println("storm: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
