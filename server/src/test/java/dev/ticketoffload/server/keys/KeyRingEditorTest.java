package dev.ticketoffload.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingEditorTest {

  @TempDir
  Path dir;

  @Test
  void createIfAbsent_onAnExistingRing_leavesItAndSaysSo() throws Exception {
    Path ring = dir.resolve("keyring.json");
    KeyRingEditor editor = new KeyRingEditor(ring, Clock.systemUTC());
    assertThat(editor.createIfAbsent(List.of("default"))).isNotNull();
    byte[] before = Files.readAllBytes(ring);
    assertThat(editor.createIfAbsent(List.of("default", "other"))).isNull();
    assertThat(Files.readAllBytes(ring)).isEqualTo(before);
  }
}
