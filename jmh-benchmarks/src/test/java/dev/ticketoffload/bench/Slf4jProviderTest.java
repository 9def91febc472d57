package dev.ticketoffload.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * benchmarks.jar is shaded from this module's runtime classpath: exactly one SLF4J provider must be
 * on it (slf4j-nop; the server's slf4j-simple is excluded), or SLF4J warns into every benchmark's
 * output and picks one by classpath order.
 */
class Slf4jProviderTest {

  @Test
  void runtimeClasspath_holdsExactlyOneSlf4jProvider_nop() {
    assertThat(ServiceLoader.load(SLF4JServiceProvider.class).stream().map(p -> p.type().getName()))
        .containsExactly("org.slf4j.nop.NOPServiceProvider");
  }
}
