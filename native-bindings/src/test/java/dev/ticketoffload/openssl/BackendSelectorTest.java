package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendSelectorTest {

  private static final String MISSING = "/nonexistent/libcrypto.so.3";
  private static final String ZLIB = "/lib/x86_64-linux-gnu/libz.so.1";
  private static final String AES_NI_AND_PCLMUL_HIDDEN = "~0x200000200000000";

  @Test
  void auto_withWorkingLibCrypto_isOpenSslWithVersionAndAesNi() throws Exception {
    BackendChoice choice = BackendSelector.select("auto");
    assertThat(choice.backend().name()).isEqualTo("openssl");
    assertThat(choice.openSslVersion()).startsWith("OpenSSL 3.");
    assertThat(choice.reason()).contains("self-test").contains(LibCryptoLocation.DEFAULT_NAME);
    assertThat(choice.aesNi()).isEqualTo(CpuFeatures.fromProcCpuinfo().aesNi());
  }

  @Test
  void auto_withMissingLibrary_fallsBackToBouncyCastleSayingNotFound() throws Exception {
    BackendChoice choice = BackendSelector.select("auto", probing(MISSING));
    assertThat(choice.backend().name()).isEqualTo("bouncycastle");
    assertThat(choice.reason()).contains(MISSING).contains("not found");
    assertThat(choice.openSslVersion()).isNull();
  }

  @Test
  void auto_withAnotherLibrary_fallsBackToBouncyCastleSayingNotLibCrypto() throws Exception {
    BackendChoice choice = BackendSelector.select("auto", probing(ZLIB));
    assertThat(choice.backend().name()).isEqualTo("bouncycastle");
    assertThat(choice.reason()).contains(ZLIB).contains("not libcrypto").contains("OpenSSL_version_num");
  }

  @Test
  void probe_libc_isNotLibCrypto() {
    assertThatThrownBy(() -> LibCrypto.probe("libc.so.6"))
        .isInstanceOfSatisfying(LibCryptoUnavailableException.class,
            e -> assertThat(e.problem()).isEqualTo(LibCryptoProblem.NOT_LIBCRYPTO));
  }

  @Test
  void probe_libCryptoOfAnotherMajorVersion_isWrongVersion(@TempDir Path dir) throws Exception {
    // A stand-in for OpenSSL 1.1: a library whose OpenSSL_version_num() says 1.1.1w.
    Path source = dir.resolve("fake.c");
    Files.writeString(source, "unsigned long OpenSSL_version_num(void) { return 0x101011ffUL; }\n");
    Path library = dir.resolve("libcrypto.so.1.1");
    Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", library.toString(), source.toString())
        .redirectErrorStream(true).start();
    assumeTrue(gcc.waitFor() == 0, "needs gcc to build the stand-in library");
    assertThatThrownBy(() -> LibCrypto.probe(library.toString()))
        .isInstanceOfSatisfying(LibCryptoUnavailableException.class, e -> {
          assertThat(e.problem()).isEqualTo(LibCryptoProblem.WRONG_VERSION);
          assertThat(e.getMessage()).contains("OpenSSL 1.x");
        });
  }

  @Test
  void openssl_chosenExplicitlyButUnusable_failsInsteadOfFallingBack() {
    assertThatThrownBy(() -> BackendSelector.select("openssl", probing(MISSING)))
        .isInstanceOf(BackendRefusedException.class).hasMessageContaining("not found")
        .hasCauseInstanceOf(LibCryptoUnavailableException.class);
  }

  @Test
  void explicitPureJavaChoices_needNoLibCrypto() throws Exception {
    BackendSelector.LibCryptoLoader failIfCalled = () -> {
      throw new AssertionError("libcrypto was loaded");
    };
    assertThat(BackendSelector.select("bouncycastle", failIfCalled).backend().name()).isEqualTo("bouncycastle");
    assertThat(BackendSelector.select("jdk", failIfCalled).backend().name()).isEqualTo("jdk");
  }

  @Test
  void unknownName_isRefusedWithTheChoices() {
    assertThatThrownBy(() -> BackendSelector.select("aes"))
        .isInstanceOf(BackendRefusedException.class).hasMessageContaining("auto, openssl, bouncycastle, jdk")
        .hasMessageContaining("'aes'");
  }

  @Test
  void explicitPureJavaChoices_passTheSelfTest_andReportNoOpenSsl() throws Exception {
    BackendChoice bouncyCastle = BackendSelector.select("bouncycastle");
    assertThat(bouncyCastle.openSslVersionLabel()).isEqualTo("none");
    assertThat(bouncyCastle.reason()).isEqualTo("chosen explicitly");
    assertThat(BackendSelector.select("jdk").openSslVersionLabel()).isEqualTo("none");
  }

  @Test
  void auto_openSslVersionLabel_isLibCryptosVersion() throws Exception {
    assertThat(BackendSelector.select("auto").openSslVersionLabel()).startsWith("OpenSSL 3.");
  }

  @Test
  void aBackendFailingItsSelfTest_isRefusedNamingWhatWentWrong() {
    BackendChoice broken = new BackendChoice(BrokenBackend.of(true), "chosen explicitly", null, false);
    assertThatThrownBy(() -> BackendSelector.selfTested(broken))
        .isInstanceOf(BackendRefusedException.class)
        .hasMessage("broken failed its known-answer self-test: GCM test case 13: open accepted a forged tag");
  }

  @Test
  void location_propertyBeatsEnvironmentBeatsDefault() {
    assertThat(LibCryptoLocation.resolve("/a", "/b")).isEqualTo("/a");
    assertThat(LibCryptoLocation.resolve(null, "/b")).isEqualTo("/b");
    assertThat(LibCryptoLocation.resolve(" ", "")).isEqualTo("libcrypto.so.3");
  }

  @Test
  void cpuFeatures_readFromOpenSslsCapabilityVector() {
    assertThat(CpuFeatures.fromOpenSslCpuInfo("CPUINFO: OPENSSL_ia32cap=0xfffa3203078bffff:0x405fc6f1bf07ab"))
        .extracting(CpuFeatures::aesNi, CpuFeatures::pclmul).containsExactly(true, true);
    assertThat(CpuFeatures.fromOpenSslCpuInfo("CPUINFO: OPENSSL_ia32cap=0xfdfa3201078bffff:0x0 env:~0x200000200000000"))
        .extracting(CpuFeatures::aesNi, CpuFeatures::pclmul).containsExactly(false, false);
    assertThat(CpuFeatures.fromOpenSslCpuInfo("CPUINFO: N/A").aesNi()).isFalse();
  }

  // Forked JVMs: the library location and OPENSSL_ia32cap are read once per process.

  @Test
  void forked_propertyNamingAMissingLibrary_fallsBackToBouncyCastle() throws Exception {
    ChildJvm.Result result = ChildJvm.run(SelectBackendMain.class,
        List.of("-D" + LibCryptoLocation.PROPERTY + "=" + MISSING), Map.of());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(ChildJvm.field(result.output(), "backend")).isEqualTo("bouncycastle");
    assertThat(ChildJvm.field(result.output(), "reason")).contains("not found").contains(MISSING);
    assertThat(ChildJvm.field(result.output(), "roundTrip")).isEqualTo("ok");
  }

  @Test
  void forked_environmentNamingZlib_fallsBackToBouncyCastle() throws Exception {
    ChildJvm.Result result = ChildJvm.run(SelectBackendMain.class, List.of(),
        Map.of(LibCryptoLocation.ENVIRONMENT_VARIABLE, ZLIB));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(ChildJvm.field(result.output(), "backend")).isEqualTo("bouncycastle");
    assertThat(ChildJvm.field(result.output(), "reason")).contains("not libcrypto").contains(ZLIB);
  }

  @Test
  void forked_aesNiHiddenByOpenSslIa32cap_stillWorksAndSaysNoAesNi() throws Exception {
    assumeTrue(CpuFeatures.fromProcCpuinfo().aesNi(), "the CPU must have AES-NI for hiding it to mean anything");
    ChildJvm.Result hidden = ChildJvm.run(SelectBackendMain.class, List.of(),
        Map.of("OPENSSL_ia32cap", AES_NI_AND_PCLMUL_HIDDEN));
    assertThat(hidden.exitCode()).as(hidden.output()).isZero();
    assertThat(ChildJvm.field(hidden.output(), "backend")).isEqualTo("openssl");
    assertThat(ChildJvm.field(hidden.output(), "aesNi")).isEqualTo("false");
    assertThat(ChildJvm.field(hidden.output(), "roundTrip")).isEqualTo("ok");

    ChildJvm.Result visible = ChildJvm.run(SelectBackendMain.class, List.of(), Map.of());
    assertThat(ChildJvm.field(visible.output(), "aesNi")).as(visible.output()).isEqualTo("true");
  }

  /** A loader that probes {@code location} first, as {@link LibCrypto#load()} does for the configured one. */
  private static BackendSelector.LibCryptoLoader probing(String location) {
    return () -> {
      LibCrypto.probe(location);
      throw new AssertionError("the probe of " + location + " was expected to fail");
    };
  }
}
