package dev.ticketoffload.server.testing;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ticketd serve} as a real child process (its own JVM), on a free loopback port. */
public final class TicketdProcess implements AutoCloseable {

  private final Process process;
  private final Path stderr;
  public final int port;
  public final ManagedChannel channel;

  /** Starts {@code ticketd serve --listen 127.0.0.1:0 --backend jdk ARGS} and waits for its port. */
  public TicketdProcess(Path dir, String name, String... args) throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "dev.ticketoffload.server.Ticketd", "serve", "--listen", "127.0.0.1:0", "--backend", "jdk"));
    cmd.addAll(List.of(args));
    stderr = dir.resolve(name + ".stderr.txt");
    process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening on 127.0.0.1:")) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not start: " + Files.readString(stderr));
    }
    port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .maxInboundMessageSize(64 * 1024 * 1024).build();
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public TicketServiceGrpc.TicketServiceBlockingStub blocking() {
    return TicketServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  public TicketServiceGrpc.TicketServiceStub async() {
    return TicketServiceGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** SIGKILL: no grace, connections cut. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public String log() throws java.io.IOException {
    return Files.readString(stderr);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
