package dev.ticketoffload.core.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key ring must belong to the user this process runs as, or to root: another user who owns it
 * could change its keys, whatever its mode says (ssh refuses such a private key for the same reason,
 * and accepts root's). Root-owned is how a Kubernetes Secret volume reaches a non-root container.
 */
final class FileOwner {

  private static final int ROOT_UID = 0;

  private FileOwner() {}

  static void check(Path file) throws IOException, KeyRingException {
    Integer ourUid = processUid();
    if (ourUid != null) {
      int fileUid = (Integer) Files.getAttribute(file, "unix:uid");
      if (fileUid != ourUid && fileUid != ROOT_UID) {
        throw new KeyRingException("key ring " + file + ": owned by uid " + fileUid + ", but this process runs as uid "
            + ourUid + "; another user could change the keys (run: chown " + ourUid + " " + file + ")");
      }
      return;
    }
    // Without /proc (not Linux): compare user names instead.
    String owner = Files.getOwner(file).getName();
    String us = System.getProperty("user.name");
    if (!owner.equals(us) && !owner.equals("root")) {
      throw new KeyRingException("key ring " + file + ": owned by " + owner + ", but this process runs as " + us
          + "; another user could change the keys (run: chown " + us + " " + file + ")");
    }
  }

  /** The effective uid of this process: {@code /proc/self} belongs to it. {@code null} without /proc. */
  private static Integer processUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
