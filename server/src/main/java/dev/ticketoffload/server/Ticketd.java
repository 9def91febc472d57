package dev.ticketoffload.server;

import dev.ticketoffload.server.cli.EnvAndFileDefaults;
import dev.ticketoffload.server.cli.KeysCommand;
import dev.ticketoffload.server.cli.RevokeCommand;
import dev.ticketoffload.server.cli.ServeCommand;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ticketd}: the Ticket Offload server and its key management. {@code ticketd storm} lives in
 * the storm module (a client of the service); {@code bin/ticketd} dispatches to it.
 */
@Command(name = "ticketd", mixinStandardHelpOptions = true, version = "ticketd 0.1.0",
    description = "Bulk seal/open of IKEv2 session-resumption tickets (RFC 5723) over gRPC.",
    subcommands = {ServeCommand.class, KeysCommand.class, RevokeCommand.class},
    footer = {"", "ticketd storm: the reconnect-storm simulator (bin/ticketd storm --help)."})
public final class Ticketd {

  public static void main(String[] args) throws Exception {
    System.exit(commandLine(args).execute(args));
  }

  /** The command line with defaults from TICKETD_* environment variables and the config file. */
  public static CommandLine commandLine(String[] args) throws java.io.IOException {
    Path config = EnvAndFileDefaults.configFile(args, System.getenv());
    return new CommandLine(new Ticketd())
        .setDefaultValueProvider(new EnvAndFileDefaults(System.getenv(), config));
  }
}
