package dev.ticketoffload.server.cli;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Starts {@code ticketd serve} in-process from command-line flags, as bin/ticketd would. */
final class DaemonFixture implements AutoCloseable {

  final Daemon daemon;
  final String stdout;
  private final List<ManagedChannel> channels = new ArrayList<>();

  DaemonFixture(String... args) throws Exception {
    ServeOptions options = CommandLine.populateCommand(new ServeOptions(), args);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    daemon = Daemon.start(options, new PrintStream(out, true, StandardCharsets.UTF_8));
    stdout = out.toString(StandardCharsets.UTF_8);
  }

  static Daemon.StartupException startupFailure(String... args) {
    try {
      new DaemonFixture(args).close();
      throw new AssertionError("expected the start to be refused");
    } catch (Daemon.StartupException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  TicketServiceGrpc.TicketServiceBlockingStub plaintext() {
    return stub(InsecureChannelCredentials.create(), null);
  }

  TicketServiceGrpc.TicketServiceBlockingStub stub(ChannelCredentials credentials, String authority) {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", daemon.port(), credentials);
    if (authority != null) {
      b.overrideAuthority(authority);
    }
    ManagedChannel channel = b.build();
    channels.add(channel);
    return TicketServiceGrpc.newBlockingStub(channel);
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    try {
      daemon.shutdown(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the daemon", e);
    }
  }
}
