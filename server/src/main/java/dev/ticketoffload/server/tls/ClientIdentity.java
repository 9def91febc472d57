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
 * The names a client certificate claims: its subject CN and its subject alternative names (DNS,
 * URI, e-mail, IP address). The realm policy matches any of them.
 */
public final class ClientIdentity {

  private ClientIdentity() {}

  public static List<String> names(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      // a subject we cannot parse has no CN for us; SANs may still match
    }
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(1) instanceof String value) {
            names.add(value);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no usable SANs
    }
    return names;
  }
}
