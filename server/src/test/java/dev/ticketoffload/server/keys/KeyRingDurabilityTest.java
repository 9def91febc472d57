package dev.ticketoffload.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key ring edit is on disk when it returns: the new file's content fsynced before it is renamed
 * into place, the directory fsynced after. Watched from outside, with strace, on a real
 * {@code rotate} in a child JVM (CI installs strace; .ci/run).
 */
class KeyRingDurabilityTest {

  @TempDir
  Path dir;

  @Test
  void rotate_fsyncsTheNewFileBeforeTheRename_andTheDirectoryAfter() throws Exception {
    Path ringDir = Files.createDirectory(dir.resolve("ring"));
    Path ring = ringDir.resolve("keyring.json");
    new KeyRingEditor(ring, Clock.systemUTC()).init(List.of("default"));
    Path go = Files.createFile(dir.resolve("go"));
    Path trace = dir.resolve("trace.txt");
    Process p = new ProcessBuilder("strace", "-f", "-qq", "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2",
        "-o", trace.toString(), Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), RotateMain.class.getName(), ring.toString(), go.toString(), "1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();

    List<String> calls = Files.readAllLines(trace).stream().map(l -> l.replaceFirst("^\\d+\\s+", "")).toList();
    // fd numbers are reused: each search starts after the call before it
    int renamed = indexOf(calls, 0, "^rename.*" + Pattern.quote(ring.toString()) + "\".*= 0");
    int tmpOpened = lastIndexBefore(calls, renamed, "^openat\\(AT_FDCWD, \"" + Pattern.quote(ringDir.toString())
        + "/\\.keyring[^\"]*\\.tmp\", O_WRONLY\\) = \\d+$");
    int tmpSynced = tmpOpened < 0 ? -1 : indexOf(calls, tmpOpened, "^f(data)?sync\\(" + fd(calls.get(tmpOpened)) + "\\)\\s+= 0");
    int dirOpened = indexOf(calls, renamed + 1, "^openat\\(AT_FDCWD, \"" + Pattern.quote(ringDir.toString())
        + "\", O_RDONLY.*= \\d+$");
    int dirSynced = dirOpened < 0 ? -1 : indexOf(calls, dirOpened, "^f(data)?sync\\(" + fd(calls.get(dirOpened)) + "\\)\\s+= 0");
    assertThat(renamed).as("rename into place").isNotNegative();
    assertThat(tmpSynced).as("fsync of the new file before the rename").isNotNegative().isLessThan(renamed);
    assertThat(dirSynced).as("fsync of the directory after the rename").isGreaterThan(renamed);
  }

  private static String fd(String openCall) {
    return openCall.substring(openCall.lastIndexOf('=') + 1).strip();
  }

  private static int indexOf(List<String> calls, int from, String regex) {
    Pattern p = Pattern.compile(regex);
    for (int i = Math.max(0, from); i < calls.size(); i++) {
      if (p.matcher(calls.get(i)).find()) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexBefore(List<String> calls, int before, String regex) {
    Pattern p = Pattern.compile(regex);
    for (int i = before - 1; i >= 0; i--) {
      if (p.matcher(calls.get(i)).find()) {
        return i;
      }
    }
    return -1;
  }
}
