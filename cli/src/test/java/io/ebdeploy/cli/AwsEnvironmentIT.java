package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS variables as a user exports them, for the real {@code ./eb-deploy} process (launcher and
 * jar): its own environment holds {@code AWS_DEFAULT_REGION} and {@code AWS_ENDPOINT_URL}, nothing
 * else says where to go. The instance metadata service is a local server ({@code
 * AWS_EC2_METADATA_SERVICE_ENDPOINT}, which the SDK honours) that answers like EC2's and counts the
 * requests: off EC2, eb-deploy must ask it nothing, where the SDK's own region chain asked it (and
 * waited about 2 s for the real address).
 */
@Timeout(120)
class AwsEnvironmentIT {
  static final String REGION = "eu-central-1";

  @TempDir Path tmp;
  Path root;
  CliSandbox sb;
  HttpServer metadata;
  final List<String> metadataRequests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    assumeFalse(
        onEc2(), "this machine is an EC2 instance: asking its instance metadata is right here");
    root = Path.of(System.getProperty("ebdeploy.repoRoot", "..")).toAbsolutePath().normalize();
    sb = new CliSandbox(REGION);
    sb.group("Iaso", "staging", List.of("Iaso-staging"), List.of("Iaso-staging-worker"));
    sb.sandbox.clearCalls();
    metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metadata.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          metadataRequests.add(exchange.getRequestMethod() + " " + path);
          byte[] body =
              (path.endsWith("/api/token") ? "token" : "ap-northeast-1")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    metadata.start();
  }

  @AfterEach
  void stop() {
    if (metadata != null) {
      metadata.stop(0);
    }
    if (sb != null) {
      sb.close();
    }
  }

  /** The instance-metadata signals of io.ebdeploy.aws.Ec2Host that a test machine may show. */
  private static boolean onEc2() {
    for (String f : List.of("/sys/devices/virtual/dmi/id/sys_vendor", "/sys/hypervisor/uuid")) {
      try {
        String s = Files.readString(Path.of(f)).toLowerCase(Locale.ROOT);
        if (s.startsWith("amazon ec2") || s.startsWith("ec2")) {
          return true;
        }
      } catch (IOException e) {
        // absent: not this kind of machine
      }
    }
    return false;
  }

  private record Result(int exitCode, String out, String err) {}

  /** {@code ./eb-deploy ARGS} with only these AWS and eb-deploy variables. */
  private Result run(Map<String, String> aws, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve("eb-deploy").toString()));
    command.addAll(List.of(args));
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("EB_DEPLOY_"));
    env.put("EB_DEPLOY_NO_BUILD", "1");
    env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + metadata.getAddress().getPort());
    env.putAll(aws);
    Process p = pb.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void status_awsDefaultRegionAndEndpointUrl_verboseNamesTheirSources_noMetadataRequest()
      throws Exception {
    String endpoint = sb.sandbox.endpoint().toString();

    Result r =
        run(
            Map.of("AWS_DEFAULT_REGION", REGION, "AWS_ENDPOINT_URL", endpoint),
            "status",
            "staging",
            "-v");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Iaso-staging", "Iaso-staging-worker");
    assertThat(r.err())
        .contains("region eu-central-1 (from AWS_DEFAULT_REGION)")
        .contains("Resource Groups Tagging API endpoint " + endpoint + " (from AWS_ENDPOINT_URL)")
        .contains("Elastic Beanstalk endpoint " + endpoint + " (from AWS_ENDPOINT_URL)");
    assertThat(metadataRequests).isEmpty();
  }

  @Test
  void status_noRegionAnywhere_clearErrorWithoutAskingTheMetadata() throws Exception {
    Result r =
        run(Map.of("AWS_ENDPOINT_URL", sb.sandbox.endpoint().toString()), "status", "staging");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no AWS region: pass --region");
    assertThat(metadataRequests).isEmpty();
    assertThat(sb.sandbox.calls()).isEmpty();
  }

  @Test
  void status_ignoreConfiguredEndpointUrls_theSdkDoesNotUseAwsEndpointUrlEither() throws Exception {
    Result r =
        run(
            Map.of(
                "AWS_DEFAULT_REGION",
                REGION,
                "AWS_ENDPOINT_URL",
                sb.sandbox.endpoint().toString(),
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                "true"),
            "status",
            "staging",
            "-v");

    assertThat(r.err()).contains("Elastic Beanstalk endpoint AWS's own for eu-central-1");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.AWS_ERROR);
    assertThat(sb.sandbox.calls()).as("the sandbox of AWS_ENDPOINT_URL").isEmpty();
  }
}
