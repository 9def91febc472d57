package dev.ticketoffload.openssl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a fresh JVM (same java), for settings fixed at start-up. */
final class ChildJvm {

  record Result(int exitCode, String output) {}

  private ChildJvm() {}

  static Result run(Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove(LibCryptoLocation.ENVIRONMENT_VARIABLE);
    builder.environment().remove("OPENSSL_ia32cap");
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("child JVM did not finish: " + output);
    }
    return new Result(process.exitValue(), output);
  }

  /** The value of {@code key=value} on a line of the child's output, or null. */
  static String field(String output, String key) {
    for (String line : output.split("\n")) {
      if (line.startsWith(key + "=")) {
        return line.substring(key.length() + 1).strip();
      }
    }
    return null;
  }
}
