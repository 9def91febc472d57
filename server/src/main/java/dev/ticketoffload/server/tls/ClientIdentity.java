package dev.ticketoffload.server.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The names a client certificate claims, each as a policy key of its {@link IdentityKind}
 * ({@code cn:gateway-a}, {@code dns:fleet-b.example.net}, {@code uri:spiffe://example.org/gw-a},
 * {@code ip:2001:db8:0:0:0:0:0:1}, {@code email:ops@example.net}): the subject CN and the DNS, URI,
 * e-mail and IP subject alternative names. The realm policy matches any of them.
 */
public final class ClientIdentity {

  private ClientIdentity() {}

  public static List<String> names(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(IdentityKind.CN.key(rdn.getValue().toString()));
        }
      }
    } catch (InvalidNameException e) {
      // a subject we cannot parse has no CN for us; SANs may still match
    }
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          IdentityKind kind = san.size() >= 2 && san.get(0) instanceof Integer type ? IdentityKind.ofSanType(type) : null;
          if (kind != null && san.get(1) instanceof String value) {
            addIfValid(names, kind, value);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no usable SANs
    }
    return names;
  }

  private static void addIfValid(List<String> names, IdentityKind kind, String value) {
    try {
      names.add(kind.key(value));
    } catch (IllegalArgumentException e) {
      // a SAN that is not what its type says matches nothing
    }
  }
}
