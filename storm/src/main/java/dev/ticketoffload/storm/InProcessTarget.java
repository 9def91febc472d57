package dev.ticketoffload.storm;

import dev.ticketoffload.server.cli.Daemon;
import dev.ticketoffload.server.cli.ServeOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code ticketd serve} in this JVM on 127.0.0.1 and a free port, over real Netty (calls cross
 * the loopback interface and the whole gRPC stack), with a throwaway key ring in a temp dir.
 * Shares CPU and heap with the gateways; {@link ChildProcessTarget} separates them.
 */
final class InProcessTarget implements StormTarget {

  private final Daemon daemon;
  private final Path dataDir;

  InProcessTarget(List<String> serverArgs) throws Exception {
    this.dataDir = TempDirs.create("ticketd-storm-");
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()));
    args.addAll(serverArgs);
    ServeOptions options = new ServeOptions();
    new CommandLine(options).parseArgs(args.toArray(String[]::new));
    this.daemon = Daemon.start(options, new PrintStream(OutputStream.nullOutputStream()));
  }

  @Override
  public List<String> addresses() {
    return List.of(daemon.listening());
  }

  @Override
  public String backend() {
    return daemon.backendName();
  }

  @Override
  public Long serverMaxHeapMb() {
    return Runtime.getRuntime().maxMemory() >> 20;
  }

  @Override
  public void close() {
    try {
      daemon.shutdown(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      TempDirs.delete(dataDir);
    } catch (IOException e) {
      System.err.println("storm: could not delete " + dataDir + ": " + e.getMessage());
    }
  }
}
