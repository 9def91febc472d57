package dev.ticketoffload.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * {@code --store-password-file}: one line {@code PASSWORD} (the default user), or two lines
 * {@code USER} then {@code PASSWORD} (a Redis ACL user). Readable by its owner only, as the key ring.
 * Errors name the file and the problem, never the content.
 */
public record StorePasswordFile(String user, char[] password) {

  public static StorePasswordFile read(Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
          || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new IllegalArgumentException("--store-password-file " + file + ": readable or writable by group or "
            + "others; allow its owner only (chmod 600)");
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isEmpty()).toList();
      return switch (lines.size()) {
        case 1 -> new StorePasswordFile(null, lines.get(0).toCharArray());
        case 2 -> new StorePasswordFile(lines.get(0), lines.get(1).toCharArray());
        default -> throw new IllegalArgumentException("--store-password-file " + file + ": expected one line "
            + "(PASSWORD) or two (USER, PASSWORD), found " + lines.size());
      };
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--store-password-file " + file + ": file not found");
    } catch (IOException e) {
      throw new IllegalArgumentException("--store-password-file " + file + ": cannot read it ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public String toString() {
    return "StorePasswordFile[user=" + (user == null ? "default" : user) + ", password=(hidden)]";
  }
}
