package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store settings that cannot work refuse to start, naming the problem and never a secret. */
class StoreStartupTest {

  @TempDir
  Path dir;

  private String refused(String... storeArgs) {
    String[] args = new String[6 + storeArgs.length];
    System.arraycopy(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--backend", "jdk"}, 0,
        args, 0, 6);
    System.arraycopy(storeArgs, 0, args, 6, storeArgs.length);
    return DaemonFixture.startupFailure(args).getMessage();
  }

  @Test
  void badStoreAddresses_refuseToStart_namingTheProblem() {
    assertThat(refused("--store", "memcached://127.0.0.1:11211")).contains("unknown scheme");
    assertThat(refused("--store", "redis://127.0.0.1")).contains("\"127.0.0.1\" is not HOST:PORT");
    assertThat(refused("--store", "redis://127.0.0.1:70000")).contains("port 1..65535");
    assertThat(refused("--store", "redis://127.0.0.1:6379,")).contains("\"\" is not HOST:PORT");
    assertThat(refused("--store", "redis://:hunter2@127.0.0.1:6379")).contains("--store-password-file")
        .doesNotContain("hunter2");
    assertThat(refused("--store", "redis://127.0.0.1:6379", "--replay-guard-when-full", "evict-oldest"))
        .contains("evict-oldest is for --store memory");
    assertThat(refused("--store", "redis://127.0.0.1:6379", "--store-timeout-ms", "0")).contains("--store-timeout-ms");
  }

  @Test
  void passwordFile_missingOrReadableByOthers_refusesToStart_withoutItsContent() throws Exception {
    Path missing = dir.resolve("absent");
    assertThat(refused("--store", "redis://127.0.0.1:6379", "--store-password-file", missing.toString()))
        .contains("file not found");
    Path open = dir.resolve("open");
    Files.writeString(open, "s3cret-pass\n");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(refused("--store", "redis://127.0.0.1:6379", "--store-password-file", open.toString()))
        .contains("readable or writable by group or others").doesNotContain("s3cret-pass");
    Path threeLines = dir.resolve("three");
    Files.writeString(threeLines, "a\nb\nc\n");
    Files.setPosixFilePermissions(threeLines, PosixFilePermissions.fromString("rw-------"));
    assertThat(refused("--store", "redis://127.0.0.1:6379", "--store-password-file", threeLines.toString()))
        .contains("expected one line");
    assertThat(refused("--store-password-file", threeLines.toString())).contains("--store is memory");
  }

  @Test
  void storeCaFile_missingNotCertificatesOrWithoutTls_refusesToStart() throws Exception {
    Path missing = dir.resolve("absent-ca.pem");
    assertThat(refused("--store", "rediss://127.0.0.1:6379", "--store-ca-file", missing.toString()))
        .contains("--store-ca-file").contains("cannot be read");
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate\n");
    assertThat(refused("--store", "rediss://127.0.0.1:6379", "--store-ca-file", garbage.toString()))
        .contains("--store-ca-file");
    Path ca = new dev.ticketoffload.server.testing.TestCertificates(dir, "store").caPem;
    assertThat(refused("--store", "redis://127.0.0.1:6379", "--store-ca-file", ca.toString()))
        .contains("--store-ca-file is for a TLS store (rediss://)");
    assertThat(refused("--store-ca-file", ca.toString())).contains("--store-ca-file is for a TLS store");
  }
}
