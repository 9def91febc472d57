package dev.ticketoffload.server.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ticketd serve}: runs until SIGTERM/SIGINT, then shuts down gracefully and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve TicketService (gRPC), health and reflection; optionally Prometheus metrics.")
public final class ServeCommand implements Callable<Integer> {

  @Mixin
  ServeOptions options = new ServeOptions();

  @Override
  public Integer call() throws Exception {
    Daemon daemon;
    try {
      daemon = Daemon.start(options, System.out);
    } catch (Daemon.StartupException | IllegalArgumentException e) {
      System.err.println("ticketd serve: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        daemon.shutdown(Duration.ofSeconds(options.gracePeriodSeconds));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stopped.countDown();
        // A JVM ended by SIGTERM exits 143; a graceful stop is a success, so say 0.
        Runtime.getRuntime().halt(0);
      }
    }, "graceful-shutdown"));
    stopped.await();
    return 0;
  }
}
