package dev.ticketoffload.core.ticket;

/**
 * A state sealed by reference: the ticket for the client (format v2, 64 bytes), and what the store
 * must keep until {@code expiresAtSeconds} (plus the skew): {@code record} under the ticket's
 * {@code id} in its realm, and the id in the index of its identity ({@code identityKey}, the 16-byte
 * keyed hash of the state's IDi under the sealing master, IdentityKeyDerivation), so that a revocation
 * of the identity finds the ticket without opening its record. The id appears in clear only here and
 * in the store; in the ticket it is encrypted.
 */
public record SealedReference(byte[] ticket, byte[] id, byte[] record, long expiresAtSeconds, byte[] identityKey) {

  @Override
  public String toString() {
    // The record is ciphertext, but nothing here is worth a log line: sizes only.
    return "SealedReference[ticket=" + ticket.length + " bytes, record=" + record.length + " bytes, expires_at="
        + expiresAtSeconds + "]";
  }
}
