package dev.ticketoffload.api.client;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.SealResult;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's item waiting for its result. It is the future handed to the caller, so an item
 * costs one object on the client besides the protobuf messages.
 */
abstract sealed class PendingCall<R> extends CompletableFuture<R> {

  static final class Seal extends PendingCall<SealResult> {
    final IkeSaState state;
    final int lifetimeSeconds;

    Seal(IkeSaState state, int lifetimeSeconds) {
      this.state = state;
      this.lifetimeSeconds = lifetimeSeconds;
    }
  }

  static final class Open extends PendingCall<OpenResult> {
    final ByteString ticket;
    final boolean peek;

    Open(ByteString ticket, boolean peek) {
      this.ticket = ticket;
      this.peek = peek;
    }
  }
}
