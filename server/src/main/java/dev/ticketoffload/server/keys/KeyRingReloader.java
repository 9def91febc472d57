package dev.ticketoffload.server.keys;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeyRingException;
import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the key ring when its file changes. Polls the file's modification time, size and inode
 * (an atomic rename, as {@code keys rotate} does, changes the inode even within one mtime tick)
 * rather than a WatchService, which misses renames on some file systems and needs a thread anyway.
 *
 * <p>A new version that does not load (broken JSON, wrong permissions, no primary) is refused: logged
 * once per version, counted, and the ring in force stays.
 */
public final class KeyRingReloader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeyRingReloader.class);

  private final Path file;
  private final KeySchedule keys;
  private final ServiceMetrics metrics;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("key-ring-reloader").daemon().factory());
  private Stamp seen;

  private record Stamp(long modifiedMillis, long size, Object fileKey) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().toMillis(), a.size(), a.fileKey());
      } catch (IOException e) {
        return null; // missing for a moment (being replaced): look again next time
      }
    }
  }

  public KeyRingReloader(Path file, KeySchedule keys, ServiceMetrics metrics) {
    this.file = file;
    this.keys = keys;
    this.metrics = metrics;
    this.seen = Stamp.of(file);
  }

  public KeyRingReloader start(Duration interval) {
    timer.scheduleWithFixedDelay(this::checkNow, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reloads if the file changed since the last look. */
  public synchronized void checkNow() {
    Stamp now = Stamp.of(file);
    if (now == null || Objects.equals(now, seen)) {
      return;
    }
    seen = now;
    try {
      KeyRing ring = KeyRingFile.load(file);
      keys.update(ring);
      metrics.keyRingReloaded(true);
      LOG.info("key ring reloaded from {}: {}", file, KeyRingSummary.of(ring));
    } catch (KeyRingException e) {
      metrics.keyRingReloaded(false);
      LOG.warn("key ring reload refused, the previous key ring stays in force: {}", e.getMessage());
    } catch (RuntimeException e) {
      metrics.keyRingReloaded(false);
      LOG.warn("key ring reload refused, the previous key ring stays in force: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
