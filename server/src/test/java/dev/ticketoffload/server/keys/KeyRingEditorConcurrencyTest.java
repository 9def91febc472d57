package dev.ticketoffload.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.core.keys.MasterSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent edits of one key ring, by threads and by processes: none is lost, none overwrites keys. */
class KeyRingEditorConcurrencyTest {

  @TempDir
  Path dir;

  private static int masters(Path ring) throws Exception {
    KeyRing loaded = KeyRingFile.load(ring);
    try {
      return loaded.realm("default").masters().size();
    } finally {
      loaded.destroy();
    }
  }

  @Test
  void rotate_fromConcurrentThreads_losesNoEdit() throws Exception {
    Path ring = dir.resolve("keyring.json");
    new KeyRingEditor(ring, Clock.systemUTC()).init(List.of("default"));
    int threads = 4;
    int rotations = 15;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          KeyRingEditor editor = new KeyRingEditor(ring, Clock.systemUTC());
          for (int i = 0; i < rotations; i++) {
            editor.rotate("default");
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(masters(ring)).isEqualTo(1 + threads * rotations);
  }

  @Test
  void rotate_fromConcurrentProcesses_losesNoEdit() throws Exception {
    Path ring = dir.resolve("keyring.json");
    new KeyRingEditor(ring, Clock.systemUTC()).init(List.of("default"));
    Path go = dir.resolve("go");
    int processes = 3;
    int rotations = 20;
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), RotateMain.class.getName(),
          ring.toString(), go.toString(), Integer.toString(rotations))
          .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + p + ".txt").toFile()).start());
    }
    Thread.sleep(1500); // let every child JVM start and wait for the go file
    Files.createFile(go);
    for (int p = 0; p < processes; p++) {
      assertThat(children.get(p).waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(children.get(p).exitValue()).as(Files.readString(dir.resolve("child-" + p + ".txt"))).isZero();
    }
    assertThat(masters(ring)).isEqualTo(1 + processes * rotations);
  }

  @Test
  void init_fromConcurrentThreads_writesExactlyOnce_andTheWinnersKeysStay() throws Exception {
    for (int round = 0; round < 10; round++) {
      Path ring = dir.resolve("keyring-" + round + ".json");
      int threads = 6;
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<KeyRing> created = new ArrayList<>();
      int refused = 0;
      try {
        List<Future<KeyRing>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          done.add(pool.submit(() -> {
            start.await();
            return new KeyRingEditor(ring, Clock.systemUTC()).init(List.of("default"));
          }));
        }
        for (Future<KeyRing> f : done) {
          try {
            created.add(f.get(30, TimeUnit.SECONDS));
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessageContaining("already exists");
            refused++;
          }
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(created).as("round " + round).hasSize(1);
      assertThat(refused).isEqualTo(threads - 1);
      KeyRing onDisk = KeyRingFile.load(ring);
      MasterSecret kept = onDisk.realm("default").masters().getFirst();
      MasterSecret winner = created.getFirst().realm("default").masters().getFirst();
      assertThat(kept.secretBytes()).isEqualTo(winner.secretBytes());
    }
  }
}
