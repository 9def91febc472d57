package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Closing a key while other threads open and seal under it: every call gives the right answer or a
 * clean refusal, never a wrong answer or a crash, and every context is freed. In a child JVM, so that
 * a use after free (a crash) fails this test instead of the whole test run.
 */
class OpenSslKeyCloseRaceTest {

  private static final int ROUNDS = 300;

  @Test
  void close_whileOtherThreadsOpenAndSeal_refusesCleanly_neverWrongNeverCrashes() throws Exception {
    ChildJvm.Result result = ChildJvm.run(CloseRaceMain.class, List.of("-Xmx64m"), Map.of(), String.valueOf(ROUNDS));
    String out = result.output();
    assertThat(result.exitCode()).as(out).isZero();
    assertThat(ChildJvm.field(out, "wrong")).as(out).isEqualTo("0");
    assertThat(Long.parseLong(ChildJvm.field(out, "refused"))).as("each thread refused once per round")
        .isEqualTo(3L * ROUNDS);
    assertThat(Long.parseLong(ChildJvm.field(out, "completed"))).as(out).isPositive();
    assertThat(ChildJvm.field(out, "liveContexts")).as("contexts left after every key closed").isEqualTo("0");
  }
}
