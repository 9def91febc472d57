package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.server.grpc.TicketServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestCertificates;
import io.grpc.ConnectivityState;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --health-listen and --max-connection-age: what a Kubernetes fleet needs of ticketd serve. */
class FleetFlagsTest {

  @TempDir
  Path dir;

  private static ManagedChannel plaintext(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
  }

  private static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  @Test
  void healthListen_answersHealthInPlaintext_whileTheMainPortIsTls_andServesNothingElse() throws Exception {
    TestCertificates pki = new TestCertificates(dir, "ca");
    TestCertificates.Issued cert = pki.server();
    try (DaemonFixture s = new DaemonFixture("--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "jdk",
        "--tls-cert", cert.cert().toString(), "--tls-key", cert.key().toString(), "--health-listen", "127.0.0.1:0")) {
      ManagedChannel health = plaintext(s.daemon.healthPort());
      try {
        assertThat(health(health, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(health(health, TicketServer.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(() -> TicketServiceGrpc.newBlockingStub(health).withDeadlineAfter(5, TimeUnit.SECONDS)
            .seal(States.sealRequest("", 1)))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        // The main port still speaks TLS only.
        assertThat(s.stub(TlsChannelCredentials.newBuilder().trustManager(pki.caPem.toFile()).build(), "localhost")
            .seal(States.sealRequest("", 1)).getResultsCount()).isEqualTo(1);
      } finally {
        health.shutdownNow();
      }
    }
  }

  @Test
  void healthListen_offLoopback_isRefusedWithoutInsecure_likePlaintextOnListen() {
    Daemon.StartupException e = DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--health-listen", "0.0.0.0:0");
    assertThat(e.getMessage()).contains("plaintext health").contains("0.0.0.0").contains("--insecure");
  }

  @Test
  void maxConnectionAge_endsTheConnection_andTheClientReconnectsByItself() throws Exception {
    try (DaemonFixture s = new DaemonFixture("--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "jdk",
        "--max-connection-age", "1", "--max-connection-age-grace", "1")) {
      ManagedChannel channel = plaintext(s.daemon.port());
      try {
        TicketServiceGrpc.newBlockingStub(channel).seal(States.sealRequest("", 1));
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (channel.getState(false) == ConnectivityState.READY && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(channel.getState(false)).as("the server ended the connection after its age")
            .isNotEqualTo(ConnectivityState.READY);
        // The client reconnects by itself on the next call.
        assertThat(TicketServiceGrpc.newBlockingStub(channel).seal(States.sealRequest("", 1)).getResultsCount())
            .isEqualTo(1);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void connectionAgeFlags_thatCannotMeanAnything_areRefused() {
    assertThat(DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--max-connection-age-grace", "5").getMessage()).contains("--max-connection-age-grace needs --max-connection-age");
    assertThat(DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--max-connection-age", "-1").getMessage()).contains("--max-connection-age must be >= 1");
  }

  @Test
  void healthListen_saysNotServing_whileShutdownWaitsForCallsInFlight() throws Exception {
    DaemonFixture s = new DaemonFixture("--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "jdk",
        "--health-listen", "127.0.0.1:0");
    ManagedChannel main = plaintext(s.daemon.port());
    ManagedChannel health = plaintext(s.daemon.healthPort());
    try {
      // An open stream is a call in flight: shutdown waits for it up to the grace period.
      CountDownLatch answered = new CountDownLatch(1);
      StreamObserver<OpenRequest> stream = TicketServiceGrpc.newStub(main).openStream(new StreamObserver<>() {
        @Override
        public void onNext(OpenResponse response) {
          answered.countDown();
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      });
      stream.onNext(States.openRequest("", List.of(ByteString.copyFrom(new byte[64])), true));
      assertThat(answered.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(health(health, TicketServer.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);

      CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> {
        try {
          return s.daemon.shutdown(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      ServingStatus during = ServingStatus.SERVING;
      for (int i = 0; i < 100 && during == ServingStatus.SERVING; i++) {
        Thread.sleep(20);
        during = health(health, TicketServer.SERVICE_NAME);
      }
      assertThat(during).as("readiness fails first, so traffic leaves before the pod stops").isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(shutdown).isNotDone();
      stream.onCompleted();
      assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      main.shutdownNow();
      health.shutdownNow();
    }
  }
}
