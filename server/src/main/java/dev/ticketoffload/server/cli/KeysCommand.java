package dev.ticketoffload.server.cli;

import dev.ticketoffload.core.keys.KeyRingException;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.server.keys.KeyRingEditor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ticketd keys init|rotate|list|retire}: manage the key ring file; never prints a secret. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Manage the key ring file. A running server reloads it when it changes.",
    subcommands = {KeysCommand.Init.class, KeysCommand.Rotate.class, KeysCommand.ListKeys.class, KeysCommand.Retire.class})
public final class KeysCommand {

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "var", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Where the key ring lives unless --key-ring says otherwise (default ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--key-ring", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Key ring file (default DATA_DIR/keyring.json).")
  Path keyRing;

  KeyRingEditor editor() {
    return new KeyRingEditor(keyRing != null ? keyRing : dataDir.resolve("keyring.json"), Clock.systemUTC());
  }

  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    KeysCommand keys;

    @Override
    public Integer call() throws Exception {
      try {
        run(keys.editor());
        return 0;
      } catch (KeyRingException | IllegalArgumentException | java.io.IOException e) {
        System.err.println("ticketd keys: " + e.getMessage());
        return 1;
      }
    }

    abstract void run(KeyRingEditor editor) throws Exception;
  }

  /** {@code --ticket-mode value|reference}, spelled as in the key ring file. */
  static TicketMode ticketMode(String name) {
    TicketMode mode = TicketMode.fromJsonName(name);
    if (mode == null) {
      throw new IllegalArgumentException("unknown --ticket-mode \"" + name + "\" (expected value or reference)");
    }
    return mode;
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create a key ring (owner-only, 0600) with one primary master per realm.")
  static final class Init extends Sub {
    @Option(names = "--realm", paramLabel = "NAME", defaultValue = "default", split = ",",
        description = "Realms to create (default ${DEFAULT-VALUE}); repeat or separate with commas.")
    List<String> realms;

    @Option(names = "--ticket-mode", paramLabel = "MODE", defaultValue = "value",
        description = "How the realms seal: value (the state in the ticket) or reference (a 64-byte ticket, "
            + "the state in the store). Default ${DEFAULT-VALUE}.")
    String ticketMode;

    @Override
    void run(KeyRingEditor editor) throws Exception {
      TicketMode mode = ticketMode(ticketMode);
      editor.init(realms, mode);
      System.out.println("created key ring " + editor.file() + " with realms " + String.join(", ", realms)
          + " (ticket_mode " + mode.jsonName() + ")");
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Add a new primary master to a realm (creating the realm if new); the old primary becomes decrypt-only.")
  static final class Rotate extends Sub {
    @Option(names = "--realm", paramLabel = "NAME", defaultValue = "default", description = "Realm (default ${DEFAULT-VALUE}).")
    String realm;

    @Option(names = "--ticket-mode", paramLabel = "MODE",
        description = "Also switch how the realm seals from now on: value or reference (default: keep it). "
            + "Live tickets of the other mode still open.")
    String ticketMode;

    @Override
    void run(KeyRingEditor editor) throws Exception {
      TicketMode mode = ticketMode == null ? null : ticketMode(ticketMode);
      int id = editor.rotate(realm, mode);
      System.out.println("realm " + realm + ": master " + id + " is now primary; earlier masters still open tickets"
          + (mode == null ? "" : "; ticket_mode " + mode.jsonName()));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List realms and masters (never secrets).")
  static final class ListKeys extends Sub {
    @Override
    void run(KeyRingEditor editor) throws Exception {
      editor.list().forEach(System.out::println);
    }
  }

  @Command(name = "retire", mixinStandardHelpOptions = true,
      description = "Retire a decrypt-only master: tickets sealed under it stop opening.")
  static final class Retire extends Sub {
    @Option(names = "--realm", paramLabel = "NAME", defaultValue = "default", description = "Realm (default ${DEFAULT-VALUE}).")
    String realm;

    @Option(names = "--id", paramLabel = "N", required = true, description = "Master id to retire.")
    int id;

    @Override
    void run(KeyRingEditor editor) throws Exception {
      editor.retire(realm, id);
      System.out.println("realm " + realm + ": master " + id + " retired");
    }
  }
}
