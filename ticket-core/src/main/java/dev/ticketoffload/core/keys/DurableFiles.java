package dev.ticketoffload.core.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Owner-only files written whole or not at all, and durably: content written to a temporary file
 * in the same directory and fsynced, then moved (or linked) into place, then the directory fsynced
 * so that the new name survives a crash too.
 */
final class DurableFiles {

  private DurableFiles() {}

  /** Replaces {@code file} (or creates it) with {@code content}; wipes {@code content}. */
  static void replace(Path file, byte[] content) throws IOException {
    Path tmp = writeTemporary(file, content);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Creates {@code file} with {@code content} unless it exists; wipes {@code content}. A hard link
   * is created atomically or fails when the name is taken, which a rename (it replaces) is not.
   *
   * @return {@code false} when {@code file} already existed (it is left as it was)
   */
  static boolean createNew(Path file, byte[] content) throws IOException {
    Path tmp = writeTemporary(file, content);
    try {
      Files.createLink(file, tmp);
      syncDirectory(file);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path writeTemporary(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".keyring", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    } finally {
      Arrays.fill(content, (byte) 0);
    }
    return tmp;
  }

  /** fsync of the directory, so the rename or link that put the file there is on disk. */
  private static void syncDirectory(Path file) throws IOException {
    try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
