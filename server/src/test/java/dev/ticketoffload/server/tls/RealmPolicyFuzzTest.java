package dev.ticketoffload.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * The realm policy parser on arbitrary text: it parses, or refuses with an
 * {@link IllegalArgumentException} naming the source and line; never another exception, and
 * nothing that hangs (an {@code ip:} value is parsed, never looked up). {@code bin/fuzz realm-policy SECONDS}.
 */
class RealmPolicyFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parse_anyText_parsesOrIsRefusedNamingTheLine(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    RealmPolicy policy;
    try {
      policy = RealmPolicy.parse(text, "fuzz");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("realm policy fuzz line ");
      return;
    }
    assertThat(policy.size()).isLessThanOrEqualTo((int) text.lines().count());
    assertThat(policy.accessFor(List.of()).realms()).isEmpty();
  }
}
