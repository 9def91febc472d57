package dev.ticketoffload.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a JVM of its own, started as a child process: it is ready when it prints
 * {@code listening on HOST:PORT} (as {@code ticketd serve --listen 127.0.0.1:0} does). Its standard
 * error goes to a file in the run's directory, quoted when the start fails. Closing ends it.
 */
final class ServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
  private static final long START_TIMEOUT_SECONDS = 120;

  final String name;
  private final Process process;
  private final int port;

  private ServerProcess(String name, Process process, int port) {
    this.name = name;
    this.process = process;
    this.port = port;
  }

  /** Starts {@code command} and waits until it listens; {@code name} names its log file and errors. */
  static ServerProcess start(String name, List<String> command, Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".stderr");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> awaitPort(out));
    try {
      int p = port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (p < 0) {
        throw new IOException(name + " exited before it listened (exit " + process.waitFor() + "): " + tail(log));
      }
      Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> drain(out)); // a full pipe would block it
      return new ServerProcess(name, process, p);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException(name + " did not listen within " + START_TIMEOUT_SECONDS + " s: " + tail(log), e);
    } catch (IOException | RuntimeException | InterruptedException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** CPU time the process used so far (every thread). */
  long cpuNanos() {
    return ProcStat.cpuNanos(process.pid());
  }

  /** The port, or -1 when standard output ends first. */
  private static int awaitPort(BufferedReader out) {
    try {
      for (String line; (line = out.readLine()) != null; ) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(2));
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discarded: the servers print nothing per request
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then SIGKILL after 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
