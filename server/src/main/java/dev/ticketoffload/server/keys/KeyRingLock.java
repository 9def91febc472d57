package dev.ticketoffload.server.keys;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One editor of a key ring at a time, so two {@code ticketd keys rotate} never both read the same
 * ring and the later write drops the earlier one's new master. Across processes: a POSIX lock on
 * {@code FILE.lock} beside the key ring (never deleted: deleting a lock file lets a third editor lock
 * a new file while the second still holds the old one). Within this JVM: a lock per path too, since a
 * JVM may not hold two file locks on one file. Waits at most {@code timeout}, then says who to blame.
 */
final class KeyRingLock implements AutoCloseable {

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  private static final long POLL_MILLIS = 20;

  private final ReentrantLock inProcess;
  private final FileChannel channel;
  private final FileLock lock;

  private KeyRingLock(ReentrantLock inProcess, FileChannel channel, FileLock lock) {
    this.inProcess = inProcess;
    this.channel = channel;
    this.lock = lock;
  }

  static KeyRingLock acquire(Path keyRing, Duration timeout) throws IOException {
    Path lockFile = lockFileOf(keyRing);
    long deadline = System.nanoTime() + timeout.toNanos();
    ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    try {
      if (!inProcess.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw busy(lockFile, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the key ring lock " + lockFile, e);
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(lockFile.getParent());
      channel = open(lockFile);
      FileLock lock;
      while ((lock = channel.tryLock()) == null) {
        if (System.nanoTime() > deadline) {
          throw busy(lockFile, timeout);
        }
        Thread.sleep(POLL_MILLIS);
      }
      return new KeyRingLock(inProcess, channel, lock);
    } catch (IOException | RuntimeException e) {
      release(inProcess, channel);
      throw e;
    } catch (InterruptedException e) {
      release(inProcess, channel);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the key ring lock " + lockFile, e);
    }
  }

  static Path lockFileOf(Path keyRing) {
    Path absolute = keyRing.toAbsolutePath().normalize();
    return absolute.resolveSibling(absolute.getFileName() + ".lock");
  }

  private static FileChannel open(Path lockFile) throws IOException {
    try {
      return FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    } finally {
      try {
        Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException | UnsupportedOperationException e) {
        // the lock file holds nothing; its mode is tidiness, not security
      }
    }
  }

  private static IOException busy(Path lockFile, Duration timeout) {
    return new IOException("another process has been editing the key ring for " + timeout.toSeconds()
        + " s (it holds " + lockFile + "); try again when it is done");
  }

  private static void release(ReentrantLock inProcess, FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing releases the lock; nothing more to do
    } finally {
      inProcess.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      release(inProcess, channel);
    }
  }
}
