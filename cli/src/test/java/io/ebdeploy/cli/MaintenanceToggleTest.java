package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance toggle for real: the shipped hook (through its confighooks twin) writes the
 * environment properties for nginx, and Debian's nginx, running the platform's nginx.conf with the
 * shipped conf.d files on a loopback port, sits in front of a tiny backend.
 */
class MaintenanceToggleTest {
  static final Path REPO = NginxRunner.REPO;
  static final String SECRET = "s3cr3t-Bypass_value.0123";
  static final String HEADER = "X-Maintenance-Bypass";

  @TempDir Path tmp;
  Path nginx;
  Backend backend;
  NginxRunner runner;
  Path props;
  Path getConfig;

  @BeforeEach
  void setUp() throws Exception {
    nginx = Tools.require("nginx", "nginx");
    backend = new Backend();
    runner =
        new NginxRunner(nginx, tmp.resolve("nginx"))
            .platformDefault()
            .application(backend.port())
            .shippedConfD();
    // get-config as on an instance: `get-config environment -k KEY` prints the value, or fails.
    props = Files.createDirectories(tmp.resolve("props"));
    getConfig = tmp.resolve("get-config");
    Files.writeString(
        getConfig,
        "#!/bin/sh\n"
            + "f=\""
            + props
            + "/$3\"\n"
            + "[ \"$1\" = environment ] && [ \"$2\" = -k ] && [ -f \"$f\" ] && exec cat \"$f\"\n"
            + "echo \"no such key\" >&2\nexit 1\n");
    Files.setPosixFilePermissions(getConfig, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void tearDown() throws Exception {
    runner.close();
    backend.close();
  }

  @Test
  void on_withSecret_503PageForAllButTheBypassHeaderAndTheHealthPath() throws Exception {
    NginxRunner.Result hook = hook(Map.of("EB_MAINTENANCE", "on", "EB_MAINTENANCE_BYPASS", SECRET));
    runner.start();

    HttpResponse<String> plain = get("/", null);
    HttpResponse<String> bypass = get("/", SECRET);
    HttpResponse<String> wrong = get("/", "not-the-secret-at-all");
    HttpResponse<String> empty = get("/accounts/", "");
    HttpResponse<String> health = get("/health/", null);
    HttpResponse<String> healthQuery = get("/health/?full=1", null);
    HttpResponse<String> deep = get("/api/items?page=2", null);

    assertThat(hook.exit()).as(hook.output()).isZero();
    assertThat(plain.statusCode()).isEqualTo(503);
    assertThat(plain.body()).contains("Down for maintenance");
    assertThat(plain.headers().firstValue("Content-Type")).contains("text/html");
    assertThat(plain.headers().firstValue("Retry-After")).contains("600");
    assertThat(plain.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(bypass.statusCode()).isEqualTo(200);
    assertThat(bypass.body()).startsWith("backend /");
    assertThat(wrong.statusCode()).isEqualTo(503);
    assertThat(empty.statusCode()).isEqualTo(503);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).startsWith("backend /health/");
    assertThat(healthQuery.statusCode()).isEqualTo(200);
    assertThat(deep.statusCode()).isEqualTo(503);
    assertThat(backend.paths).containsExactly("/", "/health/", "/health/");
  }

  @Test
  void on_secretNeverPrintedNorLogged_stateReadableByRootOnly() throws Exception {
    NginxRunner.Result hook = hook(Map.of("EB_MAINTENANCE", "on", "EB_MAINTENANCE_BYPASS", SECRET));
    runner.start();
    get("/", SECRET);
    get("/", "wrong-guess-of-the-secret");
    runner.stop();

    Path state = runner.conf.resolve("eb-maintenance/state.conf");
    assertThat(hook.output()).doesNotContain(SECRET).contains("maintenance: on");
    assertThat(runner.logs()).doesNotContain(SECRET).contains("GET / HTTP/1.1\" 200");
    assertThat(Files.readString(state)).contains(SECRET);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rw-------");
  }

  @Test
  void on_withoutSecret_nobodyPassesButTheHealthPath() throws Exception {
    hook(Map.of("EB_MAINTENANCE", "true"));
    runner.start();

    assertThat(get("/", null).statusCode()).isEqualTo(503);
    assertThat(get("/", "").statusCode()).isEqualTo(503);
    assertThat(get("/health/", null).statusCode()).isEqualTo(200);
  }

  @Test
  void on_customHealthPath_onlyThatPathPasses() throws Exception {
    hook(Map.of("EB_MAINTENANCE", "on", "EB_HEALTH_PATH", "/status"));
    runner.start();

    assertThat(get("/status", null).statusCode()).isEqualTo(200);
    assertThat(get("/health/", null).statusCode()).isEqualTo(503);
  }

  @Test
  void off_orHookNeverRan_everythingIsProxied() throws Exception {
    runner.start(); // no state file yet: the defaults hold
    assertThat(get("/", null).statusCode()).isEqualTo(200);
    assertThat(get("/.eb-maintenance", null).statusCode()).isEqualTo(404); // internal
    runner.stop();

    hook(Map.of("EB_MAINTENANCE", "off", "EB_MAINTENANCE_BYPASS", SECRET));
    runner.start();
    assertThat(get("/", null).statusCode()).isEqualTo(200);
    assertThat(get("/", SECRET).statusCode()).isEqualTo(200);
  }

  @Test
  void hook_refusesASecretNginxCouldMisread_withoutPrintingIt() throws Exception {
    String bad = "short\"; return 200 x; #";
    NginxRunner.Result r = hook(Map.of("EB_MAINTENANCE", "on", "EB_MAINTENANCE_BYPASS", bad));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("EB_MAINTENANCE_BYPASS must be").doesNotContain(bad);
    assertThat(runner.conf.resolve("eb-maintenance/state.conf")).doesNotExist();
  }

  /** Runs the confighooks twin, which runs the hook, with these environment properties. */
  private NginxRunner.Result hook(Map<String, String> properties) throws Exception {
    for (Map.Entry<String, String> p : properties.entrySet()) {
      Files.writeString(props.resolve(p.getKey()), p.getValue());
    }
    return NginxRunner.run(
        List.of(REPO.resolve("platform/confighooks/predeploy/50-maintenance.sh").toString()),
        Map.of("EB_GET_CONFIG", getConfig.toString(), "EB_NGINX_DIR", runner.conf.toString()),
        Duration.ofSeconds(30));
  }

  private HttpResponse<String> get(String path, String bypass) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(runner.base() + path));
    if (bypass != null) {
      b.header(HEADER, bypass);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
