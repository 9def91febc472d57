package dev.ticketoffload.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The kinds of client certificate identity the realm policy can name, each in its own name space:
 * a CN never matches a DNS name, a DNS name never a URI. The policy and the certificate side both
 * go through {@link #key}, so a policy line and a certificate name match exactly when they denote
 * the same identity.
 */
public enum IdentityKind {
  /** The subject's common name, compared exactly. */
  CN("cn"),
  /** A dNSName SAN; DNS names are case-insensitive. */
  DNS("dns"),
  /** A uniformResourceIdentifier SAN (e.g. a SPIFFE ID), compared exactly. */
  URI("uri"),
  /** An iPAddress SAN, IPv4 or IPv6, compared as an address (any IPv6 spelling). */
  IP("ip"),
  /** An rfc822Name SAN; the domain is case-insensitive, the local part is not. */
  EMAIL("email");

  private final String prefix;

  IdentityKind(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** The kind a policy line names with {@code prefix:}, or {@code null}. */
  static IdentityKind ofPrefix(String prefix) {
    for (IdentityKind kind : values()) {
      if (kind.prefix.equals(prefix)) {
        return kind;
      }
    }
    return null;
  }

  /** The kind of a SAN of {@code X509Certificate#getSubjectAlternativeNames()} type, or {@code null}. */
  static IdentityKind ofSanType(int type) {
    return switch (type) {
      case 1 -> EMAIL;
      case 2 -> DNS;
      case 6 -> URI;
      case 7 -> IP;
      default -> null; // otherName, x400Address, directoryName, ediPartyName, registeredID: never matched
    };
  }

  /**
   * The policy's key for {@code value} of this kind: {@code prefix:normalized}.
   *
   * @throws IllegalArgumentException when the value is not one of this kind (e.g. an IP that is not
   *     an address literal)
   */
  String key(String value) {
    return prefix + ":" + normalized(value);
  }

  private String normalized(String value) {
    return switch (this) {
      case CN, URI -> value;
      case DNS -> value.toLowerCase(Locale.ROOT);
      case EMAIL -> {
        int at = value.lastIndexOf('@');
        yield at < 0 ? value : value.substring(0, at + 1) + value.substring(at + 1).toLowerCase(Locale.ROOT);
      }
      case IP -> address(value);
    };
  }

  /** An address literal in one spelling ({@code 2001:db8::1} and {@code 2001:DB8:0:0:0:0:0:1} agree); never a lookup. */
  private static String address(String literal) {
    boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      throw new IllegalArgumentException("\"" + literal + "\" is not an IPv4 or IPv6 address literal");
    }
    try {
      return InetAddress.getByName(literal).getHostAddress(); // a literal: parsed, not resolved
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + literal + "\" is not an IPv4 or IPv6 address literal");
    }
  }
}
