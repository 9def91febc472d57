package dev.ticketoffload.server.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A plaintext port that serves nothing but {@code grpc.health.v1.Health} ({@code --health-listen}),
 * for the kubelet's gRPC probes, which cannot speak TLS, when the main port does. It answers from
 * the main server's health status (the same service instance), so it says SERVING exactly when the
 * main port does. It carries no ticket, key or realm name: only service names and their status.
 */
public final class HealthEndpoint implements AutoCloseable {

  /** Health checks are tiny; a larger message is not a health check. */
  private static final int MAX_INBOUND_MESSAGE_BYTES = 4096;

  private final Server server;

  public HealthEndpoint(InetSocketAddress address, BindableService health) throws IOException {
    server = NettyServerBuilder.forAddress(address, InsecureServerCredentials.create())
        .directExecutor()
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
        .addService(health)
        .build()
        .start();
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
