package dev.ticketoffload.server.cli;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.RevokeItem;
import dev.ticketoffload.api.v1.RevokeRequest;
import dev.ticketoffload.api.v1.RevokeResult;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ticketd revoke}: one Revoke call to a running service. The store records it for the whole
 * fleet; prints one line saying what was recorded and until when.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = {"Revoke a ticket, or every ticket of an identity issued up to now, on every instance "
        + "sharing the store. Later opens answer REVOKED."})
public final class RevokeCommand implements Callable<Integer> {

  @Option(names = "--realm", paramLabel = "NAME", defaultValue = "default", description = "Realm (default ${DEFAULT-VALUE}).")
  String realm;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target what;

  static final class Target {
    @Option(names = "--id-i", paramLabel = "HEX", required = true,
        description = "The IDi payload body (ID Type, RESERVED, data) in hex: every ticket of it issued up to now.")
    String idI;

    @Option(names = "--ticket", paramLabel = "HEX", required = true, description = "One ticket, in hex.")
    String ticket;

    @Option(names = "--ticket-file", paramLabel = "FILE", required = true,
        description = "One ticket: a file holding its raw bytes.")
    Path ticketFile;
  }

  @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:50051",
      description = "The service (default ${DEFAULT-VALUE}).")
  String target;

  @Mixin
  ClientTlsOptions tls;

  @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000", description = "Deadline (default ${DEFAULT-VALUE}).")
  long timeoutMillis;

  @Override
  public Integer call() throws Exception {
    RevokeItem item;
    ChannelCredentials credentials;
    try {
      item = item();
      credentials = tls.credentials();
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("ticketd revoke: " + e.getMessage());
      return 2;
    }
    ManagedChannel channel = Grpc.newChannelBuilder(target, credentials).build();
    try {
      RevokeResult r = TicketServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
          .revoke(RevokeRequest.newBuilder().setRealm(realm).addItems(item).build()).getResults(0);
      switch (r.getOutcome()) {
        case REVOKE_RECORDED -> {
          System.out.println("revoked in realm " + realm + ": " + (item.hasIdI()
              ? "every ticket of that identity issued up to " + r.getRevokedAt()
              : "that ticket") + "; kept until " + r.getKeptUntil() + " (unix seconds)");
          return 0;
        }
        case REVOKE_ALREADY_EXPIRED -> {
          System.out.println("nothing to revoke: that ticket has expired");
          return 0;
        }
        default -> {
          System.err.println("ticketd revoke: that ticket does not open in realm " + realm + " (" + r.getOutcome()
              + "): nothing recorded");
          return 1;
        }
      }
    } catch (StatusRuntimeException e) {
      System.err.println("ticketd revoke: " + target + " answered " + e.getStatus().getCode()
          + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
      return 1;
    } finally {
      channel.shutdownNow();
    }
  }

  private RevokeItem item() throws java.io.IOException {
    if (what.idI != null) {
      return RevokeItem.newBuilder().setIdI(ByteString.copyFrom(hex("--id-i", what.idI))).build();
    }
    byte[] ticket = what.ticket != null ? hex("--ticket", what.ticket) : Files.readAllBytes(what.ticketFile);
    return RevokeItem.newBuilder().setTicket(ByteString.copyFrom(ticket)).build();
  }

  private static byte[] hex(String flag, String value) {
    try {
      byte[] b = HexFormat.of().parseHex(value.strip());
      if (b.length == 0) {
        throw new IllegalArgumentException(flag + " is empty");
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": not an even number of hex digits");
    }
  }
}
