package dev.ticketoffload.server.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text format with the JDK's HTTP server, on its own
 * single thread so a scrape never competes with the gRPC workers for more than one core.
 */
public final class MetricsEndpoint implements AutoCloseable {

  private final HttpServer http;

  /** @param beforeScrape refreshes meters that are computed, not counted (seals per epoch key) */
  public MetricsEndpoint(InetSocketAddress address, PrometheusMeterRegistry registry, Runnable beforeScrape)
      throws IOException {
    http = HttpServer.create(address, 16);
    http.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().name("metrics-http").daemon().factory()));
    http.createContext("/metrics", exchange -> {
      try (exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        beforeScrape.run();
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    http.start();
  }

  public InetSocketAddress address() {
    return http.getAddress();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
