package dev.ticketoffload.server.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA and certificates issued by it, written as PEM files, made at test time. */
public final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(1);

  public record Issued(Path cert, Path key) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  public final Path caPem;

  public TestCertificates(Path dir, String caName) throws Exception {
    this.dir = dir;
    this.caKeys = newKeyPair();
    X500Name name = new X500Name("CN=" + caName);
    X509v3CertificateBuilder b = builder(name, name, caKeys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    this.caCert = sign(b, caKeys.getPrivate());
    this.caPem = write(caName + "-ca.pem", caCert);
  }

  /** A server certificate for localhost / 127.0.0.1. */
  public Issued server() throws Exception {
    return issue("server", new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
  }

  /** A client certificate with subject CN {@code commonName}, and {@code dnsSan} as a DNS SAN if not null. */
  public Issued client(String commonName, String dnsSan) throws Exception {
    return issue(commonName, dnsSan == null ? null : new GeneralNames(new GeneralName(GeneralName.dNSName, dnsSan)));
  }

  /**
   * A client certificate with subject CN {@code commonName} and these SANs, e.g.
   * {@code new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/gw-a")}.
   */
  public Issued clientWithSans(String commonName, GeneralName... sans) throws Exception {
    return issue(commonName, sans.length == 0 ? null : new GeneralNames(sans));
  }

  /** As {@link #clientWithSans}, the certificate itself, not written anywhere. */
  public X509Certificate certificate(String commonName, GeneralName... sans) throws Exception {
    return signed(commonName, sans.length == 0 ? null : new GeneralNames(sans), newKeyPair());
  }

  private Issued issue(String commonName, GeneralNames sans) throws Exception {
    KeyPair keys = newKeyPair();
    X509Certificate cert = signed(commonName, sans, keys);
    String file = commonName.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + cert.getSerialNumber();
    return new Issued(write(file + ".pem", cert), writeKey(file + "-key.pem", keys.getPrivate()));
  }

  private X509Certificate signed(String commonName, GeneralNames sans, KeyPair keys) throws Exception {
    X509v3CertificateBuilder b = builder(new X500Name("CN=" + caCert.getSubjectX500Principal().getName().substring(3)),
        new X500Name(new org.bouncycastle.asn1.x500.RDN[] {new org.bouncycastle.asn1.x500.RDN(
            org.bouncycastle.asn1.x500.style.BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String(commonName))}), keys);
    if (sans != null) {
      b.addExtension(Extension.subjectAlternativeName, false, sans);
    }
    return sign(b, caKeys.getPrivate());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.getAndIncrement()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private Path write(String file, Object pem) throws IOException {
    Path p = dir.resolve(file);
    try (Writer w = Files.newBufferedWriter(p); JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(pem);
    }
    return p;
  }

  private Path writeKey(String file, PrivateKey key) throws IOException {
    Path p = dir.resolve(file);
    try (Writer w = Files.newBufferedWriter(p); JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(new JcaPKCS8Generator(key, null));
    }
    return p;
  }
}
