package dev.ticketoffload.server.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A child process of {@link KeyRingEditorConcurrencyTest}: waits until the GO file exists (so that
 * every child edits at the same moment, not staggered by JVM start-up), then rotates realm
 * {@code default} N times. Arguments: KEY_RING GO_FILE N.
 */
public final class RotateMain {

  private RotateMain() {}

  public static void main(String[] args) throws Exception {
    Path ring = Path.of(args[0]);
    Path go = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(go) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    KeyRingEditor editor = new KeyRingEditor(ring, Clock.systemUTC());
    for (int i = 0; i < n; i++) {
      editor.rotate("default");
    }
  }
}
