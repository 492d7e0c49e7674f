package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyTrustManagerTest {
  @TempDir Path dir;

  @Test
  void trustsExactlyWhatTheJdksDefaultManagerTrusts() throws Exception {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init((KeyStore) null);
    X509TrustManager jdk = (X509TrustManager) f.getTrustManagers()[0];
    LazyTrustManager lazy = (LazyTrustManager) LazyTrustManager.managers()[0];

    assertThat(lazy.getAcceptedIssuers())
        .isNotEmpty()
        .containsExactlyInAnyOrder(jdk.getAcceptedIssuers());
  }

  @Test
  void refusesASelfSignedServerCertificate() throws Exception {
    X509Certificate selfSigned = selfSigned();
    LazyTrustManager lazy = (LazyTrustManager) LazyTrustManager.managers()[0];

    assertThatThrownBy(() -> lazy.checkServerTrusted(new X509Certificate[] {selfSigned}, "RSA"))
        .isInstanceOf(CertificateException.class);
  }

  /** A certificate no CA signed, made by the JDK's keytool. */
  private X509Certificate selfSigned() throws Exception {
    Path keystore = dir.resolve("k.p12");
    Path cert = dir.resolve("k.cer");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "k",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-storetype",
        "PKCS12");
    run(
        keytool,
        "-exportcert",
        "-alias",
        "k",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        cert.toString());
    try (InputStream in = Files.newInputStream(cert)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
