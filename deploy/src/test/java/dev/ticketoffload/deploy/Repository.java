package dev.ticketoffload.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the tests find the repository's files: Maven runs them in deploy/. */
final class Repository {

  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private Repository() {}

  /** The project's version, as the POM says and bin/build-image tags the image. */
  static String version() throws IOException {
    Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("no <version> in pom.xml");
    }
    return m.group(1);
  }

  static String containerfile() throws IOException {
    return Files.readString(ROOT.resolve("deploy/image/Containerfile"));
  }
}
