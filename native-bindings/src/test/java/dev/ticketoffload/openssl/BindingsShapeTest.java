package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bindings stay what jextract would generate: free of the layer that owns them. */
class BindingsShapeTest {

  private static final Path BINDINGS = Path.of(System.getProperty("basedir", "."))
      .resolve("src/main/java/dev/ticketoffload/openssl/bindings");
  private static final Pattern OWNING_LAYER = Pattern.compile("dev\\.ticketoffload\\.(?!openssl\\.bindings)[a-z.]*[A-Z]");

  @Test
  void bindings_referToNoClassOutsideTheirPackage_andSayHowTheyWereMade() throws IOException {
    List<String> failures = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(BINDINGS)) {
      files = list.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).toList();
    }
    for (Path file : files) {
      String source = Files.readString(file);
      if (OWNING_LAYER.matcher(source).find()) {
        failures.add(file.getFileName() + " refers to a class of the hand-written layer");
      }
      if (!source.startsWith("// Written by hand in the exact shape jextract 22 generates for jextract-command.txt")) {
        failures.add(file.getFileName() + " does not say how it was made");
      }
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(11);
    assertThat(failures).isEmpty();
    // the command itself names no library: the lookup is the class loader's, as libcrypto_h has it
    assertThat(Files.readString(BINDINGS.resolve("jextract-command.txt"))).doesNotContainPattern("(?m)^#\\s+--library");
  }

  @Test
  void mappedFiles_findTheFileHoldingAnAddress() {
    List<String> maps = List.of(
        "55d0c0000000-55d0c0001000 r--p 00000000 fd:01 11 /usr/bin/java",
        "7f1200000000-7f1200200000 r-xp 00000000 fd:01 42      /usr/lib/x86_64-linux-gnu/libcrypto.so.3",
        "7f1200200000-7f1200300000 rw-p 00000000 00:00 0 ",
        "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]");
    assertThat(MappedFiles.containing(0x7f1200100000L, maps))
        .contains(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"));
    assertThat(MappedFiles.containing(0x7f1200200000L, maps)).isEmpty();
    assertThat(MappedFiles.containing(0xffffffffff600010L, maps)).isEqualTo(Optional.empty());
  }
}
