package dev.ticketoffload.storm;

import dev.ticketoffload.core.keys.TicketMode;
import io.grpc.ChannelCredentials;
import java.time.Duration;

/**
 * What one storm does, checked by {@link StormCommand} before anything starts.
 *
 * @param openRates null for a closed loop; else opens per second for the first and second half
 *     of the tickets (equal for one rate)
 * @param outstandingPerGateway items one gateway's client may have unanswered
 * @param killOneAt fraction of the opens after which one instance is SIGKILLed; negative: never
 * @param ticketMode how the realm seals; by reference every ticket must be at most 64 bytes
 * @param revokeFraction share of the identities revoked between seal and open ({@code --revoke-fraction})
 * @param doubleOpen every ticket is sent to two instances at once ({@code --double-open})
 * @param warmupTickets tickets sealed and opened before the measured storm, counted nowhere ({@code --warmup})
 */
record StormConfig(
    int tickets,
    int gateways,
    int batch,
    StormStates states,
    double[] openRates,
    double tamperFraction,
    String realm,
    int lifetimeSeconds,
    Duration linger,
    int outstandingPerGateway,
    Duration rpcTimeout,
    int maxAttempts,
    int replaySample,
    ChannelCredentials credentials,
    String authority,
    double killOneAt,
    TicketMode ticketMode,
    double revokeFraction,
    boolean doubleOpen,
    int warmupTickets) {

  boolean openLoop() {
    return openRates != null;
  }

  /** Which tickets the storm corrupts: a fixed, spread-out choice, the same in every run. */
  boolean tampered(int i) {
    return chosen(i, tamperFraction, 0x9E3779B97F4A7C15L, 31);
  }

  /** Whose identity the storm revokes: a fixed choice independent of {@link #tampered}. */
  boolean revoked(int i) {
    return chosen(i, revokeFraction, 0xC2B2AE3D27D4EB4FL, 29);
  }

  /** Whether {@code i} falls in the {@code fraction} a multiplicative hash of its own picks. */
  private static boolean chosen(int i, double fraction, long multiplier, int shift) {
    if (fraction <= 0) {
      return false;
    }
    long x = (i + 1) * multiplier;
    x ^= x >>> shift;
    return Long.remainderUnsigned(x, 1_000_000) < (long) (fraction * 1_000_000);
  }
}
