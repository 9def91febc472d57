package dev.ticketoffload.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendChoiceTest {

  @Test
  void select_auto_onAMachineWithLibcrypto3_isOpenSslWithItsVersion() {
    SelectedBackend selected = BackendChoice.select("auto");
    assertThat(selected.name()).isEqualTo("openssl");
    assertThat(selected.opensslVersion()).startsWith("OpenSSL 3.");
    assertThat(selected.reason()).contains("self-test");
  }

  @Test
  void select_explicitPureJavaBackends_reportNoOpenSsl() {
    assertThat(BackendChoice.select("bouncycastle").opensslVersion()).isEqualTo("none");
    assertThat(BackendChoice.select("jdk").name()).isEqualTo("jdk");
  }

  @Test
  void select_unknownName_isRefusedNamingTheChoices() {
    assertThatThrownBy(() -> BackendChoice.select("aesni"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, openssl, bouncycastle or jdk").hasMessageContaining("aesni");
  }
}
