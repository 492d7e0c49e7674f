package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every nginx file in platform/ passes {@code nginx -t} (Debian's nginx) where the platform
 * includes it; the duplicates lint reports (EB020) are ones nginx refuses; the shipped nginx.conf
 * turns gzip on where the platform's default leaves it off.
 */
class PlatformNginxTest {
  static final Path REPO = NginxRunner.REPO;

  @TempDir Path tmp;
  Path nginx;

  @BeforeEach
  void needNginx() {
    nginx = Tools.require("nginx", "nginx");
  }

  @Test
  void nginxT_shippedConfD_insideThePlatformsDefaultNginxConf() throws Exception {
    NginxRunner n = new NginxRunner(nginx, tmp).platformDefault().application(8000).shippedConfD();

    NginxRunner.Result r = n.test();

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("test is successful");
  }

  @Test
  void nginxT_shippedNginxConf_withTheShippedConfD() throws Exception {
    NginxRunner n =
        new NginxRunner(nginx, tmp)
            .main(Files.readString(REPO.resolve("platform/nginx/nginx.conf")))
            .application(8000)
            .shippedConfD();

    NginxRunner.Result r = n.test();

    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void nginxT_whatLintReportsAsDuplicate_nginxRefuses() throws Exception {
    Path corpus = REPO.resolve("core/src/test/lint-corpus/nginx-duplicates/.platform/nginx/conf.d");
    NginxRunner server =
        new NginxRunner(nginx, tmp.resolve("server"))
            .platformDefault()
            .application(8000)
            .file(
                "conf.d/elasticbeanstalk/10-gzip.conf",
                Files.readString(corpus.resolve("elasticbeanstalk/10-gzip.conf")));
    NginxRunner http =
        new NginxRunner(nginx, tmp.resolve("http"))
            .platformDefault()
            .application(8000)
            .file("conf.d/20-timeouts.conf", "server_tokens off;\n");

    assertThat(server.test().output()).contains("\"gzip\" directive is duplicate");
    assertThat(http.test().output()).contains("\"server_tokens\" directive is duplicate");
  }

  @Test
  void gzip_onWithTheShippedNginxConf_offWithThePlatformsDefault() throws Exception {
    try (Backend backend = new Backend();
        NginxRunner shipped =
            new NginxRunner(nginx, tmp.resolve("shipped"))
                .main(Files.readString(REPO.resolve("platform/nginx/nginx.conf")))
                .application(backend.port())
                .shippedConfD();
        NginxRunner platform =
            new NginxRunner(nginx, tmp.resolve("default"))
                .platformDefault()
                .application(backend.port())
                .shippedConfD()) {
      shipped.start();
      platform.start();

      HttpResponse<byte[]> on = get(shipped.base() + "/page");
      HttpResponse<byte[]> off = get(platform.base() + "/page");

      assertThat(on.statusCode()).isEqualTo(200);
      assertThat(on.headers().firstValue("Content-Encoding")).contains("gzip");
      assertThat(on.headers().firstValue("Vary")).contains("Accept-Encoding");
      assertThat(off.statusCode()).isEqualTo(200);
      assertThat(off.headers().firstValue("Content-Encoding")).isEmpty();
    }
  }

  static HttpResponse<byte[]> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept-Encoding", "gzip")
                .header("Via", "1.1 cloudfront")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }
}
