package dev.ticketoffload.core.keys;

/** Sealing refused: the epoch key reached the per-key seal limit on this instance. */
public final class SealLimitExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SealLimitExceededException(long keyId, long limit) {
    super("refusing to seal: epoch key 0x" + Long.toHexString(keyId) + " reached the limit of "
        + limit + " seals per key (2^31, half the 2^32 safe for random 96-bit GCM IVs); "
        + "shorten epoch_seconds for this load");
  }
}
