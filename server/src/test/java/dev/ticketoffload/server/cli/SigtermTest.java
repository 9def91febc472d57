package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.server.testing.States;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ticketd serve as a real process: SIGTERM stops it gracefully with exit status 0. */
class SigtermTest {

  @TempDir
  Path dir;

  @Test
  void sigterm_stopsGracefully_withExitStatusZero() throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(javaBin.toString(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.ticketoffload.server.Ticketd",
        "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "jdk", "--grace-period", "5")
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("listening on 127.0.0.1:");
      int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        assertThat(TicketServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .seal(States.sealRequest("", 2)).getResultsCount()).isEqualTo(2);
      } finally {
        channel.shutdownNow();
      }

      p.destroy(); // SIGTERM

      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(java.nio.file.Files.readString(dir.resolve("stderr.txt"))).contains("every call in flight finished");
    } finally {
      p.destroyForcibly();
    }
  }
}
