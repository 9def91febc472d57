package dev.ticketoffload.core.state;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The state of an IKE SA that a ticket carries (RFC 5723 Appendix A.1 plus issue time, flags and an
 * extension), immutable. Field bounds are those of state encoding v1 and are checked at
 * construction. {@link #toString()} never shows {@code sk_d} or {@code ext}.
 */
public final class IkeSaState {

  public static final int SPI_SIZE_IN_BYTES = 8;
  public static final int MAX_SK_D_BYTES = 64;
  public static final int MAX_ID_BYTES = 1024;
  public static final int MAX_SA_R_BYTES = 1024;
  public static final int MAX_EXT_BYTES = 1024;
  /** Flags bit 0: the original IKE SA used EAP. Other bits are 0. */
  public static final int FLAG_EAP = 0x01;

  final long issuedAtSeconds;
  final long expiresAtSeconds;
  final byte[] spiI;
  final byte[] spiR;
  final int authMethod;
  final int flags;
  final byte[] skD;
  final byte[] idI;
  final byte[] idR;
  final byte[] saR;
  final byte[] ext;

  private IkeSaState(Builder b) {
    this.issuedAtSeconds = b.issuedAtSeconds;
    this.expiresAtSeconds = b.expiresAtSeconds;
    this.spiI = checkLength("spi_i", b.spiI, SPI_SIZE_IN_BYTES, SPI_SIZE_IN_BYTES);
    this.spiR = checkLength("spi_r", b.spiR, SPI_SIZE_IN_BYTES, SPI_SIZE_IN_BYTES);
    if (b.authMethod < 0 || b.authMethod > 0xFF) {
      throw new IllegalArgumentException("auth_method must be 0..255, got " + b.authMethod);
    }
    this.authMethod = b.authMethod;
    if ((b.flags & ~FLAG_EAP) != 0) {
      throw new IllegalArgumentException("flags: only bit 0 (EAP) may be set, got 0x" + Integer.toHexString(b.flags));
    }
    this.flags = b.flags;
    this.skD = checkLength("sk_d", b.skD, 1, MAX_SK_D_BYTES);
    this.idI = checkLength("id_i", b.idI, 1, MAX_ID_BYTES);
    this.idR = checkLength("id_r", b.idR, 1, MAX_ID_BYTES);
    this.saR = checkLength("sa_r", b.saR, 1, MAX_SA_R_BYTES);
    this.ext = checkLength("ext", b.ext == null ? new byte[0] : b.ext, 0, MAX_EXT_BYTES);
  }

  private static byte[] checkLength(String field, byte[] value, int min, int max) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    if (value.length < min || value.length > max) {
      throw new IllegalArgumentException(
          field + " must be " + min + ".." + max + " bytes, got " + value.length);
    }
    return value.clone();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this state's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder().issuedAtSeconds(issuedAtSeconds).expiresAtSeconds(expiresAtSeconds)
        .spiI(spiI).spiR(spiR).authMethod(authMethod).flags(flags).skD(skD)
        .idI(idI).idR(idR).saR(saR).ext(ext);
  }

  public long issuedAtSeconds() { return issuedAtSeconds; }
  public long expiresAtSeconds() { return expiresAtSeconds; }
  public int authMethod() { return authMethod; }
  public int flags() { return flags; }
  public boolean eapUsed() { return (flags & FLAG_EAP) != 0; }
  public byte[] spiI() { return spiI.clone(); }
  public byte[] spiR() { return spiR.clone(); }
  public byte[] idI() { return idI.clone(); }
  public byte[] idR() { return idR.clone(); }
  public byte[] saR() { return saR.clone(); }
  public byte[] ext() { return ext.clone(); }

  /** SK_d of the original IKE SA: a secret. Reading it is an explicit act; do not log it. */
  public byte[] skDSecret() { return skD.clone(); }

  @Override
  public boolean equals(Object o) {
    return o instanceof IkeSaState s
        && issuedAtSeconds == s.issuedAtSeconds && expiresAtSeconds == s.expiresAtSeconds
        && authMethod == s.authMethod && flags == s.flags
        && Arrays.equals(spiI, s.spiI) && Arrays.equals(spiR, s.spiR)
        && Arrays.equals(skD, s.skD) && Arrays.equals(idI, s.idI) && Arrays.equals(idR, s.idR)
        && Arrays.equals(saR, s.saR) && Arrays.equals(ext, s.ext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(issuedAtSeconds, expiresAtSeconds, Arrays.hashCode(spiI), Arrays.hashCode(spiR));
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "IkeSaState[issued_at=" + issuedAtSeconds + ", expires_at=" + expiresAtSeconds
        + ", spi_i=" + hex.formatHex(spiI) + ", spi_r=" + hex.formatHex(spiR)
        + ", auth_method=" + authMethod + ", flags=" + flags
        + ", sk_d=(" + skD.length + " bytes, hidden), id_i=" + idI.length + " bytes, id_r="
        + idR.length + " bytes, sa_r=" + saR.length + " bytes, ext=" + ext.length + " bytes]";
  }

  /** Collects fields; {@link #build()} checks every bound and copies every array. */
  public static final class Builder {
    private long issuedAtSeconds;
    private long expiresAtSeconds;
    private byte[] spiI;
    private byte[] spiR;
    private int authMethod;
    private int flags;
    private byte[] skD;
    private byte[] idI;
    private byte[] idR;
    private byte[] saR;
    private byte[] ext;

    private Builder() {}

    public Builder issuedAtSeconds(long v) { issuedAtSeconds = v; return this; }
    public Builder expiresAtSeconds(long v) { expiresAtSeconds = v; return this; }
    public Builder spiI(byte[] v) { spiI = v; return this; }
    public Builder spiR(byte[] v) { spiR = v; return this; }
    public Builder authMethod(int v) { authMethod = v; return this; }
    public Builder flags(int v) { flags = v; return this; }
    public Builder skD(byte[] v) { skD = v; return this; }
    public Builder idI(byte[] v) { idI = v; return this; }
    public Builder idR(byte[] v) { idR = v; return this; }
    public Builder saR(byte[] v) { saR = v; return this; }
    public Builder ext(byte[] v) { ext = v; return this; }

    /** @throws IllegalArgumentException naming the first field out of its bounds */
    public IkeSaState build() {
      return new IkeSaState(this);
    }
  }
}
