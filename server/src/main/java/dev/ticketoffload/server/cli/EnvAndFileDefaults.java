package dev.ticketoffload.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment, then from a config file, then the built-in default; the
 * command line beats them all. {@code --max-ticket-bytes} is {@code TICKETD_MAX_TICKET_BYTES} in the
 * environment and {@code max-ticket-bytes} in the config file (a Java properties file named by
 * {@code --config FILE} or {@code TICKETD_CONFIG}).
 */
public final class EnvAndFileDefaults implements IDefaultValueProvider {

  private final Map<String, String> env;
  private final Properties file;

  public EnvAndFileDefaults(Map<String, String> env, Path configFile) throws IOException {
    this.env = env;
    this.file = new Properties();
    if (configFile != null) {
      try (Reader r = Files.newBufferedReader(configFile)) {
        file.load(r);
      }
    }
  }

  /** The config file named by {@code --config FILE} / {@code --config=FILE} in args, else by TICKETD_CONFIG. */
  public static Path configFile(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = env.get("TICKETD_CONFIG");
    return fromEnv == null || fromEnv.isEmpty() ? null : Path.of(fromEnv);
  }

  public static String envName(String longOption) {
    return "TICKETD_" + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.longestName().equals("--config")) {
      return arg.defaultValue();
    }
    String name = option.longestName();
    String fromEnv = env.get(envName(name));
    if (fromEnv != null) {
      return fromEnv;
    }
    String fromFile = file.getProperty(name.replaceFirst("^--", ""));
    return fromFile != null ? fromFile : arg.defaultValue();
  }
}
