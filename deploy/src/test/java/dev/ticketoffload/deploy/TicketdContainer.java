package dev.ticketoffload.deploy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ticketd serve} in a container of the image, as the Deployment runs it: read-only root,
 * the key ring directory mounted read-only at /etc/ticketd/keyring, a tmpfs /tmp, loopback ports on
 * the host's network (gRPC, health only, metrics), free ports picked here.
 */
final class TicketdContainer implements AutoCloseable {

  final String name = "ticketd-test-" + UUID.randomUUID().toString().substring(0, 8);
  final int grpcPort;
  final int healthPort;
  final int metricsPort;
  private final ManagedChannel healthChannel;

  TicketdContainer(String image, Path keyRingDir, List<String> podmanOptions, String... serveArgs) throws Exception {
    grpcPort = freePort();
    healthPort = freePort();
    metricsPort = freePort();
    List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--read-only",
        "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=64m",
        "--volume", keyRingDir + ":/etc/ticketd/keyring:ro"));
    args.addAll(podmanOptions);
    args.addAll(List.of(image, "serve", "--listen", "127.0.0.1:" + grpcPort, "--health-listen", "127.0.0.1:" + healthPort,
        "--metrics-listen", "127.0.0.1:" + metricsPort, "--key-ring-poll-ms", "200"));
    args.addAll(List.of(serveArgs));
    Podman.podman(120, args.toArray(String[]::new)).orThrow(args);
    healthChannel = NettyChannelBuilder.forAddress("127.0.0.1", healthPort).usePlaintext().build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits until health says SERVING for TicketService; fails with the container's log if it does not. */
  void awaitServing(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        ServingStatus status = HealthGrpc.newBlockingStub(healthChannel).withDeadlineAfter(1, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService("ticketoffload.v1.TicketService").build()).getStatus();
        if (status == ServingStatus.SERVING) {
          return;
        }
      } catch (StatusRuntimeException e) {
        // not listening yet
      }
      if (!running()) {
        throw new AssertionError("the container stopped before SERVING:\n" + Podman.logs(name));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not SERVING within " + timeout + ":\n" + Podman.logs(name));
  }

  boolean running() throws Exception {
    return "true".equals(Podman.podman(30, "inspect", "--format", "{{.State.Running}}", name).stdout().strip());
  }

  /** When the container's process started, as podman recorded it (RFC 3339 with nanoseconds). */
  String startedAt() throws Exception {
    return Podman.podman(30, "inspect", "--format", "{{.State.StartedAt}}", name).stdout().strip();
  }

  int exitCode() throws Exception {
    return Integer.parseInt(Podman.podman(30, "inspect", "--format", "{{.State.ExitCode}}", name).stdout().strip());
  }

  String logs() throws Exception {
    return Podman.logs(name);
  }

  String metrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** {@code podman stop}: SIGTERM (the image's STOPSIGNAL), SIGKILL after {@code timeoutSeconds}. */
  Duration stop(int timeoutSeconds) throws Exception {
    long start = System.nanoTime();
    List<String> args = List.of("stop", "--time", String.valueOf(timeoutSeconds), name);
    Podman.podman(timeoutSeconds + 60L, args.toArray(String[]::new)).orThrow(args);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() {
    healthChannel.shutdownNow();
    Podman.removeQuietly(name);
  }
}
