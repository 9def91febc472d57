package dev.ticketoffload.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory laid out as the kubelet lays out a Secret volume: {@code NAME -> ..data/NAME},
 * {@code ..data -> ..<timestamp>/}, and an update written to a new timestamped directory, then
 * published by renaming a new {@code ..data} link over the old one (one atomic step), then the old
 * directory removed.
 */
public final class SecretVolume {

  private final Path dir;
  private int generation;

  public SecretVolume(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The path a container is given: {@code dir/name}, a symlink into {@code ..data}. */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /** Publishes a new version holding {@code name} with these bytes and mode, as the kubelet does. */
  public Path publish(String name, byte[] content, String mode) throws IOException {
    Path previous = Files.isSymbolicLink(dir.resolve("..data")) ? dir.resolve(Files.readSymbolicLink(dir.resolve("..data"))) : null;
    String versionName = "..2026_12_02_04_00_00." + (++generation);
    Path version = Files.createDirectories(dir.resolve(versionName));
    Path file = version.resolve(name);
    Files.write(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(versionName));
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (!Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
    }
    if (previous != null) {
      try (Stream<Path> old = Files.walk(previous)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return version.resolve(name);
  }
}
