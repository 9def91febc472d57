package dev.ticketoffload.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendChoiceTest {

  @Test
  void select_auto_onAMachineWithLibcrypto3_isOpenSslWithItsVersion() {
    dev.ticketoffload.openssl.BackendChoice selected = BackendChoice.select("auto");
    assertThat(selected.backend().name()).isEqualTo("openssl");
    assertThat(BackendChoice.openSslVersionLabel(selected)).startsWith("OpenSSL 3.");
    assertThat(selected.reason()).contains("self-test");
  }

  @Test
  void select_explicitPureJavaBackends_reportNoOpenSsl() {
    assertThat(BackendChoice.openSslVersionLabel(BackendChoice.select("bouncycastle"))).isEqualTo("none");
    assertThat(BackendChoice.select("jdk").backend().name()).isEqualTo("jdk");
  }

  @Test
  void select_unknownName_isRefusedNamingTheChoices() {
    assertThatThrownBy(() -> BackendChoice.select("aesni"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, openssl, bouncycastle or jdk").hasMessageContaining("aesni");
  }
}
