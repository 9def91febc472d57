package dev.ticketoffload.server.interop;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.client.TicketOffloadClient;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealResult;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Java half of the examples' interop check ({@code examples/run-all.sh}): tickets sealed by the
 * C++ gateway open through {@link TicketOffloadClient}, and tickets it seals open in the C++ one.
 * A file holds one {@code ticket-hex state-hex} line per ticket (the state as a serialized
 * {@link IkeSaState}). Run against a live ticketd; exit status 1 on any mismatch.
 *
 * <pre>
 *   JavaClientInterop seal HOST:PORT FILE N [CA CERT KEY]   seal N states, write FILE
 *   JavaClientInterop open HOST:PORT FILE [CA CERT KEY]     open FILE's tickets: each OK with its state
 * </pre>
 */
public final class JavaClientInterop {

  private JavaClientInterop() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || !(args[0].equals("seal") || args[0].equals("open"))) {
      System.err.println("usage: JavaClientInterop seal HOST:PORT FILE N [CA CERT KEY] | open HOST:PORT FILE [CA CERT KEY]");
      System.exit(2);
    }
    boolean seal = args[0].equals("seal");
    int tls = seal ? 4 : 3;
    var builder = TicketOffloadClient.builder().addresses(args[1]).realm("default");
    if (args.length >= tls + 3) {
      builder.credentials(TlsChannelCredentials.newBuilder().trustManager(new File(args[tls]))
          .keyManager(new File(args[tls + 1]), new File(args[tls + 2])).build()).overrideAuthority("localhost");
    }
    Path file = Path.of(args[2]);
    HexFormat hex = HexFormat.of();
    try (TicketOffloadClient client = builder.build()) {
      if (seal) {
        int n = Integer.parseInt(args[3]);
        List<IkeSaState> states = new ArrayList<>();
        List<CompletableFuture<SealResult>> sealed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          states.add(state(i));
          sealed.add(client.seal(states.get(i), 3600));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          lines.add(hex.formatHex(sealed.get(i).join().getTicket().toByteArray()) + " "
              + hex.formatHex(states.get(i).toByteArray()));
        }
        Files.write(file, lines);
        System.out.println("ok   Java client sealed " + n + " tickets into " + file);
        return;
      }
      List<String> lines = Files.readAllLines(file);
      List<CompletableFuture<OpenResult>> opened = new ArrayList<>();
      for (String line : lines) {
        opened.add(client.open(ByteString.copyFrom(hex.parseHex(line.split(" ")[0]))));
      }
      int good = 0;
      for (int i = 0; i < lines.size(); i++) {
        OpenResult r = opened.get(i).join();
        IkeSaState want = IkeSaState.parseFrom(hex.parseHex(lines.get(i).split(" ")[1]));
        good += r.getOutcome() == Outcome.OK && r.getState().equals(want) ? 1 : 0;
      }
      boolean ok = good == lines.size() && !lines.isEmpty();
      System.out.println((ok ? "ok   " : "FAIL ") + "Java client opened " + good + " of " + lines.size()
          + " tickets of " + file + " OK with their state");
      if (!ok) {
        System.exit(1);
      }
    }
  }

  private static IkeSaState state(int i) {
    return IkeSaState.newBuilder()
        .setSpiI(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0x6a, (byte) i}))
        .setSpiR(ByteString.copyFromUtf8("javaresp"))
        .setAuthMethod(2)
        .setEap(i % 2 == 0)
        .setSkD(ByteString.copyFrom(new byte[48]))
        .setIdI(ByteString.copyFrom(("\3\0\0\0java" + i + "@example.net").getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .setIdR(ByteString.copyFromUtf8("\2\0\0\0vpn.example.net"))
        .setSaR(ByteString.copyFrom(new byte[40]))
        .setExt(ByteString.copyFromUtf8("java"))
        .build();
  }
}
