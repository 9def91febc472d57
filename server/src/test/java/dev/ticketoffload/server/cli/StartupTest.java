package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.server.Ticketd;
import dev.ticketoffload.server.testing.States;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {

  @TempDir
  Path dir;

  @Test
  void nonLoopbackWithoutTls_isRefusedUnlessInsecure() {
    Daemon.StartupException e = DaemonFixture.startupFailure("--listen", "0.0.0.0:0", "--data-dir", dir.toString());
    assertThat(e.getMessage()).contains("plaintext").contains("--insecure");
    assertThat(dir.resolve("keyring.json")).doesNotExist();
  }

  @Test
  void nonLoopbackWithInsecure_createsKeysAndServes() throws Exception {
    try (DaemonFixture s = new DaemonFixture("--listen", "0.0.0.0:0", "--insecure", "--data-dir", dir.toString(),
        "--backend", "jdk")) {
      assertThat(dir.resolve("keyring.json")).exists();
      assertThat(s.stdout).startsWith("listening on 0.0.0.0:");
    }
  }

  @Test
  void unknownBackend_andBadLimits_areRefusedWithTheFlagName() {
    assertThat(DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "rot13")
        .getMessage()).contains("--backend");
    assertThat(DaemonFixture.startupFailure("--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
        "--max-items-per-request", "0").getMessage()).contains("max-items-per-request");
  }

  @Test
  void flagDefaults_comeFromEnvironmentThenConfigFile_andFlagsWin() throws Exception {
    Path config = dir.resolve("ticketd.properties");
    Files.writeString(config, "max-ticket-bytes=1500\nmax-items-per-request=99\nskew-seconds=7\n");
    Map<String, String> env = Map.of("TICKETD_MAX_ITEMS_PER_REQUEST", "77", "TICKETD_SKEW_SECONDS", "5");
    String[] args = {"serve", "--config", config.toString(), "--skew-seconds", "3"};
    CommandLine cli = new CommandLine(new Ticketd()).setDefaultValueProvider(
        new EnvAndFileDefaults(env, EnvAndFileDefaults.configFile(args, env)));

    CommandLine.ParseResult parsed = cli.parseArgs(args);

    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(serve.options.maxTicketBytes).isEqualTo(1500);    // config file
    assertThat(serve.options.maxItemsPerRequest).isEqualTo(77);  // environment beats the file
    assertThat(serve.options.skewSeconds).isEqualTo(3);          // flag beats both
    assertThat(serve.options.maxRequestBytes).isEqualTo(16 * 1024 * 1024); // built-in default
  }

  @Test
  void metricsEndpoint_servesPrometheusText() throws Exception {
    try (DaemonFixture s = new DaemonFixture("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
        "--data-dir", dir.toString(), "--backend", "jdk")) {
      var ticket = s.plaintext().seal(States.sealRequest("", 3)).getResults(0).getTicket();
      List<OpenResult> results = s.plaintext().open(States.openRequest("", List.of(ticket, ticket), false)).getResultsList();
      assertThat(results).hasSize(2);

      // A batch is released (and its latency recorded) just after its answer is sent: the client can
      // be a moment ahead of the server, so scrape until the last batch has left.
      HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.daemon.metricsPort() + "/metrics")).build();
      HttpResponse<String> response = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString());
      for (int tries = 0; tries < 100 && !response.body().contains("ticketoffload_work_in_flight_items 0.0"); tries++) {
        Thread.sleep(20);
        response = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString());
      }

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("ticketoffload_items_total{outcome=\"OK\",rpc=\"Open\"} 1.0")
          .contains("ticketoffload_items_total{outcome=\"REPLAYED\",rpc=\"Open\"} 1.0")
          .contains("ticketoffload_items_total{outcome=\"SEALED\",rpc=\"Seal\"} 3.0")
          .contains("ticketoffload_replay_guard_entries 1.0")
          .contains("ticketoffload_epoch_key_seals{")
          .containsPattern("ticketoffload_backend_info\\{aes_ni=\"(true|false)\",backend=\"jdk\",openssl_version=\"none\"")
          .contains("ticketoffload_batch_seconds_bucket{rpc=\"Open\"")
          .contains("ticketoffload_work_in_flight_items 0.0");
    }
  }
}
