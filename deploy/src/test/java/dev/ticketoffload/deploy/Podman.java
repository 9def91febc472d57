package dev.ticketoffload.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * podman as the project runs it here: vfs storage and the project's own containers.conf (runc,
 * the host's network and user namespace, no ulimits). Every call has a timeout.
 */
final class Podman {

  record Result(int exitCode, String stdout, String stderr) {
    Result orThrow(List<String> command) {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ": " + stderr + stdout);
      }
      return this;
    }
  }

  static final Path CONF = Repository.ROOT.resolve("deploy/image/containers.conf");

  private Podman() {}

  /**
   * Skips the calling test when the image tests are not asked for; fails when they are asked for
   * (CI=true or TICKETD_IMAGE_TESTS=1) and podman is missing, so CI never skips them silently.
   */
  static void requireOrSkip() {
    boolean asked = "true".equals(System.getenv("CI")) || "1".equals(System.getenv("TICKETD_IMAGE_TESTS"));
    boolean present = onPath("podman") && onPath("runc") && onPath("mmdebstrap");
    if (asked && !present) {
      throw new AssertionError("the image tests are required here (CI=true or TICKETD_IMAGE_TESTS=1) but podman, "
          + "runc or mmdebstrap is missing: apt-get install -y podman runc mmdebstrap gcc");
    }
    String skipped = "image tests skipped: set TICKETD_IMAGE_TESTS=1 to build and run the image"
        + (present ? "" : " (needs podman, runc, mmdebstrap)");
    if (!asked) {
      System.out.println(skipped); // JUnit reports a class skipped in @BeforeAll without its reason
    }
    Assumptions.assumeTrue(asked, skipped);
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static Result podman(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("podman", "--storage-driver=vfs"));
    command.addAll(List.of(args));
    return run(command, timeoutSeconds);
  }

  static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("podman", ".out");
    Path err = Files.createTempFile("podman", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("CONTAINERS_CONF", CONF.toString());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s: "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static String logs(String container) throws IOException, InterruptedException {
    Result r = podman(30, "logs", container);
    return r.stdout() + r.stderr();
  }

  static void removeQuietly(String container) {
    try {
      podman(60, "rm", "--force", "--time", "0", container);
    } catch (IOException | InterruptedException | AssertionError e) {
      // best effort: the test's own assertion is what matters
    }
  }
}
