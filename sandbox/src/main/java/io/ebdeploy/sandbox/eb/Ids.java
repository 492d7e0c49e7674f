package io.ebdeploy.sandbox.eb;

import java.security.SecureRandom;

/** The random parts of Beanstalk's ids and names (environment ids, CNAMEs, instance ids). */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static String random(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
