package dev.ticketoffload.storm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Short storms that check correctness, not speed. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StormCommandTest {

  private static final List<String> JSON_FIELDS = List.of("backend", "tickets", "gateways", "batch", "seal_seconds",
      "seals_per_s", "open_seconds", "opens_per_s", "open_p50_ms", "open_p99_ms", "open_p999_ms", "ok", "mismatched",
      "errors", "replays_rejected", "tampered_rejected", "shed", "server_max_heap_mb", "instances", "store", "double_ok",
      "lost", "killed_at", "ticket_mode", "ticket_bytes", "revoked", "revoked_expected", "warmup",
      "open_server_cpu_us_per_ticket", "open_store_cpu_us_per_ticket");

  private record Run(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      String[] lines = out.strip().split("\n");
      return new ObjectMapper().readTree(lines[lines.length - 1]);
    }
  }

  private static Run storm(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = new CommandLine(new StormCommand().withOutput(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
        .execute(args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void storm_20000Tickets_againstItsOwnServer_passesEveryCheck() throws Exception {
    Run run = storm("--tickets", "20000", "--gateways", "4", "--batch", "128", "--tamper", "0.02",
        "--replay-sample", "500", "--json", "--server-arg=--backend=jdk");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyElementsOf(JSON_FIELDS);
    assertThat(json.get("backend").asText()).isEqualTo("jdk");
    assertThat(json.get("tickets").asInt()).isEqualTo(20000);
    assertThat(json.get("mismatched").asLong()).isZero();
    assertThat(json.get("errors").asLong()).isZero();
    long tampered = json.get("tampered_rejected").asLong();
    assertThat(tampered).isBetween(200L, 600L);
    assertThat(json.get("ok").asLong() + tampered).isEqualTo(20000);
    assertThat(json.get("replays_rejected").asLong()).isEqualTo(500);
    assertThat(json.get("opens_per_s").asDouble()).isPositive();
    assertThat(json.get("open_p999_ms").asDouble()).isGreaterThanOrEqualTo(json.get("open_p50_ms").asDouble());
    assertThat(run.err()).contains("storm open");
    // the server ran in the storm's own JVM: its CPU cannot be told apart
    assertThat(json.get("open_server_cpu_us_per_ticket").isNull()).isTrue();
    assertThat(json.get("open_store_cpu_us_per_ticket").isNull()).isTrue();
    assertThat(json.get("warmup").asInt()).isZero();
  }

  @Test
  void storm_warmup_sealsAndOpensThatManyOtherTicketsFirst_countedInNoFigure() throws Exception {
    CarelessTicketService counting = new CarelessTicketService();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(counting).build().start();
    try {
      Run run = storm("--tickets", "2000", "--warmup", "3000", "--gateways", "2", "--tamper", "0",
          "--replay-sample", "10", "--json", "--target", "127.0.0.1:" + server.getPort());

      JsonNode json = run.json();
      assertThat(json.get("warmup").asInt()).isEqualTo(3000);
      // one probe seal, the warm-up's, the storm's; the warm-up's opens, the storm's, the second opens
      assertThat(counting.sealedItems.sum()).isEqualTo(1 + 3000 + 2000);
      assertThat(counting.openedItems.sum()).isEqualTo(3000 + 2000 + 10);
      assertThat(json.get("ok").asLong() + json.get("mismatched").asLong()).isEqualTo(2000);
      assertThat(run.err()).contains("after a warm-up of 3,000 tickets");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void storm_warmupOpensNotOk_areErrorsOfTheRun_namedAsTheWarmUps() throws Exception {
    CarelessTicketService replaying = new CarelessTicketService();
    replaying.everyOpen = dev.ticketoffload.api.v1.Outcome.REPLAYED;
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(replaying).build().start();
    try {
      Run run = storm("--tickets", "200", "--warmup", "100", "--gateways", "2", "--tamper", "0",
          "--replay-sample", "10", "--json", "--target", "127.0.0.1:" + server.getPort());

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("error: warm-up open gave REPLAYED x 100");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void storm_warmup_againstItsOwnServer_everyWarmupTicketOpensOk_thenTheStormPasses() throws Exception {
    Run run = storm("--tickets", "3000", "--warmup", "2000", "--gateways", "2", "--replay-sample", "100", "--json",
        "--server-arg=--backend=jdk");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.json().get("errors").asLong()).isZero();
    assertThat(run.json().get("ok").asLong() + run.json().get("tampered_rejected").asLong()).isEqualTo(3000);
  }

  @Test
  void storm_openLoopAtAFixedRate_takesAboutTicketsOverRate() throws Exception {
    Run run = storm("--tickets", "4000", "--gateways", "2", "--rate", "4000", "--json", "--server-arg=--backend=jdk");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.json().get("open_seconds").asDouble()).isBetween(0.9, 5.0);
  }

  @Test
  void storm_serverHeap_runsTheServerInAChildJvmWithThatCap() throws Exception {
    Run run = storm("--tickets", "5000", "--gateways", "2", "--server-heap", "256m", "--json",
        "--server-arg=--backend=jdk");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.json().get("server_max_heap_mb").asLong()).isEqualTo(256);
    assertThat(run.json().get("backend").asText()).isEqualTo("jdk");
    // a child JVM: its CPU in the open phase is its own (at least the crypto of each ticket); no store process
    assertThat(run.json().get("open_server_cpu_us_per_ticket").asDouble()).isPositive();
    assertThat(run.json().get("open_store_cpu_us_per_ticket").isNull()).isTrue();
    assertThat(run.err()).containsPattern("open CPU per ticket: servers [0-9.]+ µs, redis-server unknown");
  }

  @Test
  void storm_againstAServiceThatAltersStatesAndForgetsReplays_countsMismatchesAndErrors_andExitsOne() throws Exception {
    Server careless = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new CarelessTicketService()).build().start();
    try {
      Run run = storm("--tickets", "2000", "--gateways", "2", "--replay-sample", "10", "--json",
          "--target", "127.0.0.1:" + careless.getPort());

      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      JsonNode json = run.json();
      assertThat(json.get("mismatched").asLong()).isPositive();
      assertThat(json.get("errors").asLong()).isGreaterThanOrEqualTo(10);
      assertThat(json.get("replays_rejected").asLong()).isZero();
      assertThat(json.get("server_max_heap_mb").isNull()).isTrue();
      assertThat(run.err()).contains("storm: FAILED").contains("instead of REPLAYED");
    } finally {
      careless.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void storm_invalidOptions_exitTwoNamingTheFlag() {
    Run run = storm("--tamper", "1.5");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--tamper");

    Run both = storm("--target", "127.0.0.1:1", "--server-heap", "512m");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--server-heap");

    Run alone = storm("--instances", "3");
    assertThat(alone.exitCode()).isEqualTo(2);
    assertThat(alone.err()).contains("needs a shared store");
    Run mode = storm("--ticket-mode", "pointer");
    assertThat(mode.exitCode()).isEqualTo(2);
    assertThat(mode.err()).contains("--ticket-mode must be value or reference");
    Run fraction = storm("--revoke-fraction", "1.5");
    assertThat(fraction.exitCode()).isEqualTo(2);
    assertThat(fraction.err()).contains("--revoke-fraction");
    Run kill = storm("--kill-one-at", "0.5");
    assertThat(kill.exitCode()).isEqualTo(2);
    assertThat(kill.err()).contains("--kill-one-at needs --instances 2");
    Run warmup = storm("--warmup", "-1");
    assertThat(warmup.exitCode()).isEqualTo(2);
    assertThat(warmup.err()).contains("--warmup must be 0 or more");
    Run doubleAlone = storm("--double-open");
    assertThat(doubleAlone.exitCode()).isEqualTo(2);
    assertThat(doubleAlone.err()).contains("--double-open needs two servers");
  }

  @Test
  void storm_doubleOpen_twoInstancesOnARedisItStarts_eachTicketOkAtOneInstanceOnly() throws Exception {
    Run run = storm("--instances", "2", "--store", "redis", "--double-open", "--tickets", "2000",
        "--gateways", "2", "--batch", "64", "--tamper", "0.02", "--replay-sample", "100", "--server-heap", "256m",
        "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("instances").asInt()).isEqualTo(2);
    assertThat(json.get("double_ok").asLong()).isZero();
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("errors").asLong()).isZero();
    long tampered = json.get("tampered_rejected").asLong();
    assertThat(tampered).isPositive();
    assertThat(json.get("ok").asLong() + tampered).isEqualTo(2000);
    assertThat(json.get("replays_rejected").asLong()).isEqualTo(100);
  }

  @Test
  void storm_doubleOpen_againstTwoServersThatForgetReplays_countsDoubleOk_andExitsOne() throws Exception {
    Server first = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new CarelessTicketService()).build().start();
    Server second = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new CarelessTicketService()).build().start();
    try {
      Run run = storm("--tickets", "500", "--gateways", "2", "--tamper", "0", "--replay-sample", "10", "--json",
          "--double-open", "--target", "127.0.0.1:" + first.getPort() + ",127.0.0.1:" + second.getPort());

      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.json().get("double_ok").asLong()).isGreaterThanOrEqualTo(500);
      assertThat(run.err()).contains("OK at both instances");
    } finally {
      first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      second.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void storm_twoInstancesOnARedisItStarts_oneKilledMidStorm_noDoubleOkNothingLost() throws Exception {
    Run run = storm("--instances", "2", "--store", "redis", "--kill-one-at", "0.5", "--tickets", "4000",
        "--gateways", "4", "--batch", "64", "--server-heap", "256m", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("instances").asInt()).isEqualTo(2);
    assertThat(json.get("store").asText()).startsWith("redis://127.0.0.1:");
    assertThat(json.get("killed_at").asLong()).isGreaterThanOrEqualTo(1900);
    // the killed instance's CPU is gone with it; the throwaway redis-server's is known
    assertThat(json.get("open_server_cpu_us_per_ticket").isNull()).isTrue();
    assertThat(json.get("open_store_cpu_us_per_ticket").asDouble()).isPositive();
    assertThat(run.err()).containsPattern("open CPU per ticket: servers unknown, redis-server [0-9.]+ µs");
    assertThat(json.get("double_ok").asLong()).isZero();
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("errors").asLong()).isZero();
    assertThat(json.get("ok").asLong()).isPositive();
  }

  @Test
  void storm_byReference_withRevocations_64ByteTickets_revokedOnesRevokedTheOthersOk() throws Exception {
    Run run = storm("--ticket-mode", "reference", "--revoke-fraction", "0.1", "--tickets", "4000", "--gateways", "2",
        "--replay-sample", "200", "--json", "--server-arg=--backend=jdk");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("ticket_mode").asText()).isEqualTo("reference");
    assertThat(json.get("ticket_bytes").asInt()).isEqualTo(64);
    long revoked = json.get("revoked").asLong();
    assertThat(revoked).isBetween(300L, 500L).isEqualTo(json.get("revoked_expected").asLong());
    assertThat(json.get("ok").asLong() + json.get("tampered_rejected").asLong() + revoked).isEqualTo(4000);
    assertThat(json.get("replays_rejected").asLong()).isEqualTo(200);
    assertThat(json.get("errors").asLong()).isZero();
  }

  @Test
  void storm_byReference_twoInstancesOnRedis_revokedAtTheFirstHoldsAtBoth() throws Exception {
    Run run = storm("--instances", "2", "--store", "redis", "--ticket-mode", "reference", "--revoke-fraction", "0.2",
        "--tickets", "3000", "--gateways", "4", "--batch", "64", "--server-heap", "256m", "--json",
        // seals by reference write to the store; a cold child JVM on a busy 2-core machine can miss 500 ms
        "--server-arg=--store-timeout-ms=2000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("ticket_bytes").asInt()).isEqualTo(64);
    long revoked = json.get("revoked").asLong();
    assertThat(revoked).isPositive().isEqualTo(json.get("revoked_expected").asLong());
    assertThat(json.get("ok").asLong() + json.get("tampered_rejected").asLong() + revoked).isEqualTo(3000);
    assertThat(json.get("double_ok").asLong()).isZero();
    assertThat(json.get("lost").asLong()).isZero();
  }

  @Test
  void storm_ticketModeReference_againstARealmSealingByValue_failsOnTheTicketLength() throws Exception {
    try (InProcessTarget byValue = new InProcessTarget(List.of("--backend=jdk"))) {
      Run run = storm("--target", byValue.addresses().get(0), "--ticket-mode", "reference", "--tickets", "500",
          "--gateways", "2", "--replay-sample", "10", "--json");

      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.json().get("ticket_bytes").asInt()).isEqualTo(199);
      assertThat(run.err()).contains("ticket longer than 64 bytes by reference");
    }
  }
}
