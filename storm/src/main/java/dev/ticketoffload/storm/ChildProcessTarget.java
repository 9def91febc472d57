package dev.ticketoffload.storm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ticketd serve} as a child JVM with its own heap cap ({@code -Xmx}), on 127.0.0.1 and a
 * free port, with a throwaway key ring: the way to show the server holds a storm within a fixed
 * heap while the gateways' memory is counted elsewhere.
 */
final class ChildProcessTarget implements StormTarget {

  private static final Pattern LISTENING = Pattern.compile("^listening on (\\S+)$");
  private static final Pattern BACKEND = Pattern.compile("backend: (\\S+)");
  private static final Pattern HEAP = Pattern.compile("^(\\d+)([kmg]?)$");

  private final Process process;
  private final Path dataDir;
  private final String address;
  private final long maxHeapMb;
  private final Deque<String> lastLogLines = new ArrayDeque<>();
  private volatile String backend = "unknown";

  ChildProcessTarget(String heap, List<String> serverArgs) throws IOException, InterruptedException {
    this.maxHeapMb = heapMb(heap);
    this.dataDir = TempDirs.create("ticketd-storm-");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xms" + heap,
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "dev.ticketoffload.server.Ticketd", "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()));
    command.addAll(serverArgs);
    this.process = new ProcessBuilder(command).start();
    Thread logPump = new Thread(this::pumpLog, "storm-server-log");
    logPump.setDaemon(true);
    logPump.start();
    try {
      this.address = awaitListening();
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private String awaitListening() throws IOException, InterruptedException {
    // A thread of its own: on 2 cores the common pool has one thread, which other work may hold.
    CompletableFuture<String> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> readStdout(listening), "storm-server-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String found = listening.get(120, TimeUnit.SECONDS);
      if (found == null) {
        throw new IOException("the server exited before listening: " + lastLog());
      }
      return found;
    } catch (TimeoutException e) {
      throw new IOException("the server did not say 'listening on' within 120 s: " + lastLog());
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  /** Completes {@code listening} with the address (or null at end of output), then drains the rest. */
  private void readStdout(CompletableFuture<String> listening) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        Matcher m = LISTENING.matcher(line.trim());
        if (m.matches()) {
          listening.complete(m.group(1)); // later lines are not ours to show
        }
      }
    } catch (IOException ignored) {
      // the child exited
    } finally {
      listening.complete(null);
    }
  }

  private void pumpLog() {
    try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        Matcher m = BACKEND.matcher(line);
        if (m.find()) {
          backend = m.group(1);
        }
        synchronized (lastLogLines) {
          lastLogLines.addLast(line);
          if (lastLogLines.size() > 20) {
            lastLogLines.removeFirst();
          }
        }
      }
    } catch (IOException ignored) {
      // the child exited
    }
  }

  String lastLog() {
    synchronized (lastLogLines) {
      return String.join(System.lineSeparator(), lastLogLines);
    }
  }

  static long heapMb(String heap) {
    Matcher m = HEAP.matcher(heap.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("--server-heap must look like 512m, 2g or 536870912, got " + heap);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "k" -> n >> 10;
      case "m" -> n;
      case "g" -> n << 10;
      default -> n >> 20;
    };
  }

  /** SIGKILL: no grace period, connections cut mid-batch. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<ProcessHandle> serverProcesses() {
    return List.of(process.toHandle());
  }

  /** Whether the server is still running (it must survive the storm). */
  boolean alive() {
    return process.isAlive();
  }

  @Override
  public List<String> addresses() {
    return List.of(address);
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  public Long serverMaxHeapMb() {
    return maxHeapMb;
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the server shuts down gracefully
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      TempDirs.delete(dataDir);
    } catch (IOException e) {
      System.err.println("storm: could not delete " + dataDir + ": " + e.getMessage());
    }
  }
}
