package dev.ticketoffload.storm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ticketd storm --store redis}: a {@code redis-server} the storm starts on 127.0.0.1 and a
 * free port, in a temporary directory, without persistence, and stops at the end.
 */
final class ThrowawayRedis implements AutoCloseable {

  private final Process process;
  private final Path dir;
  final int port;

  ThrowawayRedis() throws IOException, InterruptedException {
    dir = TempDirs.create("ticketd-storm-redis-");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try {
      process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--dir", dir.toString(), "--save", "", "--appendonly", "no"))
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IOException("--store redis starts redis-server, which is not on the PATH (apt-get install "
          + "redis-server), or pass --store redis://HOST:PORT", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answersPing()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        close();
        throw new IOException("redis-server did not start on port " + port);
      }
      Thread.sleep(50);
    }
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Bytes Redis reports in use ({@code INFO memory}'s used_memory), for the storm's sizing line. */
  long usedMemoryBytes() {
    String info = command("INFO memory");
    for (String line : info.split("\r\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    return -1;
  }

  private boolean answersPing() {
    return command("PING").contains("PONG");
  }

  /** One inline command over a fresh connection; its raw reply (empty when it cannot connect). */
  private String command(String inline) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      TempDirs.delete(dir);
    } catch (IOException e) {
      System.err.println("storm: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
