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
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the key ring when its file changes. Polls a {@link FileVersion} of the file rather than
 * using a WatchService, which misses renames and symlink swaps on some file systems and needs a
 * thread anyway.
 *
 * <p>A new version that does not load (broken JSON, wrong permissions, no primary) or does not fit
 * the server (a realm's {@code max_replay_entries} below {@code --max-items-per-request}) is refused: logged
 * once per version, counted, and the ring in force stays. Fixing only the file's mode (the refusal
 * says {@code chmod 600}) is a new version, so the fix is picked up at the next poll.
 */
public final class KeyRingReloader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeyRingReloader.class);

  private final Path file;
  private final KeySchedule keys;
  private final ServiceMetrics metrics;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("key-ring-reloader").daemon().factory());
  /** What the server adds to the loader's checks: null when the ring fits the server, else the problem. */
  private final Function<KeyRing, String> fitsServer;
  private FileVersion seen;

  /**
   * What a poll compares, of the file the path leads to after following every symlink.
   *
   * <ul>
   *   <li>{@code realPath}: a Kubernetes Secret volume is {@code keyring.json -> ..data/keyring.json},
   *       {@code ..data -> ..2026_12_02_04_00_00.123}, and an update swaps {@code ..data} atomically
   *       to a new timestamped directory: the real path changes with every update, even when the
   *       new file happens to reuse a freed inode, size and modification time.
   *   <li>modification time, size and inode: an atomic rename ({@code keys rotate}) changes the
   *       inode even within one mtime tick.
   *   <li>permissions, owner and group: the loader checks them, so {@code chmod 600} after a refusal
   *       must count as a change although no byte of the file changed.
   * </ul>
   */
  public record FileVersion(Path realPath, long modifiedMillis, long size, Object fileKey,
      Set<PosixFilePermission> permissions, UserPrincipal owner, UserPrincipal group) {

    /** The file's version now, or null when it cannot be read (missing for a moment while replaced). */
    public static FileVersion of(Path file) {
      try {
        Path real = file.toRealPath();
        BasicFileAttributes basic;
        Set<PosixFilePermission> permissions = null;
        UserPrincipal owner = null;
        UserPrincipal group = null;
        try {
          PosixFileAttributes posix = Files.readAttributes(real, PosixFileAttributes.class);
          basic = posix;
          permissions = posix.permissions();
          owner = posix.owner();
          group = posix.group();
        } catch (UnsupportedOperationException e) {
          basic = Files.readAttributes(real, BasicFileAttributes.class);
        }
        return new FileVersion(real, basic.lastModifiedTime().toMillis(), basic.size(), basic.fileKey(),
            permissions, owner, group);
      } catch (IOException e) {
        return null;
      }
    }
  }

  /**
   * @param loaded the version of the file taken <em>before</em> the ring in force was read from it
   *     ({@link FileVersion#of}), so that a change made while it was loaded, or between the load and
   *     the first poll, is seen by the first poll; null when unknown (the first poll then reloads)
   */
  public KeyRingReloader(Path file, KeySchedule keys, ServiceMetrics metrics, FileVersion loaded) {
    this(file, keys, metrics, loaded, ring -> null);
  }

  /**
   * @param fitsServer checks a loaded ring against the server's settings (e.g.
   *     {@link dev.ticketoffload.server.config.ServiceLimits#replayQuotaProblem}): a ring it names a
   *     problem of is refused like one that does not load
   */
  public KeyRingReloader(Path file, KeySchedule keys, ServiceMetrics metrics, FileVersion loaded,
      Function<KeyRing, String> fitsServer) {
    this.file = file;
    this.keys = keys;
    this.metrics = metrics;
    this.seen = loaded;
    this.fitsServer = fitsServer;
  }

  public KeyRingReloader start(Duration interval) {
    timer.scheduleWithFixedDelay(this::checkNow, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reloads if the file changed since the last look. */
  public synchronized void checkNow() {
    FileVersion now = FileVersion.of(file);
    if (now == null || Objects.equals(now, seen)) {
      return;
    }
    seen = now;
    try {
      KeyRing ring = KeyRingFile.load(file);
      String problem = fitsServer.apply(ring);
      if (problem != null) {
        ring.destroy();
        throw new KeyRingException(file + ": " + problem);
      }
      keys.update(ring);
      metrics.keyRingReloaded(true);
      LOG.info("key ring reloaded from {} ({}): {}", file, now.realPath(), KeyRingSummary.of(ring));
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
