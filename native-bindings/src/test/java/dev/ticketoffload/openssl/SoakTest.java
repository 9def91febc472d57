package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ten million seal/open pairs across 10,000 key rotations must not grow native memory. Runs in a
 * child JVM whose heap is fixed and pre-touched, so that growth of the resident set is native growth.
 * A leak of one thread's context per rotation (about 3.5 KB: provider context plus scratch) would
 * add some 35 MB; the bound is 16 MB.
 */
class SoakTest {

  private static final int ROTATIONS = 10_000;
  private static final int PAIRS_PER_THREAD_PER_KEY = 500;
  private static final long MAX_RSS_GROWTH_KIB = 16 * 1024;

  @Test
  void tenMillionPairsAcrossKeyRotations_leaveNoContextsAndFlatRss() throws Exception {
    ChildJvm.Result result = ChildJvm.run(SoakMain.class,
        List.of("-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"), Map.of(),
        String.valueOf(ROTATIONS), String.valueOf(PAIRS_PER_THREAD_PER_KEY));
    String out = result.output();
    System.out.println("soak child:\n" + out);
    assertThat(result.exitCode()).as(out).isZero();
    assertThat(Long.parseLong(ChildJvm.field(out, "pairs"))).isGreaterThanOrEqualTo(10_000_000L);
    assertThat(Long.parseLong(ChildJvm.field(out, "failures"))).isZero();
    assertThat(Long.parseLong(ChildJvm.field(out, "maxLiveContexts"))).as("contexts while a key is in use")
        .isEqualTo(2);
    assertThat(Long.parseLong(ChildJvm.field(out, "liveContexts"))).as("contexts after every key closed").isZero();
    long growthKiB = Long.parseLong(ChildJvm.field(out, "rssEndKiB"))
        - Long.parseLong(ChildJvm.field(out, "rssAfterWarmUpKiB"));
    assertThat(growthKiB).as("RSS growth after warm-up, KiB").isLessThan(MAX_RSS_GROWTH_KIB);
  }
}
