package dev.ticketoffload.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ExternalLoadRun end to end with tiny counts (three child JVMs, a fraction of a second of load
 * each), so the harness cannot rot unseen. Asserts what it did, never how fast.
 */
class ExternalLoadRunTest {

  @ParameterizedTest
  @CsvSource({"open,0", "open,2", "seal,2"})
  void run_answersEveryItem_ofBothServers_andStopsThem(String rpc, int streams, @TempDir Path dir) throws Exception {
    Path out = dir.resolve("external-load.json");
    ExternalLoadReport report = ExternalLoadRun.run(ExternalLoadOptions.parse("--rpc", rpc, "--streams",
        Integer.toString(streams), "--batch", "8", "--calls", "4", "--channels", "2", "--seconds", "0.3",
        "--warmup-seconds", "0.2", "--alternations", "1", "--server-heap", "256m", "--max-tickets", "50000",
        "--out", out.toString()));
    report.writeJson(out);

    assertThat(report.slices()).extracting(ExternalLoadReport.Slice::service).containsExactly("echo", "ticketd");
    for (ExternalLoadReport.Slice s : report.slices()) {
      // fresh tickets: ticketd opened each (no REPLAYED), shed or refused nothing
      assertThat(s.failedCalls()).as(s.service() + ": " + s.firstFailure()).isZero();
      assertThat(s.notOk()).as(s.service()).isZero();
      // every request sent was answered before the slice ended, at least one per call in flight
      assertThat(s.answered()).as(s.service()).isGreaterThanOrEqualTo(4 * 8);
      assertThat(s.serverCpuNanosPerItem()).as(s.service()).isGreaterThanOrEqualTo(0);
    }
    assertThat(report.ratios()).hasSize(1);
    assertThat(ProcessHandle.of(report.echoPid()).map(ProcessHandle::isAlive)).as("echo stopped").isNotEqualTo(
        java.util.Optional.of(true));
    assertThat(ProcessHandle.of(report.ticketdPid()).map(ProcessHandle::isAlive)).as("ticketd stopped").isNotEqualTo(
        java.util.Optional.of(true));
    assertThat(Files.readString(out)).contains("\"median_ratio\"", "\"service\": \"ticketd\"");
  }
}
