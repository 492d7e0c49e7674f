package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The secret rules by name and by content; {@link BundlerTest} checks them in a bundle. */
class SecretsTest {
  private static final String KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY9q2ZtAb3Xy";
  private static final String AWS_SECRET = "holds an AWS secret access key";

  private static Optional<String> in(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return Secrets.inContent(bytes, bytes.length);
  }

  @Test
  void byName_envFiles_secretsButTemplatesAreNot() {
    assertThat(Secrets.byName(".env")).contains("environment file");
    assertThat(Secrets.byName("deploy/.env.production")).contains("environment file");
    assertThat(Secrets.byName(".env.smoke")).contains("environment file");
    assertThat(Secrets.byName(".env.template.local")).contains("environment file");
    for (String template :
        new String[] {
          ".env.example",
          ".env.sample",
          ".env.template",
          ".env.dist",
          ".env.smoke.template",
          "config/.env.staging.example",
          ".env.ci.sample",
          ".ENV.Smoke.Template"
        }) {
      assertThat(Secrets.byName(template)).as(template).isEmpty();
    }
  }

  @Test
  void byName_keysAndCredentials() {
    assertThat(Secrets.byName("certs/server.pem")).contains("key or certificate file (.pem)");
    assertThat(Secrets.byName("deploy/id_ed25519")).contains("credentials file");
    assertThat(Secrets.byName("home/.aws/credentials")).contains("AWS credentials file");
    assertThat(Secrets.byName("app/keys.py")).isEmpty();
  }

  @Test
  void inContent_privateKeysOnlyInText() {
    assertThat(in("-----BEGIN OPENSSH PRIVATE KEY-----\n")).contains("holds a private key");
    assertThat(in("x = '''\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n")).isPresent();
    assertThat(in("-----BEGIN PUBLIC KEY-----\n")).isEmpty();
    assertThat(in("docs: a PRIVATE KEY-----BEGIN is not one\n")).isEmpty();
    assertThat(in("-----BEGIN\nRSA PRIVATE KEY-----\n")).as("not on one line").isEmpty();
    assertThat(in("\0-----BEGIN RSA PRIVATE KEY-----")).as("binary").isEmpty();
  }

  @Test
  void inContent_awsSecretAccessKeys_inTheirUsualSpellings() {
    for (String assignment :
        new String[] {
          "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + KEY,
          "export AWS_SECRET_ACCESS_KEY=" + KEY + "\n",
          "AWS_SECRET_ACCESS_KEY = '" + KEY + "'\n",
          "{\"aws_secret_access_key\": \"" + KEY + "\"}",
          "aws-secret-access-key: " + KEY,
          "creds = {'SecretAccessKey': '" + KEY + "'}",
          "awsSecretAccessKey: \"" + KEY + "\"",
          "aws_secret_access_key=" + KEY
        }) {
      assertThat(in(assignment)).as(assignment).contains(AWS_SECRET);
    }
  }

  @Test
  void inContent_awsLookAlikes_notSecrets() {
    assertThat(in("AWS_SECRET_ACCESS_KEY = os.environ['AWS_SECRET_ACCESS_KEY']\n")).isEmpty();
    assertThat(in("aws_secret_access_key = <your secret key>\n")).isEmpty();
    assertThat(in("aws_secret_access_key = " + KEY + "A\n")).as("41 characters").isEmpty();
    assertThat(in("aws_secret_access_key = " + KEY.substring(1) + "\n")).as("39").isEmpty();
    assertThat(in("aws_secret_access_key " + KEY + "\n")).as("no assignment").isEmpty();
    assertThat(in("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"))
        .as("AWS's documentation example")
        .isEmpty();
    assertThat(in("\0aws_secret_access_key = " + KEY)).as("binary").isEmpty();
  }

  @Test
  void inContent_atEveryAlignmentAndLength_found() {
    String key = "-----BEGIN RSA PRIVATE KEY-----";
    String aws = "aws_secret_access_key=" + KEY;
    for (int pad = 0; pad < 17; pad++) {
      String before = "x".repeat(pad);
      assertThat(in(before + key)).as("pad " + pad).contains("holds a private key");
      assertThat(in(before + key + "\n" + before)).as("pad " + pad).isPresent();
      assertThat(in(before + aws)).as("pad " + pad).contains(AWS_SECRET);
      assertThat(in(before + aws + " " + before)).as("pad " + pad).contains(AWS_SECRET);
    }
  }

  @Test
  void inContent_nulInTheFirst8KiB_binaryEvenAfterAMatch() {
    assertThat(in("-----BEGIN RSA PRIVATE KEY-----\n" + "a".repeat(5000) + "\0"))
        .as("a NUL after the key, within 8 KiB")
        .isEmpty();
    assertThat(in("-----BEGIN RSA PRIVATE KEY-----\n" + "a".repeat(9000) + "\0"))
        .as("a NUL after 8 KiB: text")
        .isPresent();
    assertThat(in("a".repeat(13) + "\0")).isEmpty();
  }
}
