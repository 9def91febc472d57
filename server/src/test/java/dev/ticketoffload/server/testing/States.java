package dev.ticketoffload.server.testing;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import java.util.List;

/** Wire states and requests for tests. */
public final class States {

  private States() {}

  public static IkeSaState reference(int n) {
    return IkeSaState.newBuilder()
        .setSpiI(bytes(8, n)).setSpiR(bytes(8, n + 1))
        .setAuthMethod(2).setEap(n % 2 == 0)
        .setSkD(bytes(32, n + 2))
        .setIdI(bytes(20, n + 3)).setIdR(bytes(24, n + 4))
        .setSaR(bytes(40, n + 5)).setExt(bytes(n % 16, n + 6))
        .build();
  }

  public static ByteString bytes(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return ByteString.copyFrom(b);
  }

  public static SealRequest sealRequest(String realm, int items) {
    SealRequest.Builder r = SealRequest.newBuilder().setRealm(realm);
    for (int i = 0; i < items; i++) {
      r.addItems(SealItem.newBuilder().setRef(i).setState(reference(i)).setLifetimeSeconds(3600));
    }
    return r.build();
  }

  public static OpenRequest openRequest(String realm, List<ByteString> tickets, boolean peek) {
    OpenRequest.Builder r = OpenRequest.newBuilder().setRealm(realm);
    for (int i = 0; i < tickets.size(); i++) {
      r.addItems(OpenItem.newBuilder().setRef(1000 + i).setTicket(tickets.get(i)).setPeek(peek));
    }
    return r.build();
  }

  /** Open (consume) requests with attempt ids: item {@code i} carries {@code attempt || i} (3 bytes). */
  public static OpenRequest consumeRequest(List<ByteString> tickets, int attempt) {
    OpenRequest.Builder r = OpenRequest.newBuilder();
    for (int i = 0; i < tickets.size(); i++) {
      r.addItems(OpenItem.newBuilder().setRef(i).setTicket(tickets.get(i))
          .setAttemptId(ByteString.copyFrom(new byte[] {(byte) attempt, (byte) (i >> 8), (byte) i})));
    }
    return r.build();
  }
}
