package dev.ticketoffload.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.ticket.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every benchmark of BackendBenchmark runs once per parameter, so the benchmarks cannot rot unseen. */
class BackendBenchmarkSmokeTest {

  @ParameterizedTest
  @CsvSource({"openssl,reference,192", "bouncycastle,reference,192", "jdk,reference,192",
      "openssl,large,", "bouncycastle,large,", "jdk,large,"})
  void everyBenchmark_runsOnceAndOpensWhatItSealed(String backend, String ticket, Integer expectedBytes)
      throws Exception {
    BackendBenchmark b = new BackendBenchmark();
    b.backend = backend;
    b.ticket = ticket;
    b.setUp();
    try {
      byte[] sealed = b.seal();
      if (expectedBytes != null) {
        assertThat(sealed).as("the reference ticket of issue 3").hasSize(expectedBytes);
      } else {
        assertThat(sealed.length).as("the large ticket").isBetween(1400, 1700);
      }
      BackendBenchmark.OpenBatches batches = new BackendBenchmark.OpenBatches();
      assertThat(b.open(batches)).isEqualTo(Outcome.OK);
      assertThat(b.sealBatch(batches)).isEqualTo(BackendBenchmark.BATCH_SIZE * sealed.length);
      assertThat(b.openBatch(batches)).isEqualTo(Outcome.OK);
    } finally {
      b.tearDown();
    }
  }
}
