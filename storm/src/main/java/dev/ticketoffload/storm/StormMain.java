package dev.ticketoffload.storm;

import dev.ticketoffload.server.cli.EnvAndFileDefaults;
import java.io.IOException;
import picocli.CommandLine;

/**
 * {@code ticketd storm}: {@code bin/ticketd} runs this class when its first argument is
 * {@code storm}, so the server's own command ({@code dev.ticketoffload.server.Ticketd}) needs no
 * part of the simulator. Flags take their defaults from TICKETD_* variables and the config file,
 * as every {@code ticketd} command does.
 */
public final class StormMain {

  private StormMain() {
  }

  /** {@code args} are the storm's own flags, without the leading {@code storm}. */
  public static void main(String[] args) throws IOException {
    System.exit(commandLine(args).execute(args));
  }

  static CommandLine commandLine(String[] args) throws IOException {
    return new CommandLine(new StormCommand())
        .setCommandName("ticketd storm")
        .setDefaultValueProvider(new EnvAndFileDefaults(System.getenv(), EnvAndFileDefaults.configFile(args, System.getenv())));
  }
}
