package io.ebdeploy.deploy;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's default trust manager, created at the first TLS handshake instead of when the HTTP
 * client is built. Building it parses the JDK's ~150 CA certificates (~0.1 s of CPU at start-up),
 * which a run against an {@code http://} endpoint (the sandbox, an S3 emulator) never needs; every
 * check is the default manager's own, unchanged.
 */
final class LazyTrustManager extends X509ExtendedTrustManager {
  private volatile X509ExtendedTrustManager delegate;

  static TrustManager[] managers() {
    return new TrustManager[] {new LazyTrustManager()};
  }

  private X509ExtendedTrustManager delegate() throws CertificateException {
    X509ExtendedTrustManager d = delegate;
    if (d == null) {
      synchronized (this) {
        d = delegate;
        if (d == null) {
          try {
            TrustManagerFactory f =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager m : f.getTrustManagers()) {
              if (m instanceof X509ExtendedTrustManager x) {
                d = x;
                break;
              }
            }
          } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot load the JDK's trusted certificates", e);
          }
          if (d == null) {
            throw new CertificateException("the JDK has no X.509 trust manager");
          }
          delegate = d;
        }
      }
    }
    return d;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    try {
      return delegate().getAcceptedIssuers();
    } catch (CertificateException e) {
      return new X509Certificate[0];
    }
  }
}
