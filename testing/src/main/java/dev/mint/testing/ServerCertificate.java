// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import dev.mint.TlsOptions;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity of one {@link MockServer}, generated on first use (see {@link
 * MockServer#certificate()}), and the trust material a client needs to accept it. Nothing is read
 * from or written to disk.
 *
 * <p>Two certificates, as a real deployment has: a certificate authority ({@code CN=mint-testing
 * CA}) and, signed by it, the server's certificate, valid for {@code localhost}, {@code 127.0.0.1}
 * and {@code ::1}. Both use ECDSA P-256 keys and are valid from an hour before they are made, for a
 * day. A client trusts the authority: give Mint {@code
 * TlsOptions.defaults().withTrustStore(trustStore())} or {@code
 * withSslContext(clientSslContext())}, the JDK's {@code HttpClient} {@link #clientSslContext()}, a
 * PEM-reading client {@link #caCertificatePem()}.
 *
 * <p>The certificates are built with Bouncy Castle's PKIX library (the JDK has no public API that
 * issues a certificate); the keys, the key stores and the TLS contexts are the JDK's own. Immutable
 * and thread-safe; each call returns a new key store or context.
 */
public final class ServerCertificate {
  private static final String STORE_PASSWORD = "mint-testing";
  private static final String SIGNATURE = "SHA256withECDSA";

  private final X509Certificate authority;
  private final X509Certificate certificate;
  private final PrivateKey key;

  private ServerCertificate(
      X509Certificate authority, X509Certificate certificate, PrivateKey key) {
    this.authority = authority;
    this.certificate = certificate;
    this.key = key;
  }

  /** Generates a new authority and a server certificate signed by it. */
  static ServerCertificate generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair authorityKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      X500Name authorityName = new X500Name("CN=mint-testing CA");
      X509Certificate authority =
          sign(authorityBuilder(authorityName, authorityKeys.getPublic()), authorityKeys);
      X509Certificate server =
          sign(serverBuilder(authorityName, serverKeys.getPublic()), authorityKeys);
      return new ServerCertificate(authority, server, serverKeys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("could not generate the test server's certificate", e);
    }
  }

  private static X509v3CertificateBuilder authorityBuilder(X500Name name, PublicKey key)
      throws java.io.IOException {
    X509v3CertificateBuilder b = validity(name, name, key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return b;
  }

  private static X509v3CertificateBuilder serverBuilder(X500Name issuer, PublicKey key)
      throws java.io.IOException {
    X509v3CertificateBuilder b = validity(issuer, new X500Name("CN=localhost"), key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    GeneralName[] names = {
      new GeneralName(GeneralName.dNSName, "localhost"),
      ipAddress(InetAddress.getByName("127.0.0.1")),
      ipAddress(InetAddress.getByName("::1"))
    };
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    return b;
  }

  private static GeneralName ipAddress(InetAddress address) {
    return new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress()));
  }

  private static X509v3CertificateBuilder validity(
      X500Name issuer, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(63, new SecureRandom());
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate())));
  }

  /** The certificate authority that signed the server's certificate: what a client trusts. */
  public X509Certificate caCertificate() {
    return authority;
  }

  /** The server's own certificate (for {@code localhost}, {@code 127.0.0.1} and {@code ::1}). */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The authority's certificate in PEM ({@code -----BEGIN CERTIFICATE-----}). */
  public String caCertificatePem() {
    try {
      String base64 =
          Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(authority.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Mint's TLS options trusting the authority and nothing else: {@code
   * TlsOptions.defaults().withTrustStore(trustStore())}.
   */
  public TlsOptions tlsOptions() {
    return TlsOptions.defaults().withTrustStore(trustStore());
  }

  /** A new in-memory PKCS12 trust store holding the authority's certificate (no password). */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("mint-testing-ca", authority);
      return store;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("could not build the trust store", e);
    }
  }

  /** A trust manager that trusts the authority and nothing else. */
  public X509TrustManager trustManager() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore());
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X509TrustManager from " + factory.getAlgorithm());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not build the trust manager", e);
    }
  }

  /** A new client-side TLS context that trusts the authority and nothing else. */
  public SSLContext clientSslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not build the client TLS context", e);
    }
  }

  /** The server-side TLS context presenting the server's certificate and the authority's. */
  SSLContext serverSslContext() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = STORE_PASSWORD.toCharArray();
      store.setKeyEntry("server", key, password, new Certificate[] {certificate, authority});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("could not build the server TLS context", e);
    }
  }
}
