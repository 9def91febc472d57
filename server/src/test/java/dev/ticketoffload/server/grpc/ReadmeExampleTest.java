package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's grpcurl example honest: its JSON request bodies, read from the repository's README.md,
 * go through protobuf's JSON mapping (what grpcurl uses) and a real server.
 */
class ReadmeExampleTest {

  private static String jsonAfter(String readme, String marker) {
    Matcher m = Pattern.compile(Pattern.quote(marker) + ".*?-d '(\\{.*?\\})'", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README example after " + marker).isTrue();
    return m.group(1);
  }

  @Test
  void grpcurlSealThenOpen_roundTrips() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    SealRequest.Builder seal = SealRequest.newBuilder();
    JsonFormat.parser().merge(jsonAfter(readme, "<!-- example:seal -->"), seal);
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      SealResponse sealed = s.blocking().seal(seal.build());
      String ticket = JsonFormat.printer().print(sealed).replaceAll("(?s).*\"ticket\": \"([^\"]+)\".*", "$1");

      OpenRequest.Builder open = OpenRequest.newBuilder();
      JsonFormat.parser().merge(jsonAfter(readme, "<!-- example:open -->").replace("'\"$TICKET\"'", ticket), open);
      OpenResponse opened = s.blocking().open(open.build());

      assertThat(opened.getResults(0).getOutcome()).isEqualTo(Outcome.OK);
      assertThat(opened.getResults(0).getState()).isEqualTo(seal.getItems(0).getState());
    }
  }
}
