package io.ebdeploy.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.ebdeploy.sandbox.service.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The conformance scenario through the AWS CLI (botocore), retries off so faults show. */
final class CliDriver implements ConformanceDriver {
  private static final Pattern ERROR_CODE = Pattern.compile("An error occurred \\(([^)]+)\\)");

  private final AwsCli cli;

  CliDriver(AwsCli cli) {
    this.cli = cli;
  }

  private JsonNode json(String... args) {
    AwsCli.Result r = succeed(args);
    try {
      return r.stdout().isBlank()
          ? Json.MAPPER.createObjectNode()
          : Json.MAPPER.readTree(r.stdout());
    } catch (java.io.IOException e) {
      throw new AssertionError("aws printed no JSON: " + r.stdout(), e);
    }
  }

  /** Runs a command whose output is text (aws s3 ...): only its success matters. */
  private AwsCli.Result succeed(String... args) {
    AwsCli.Result r = cli.run(args);
    if (r.exitCode() != 0) {
      throw new CliFailure(r.stderr());
    }
    return r;
  }

  /** A failed CLI call, carrying its stderr. */
  static final class CliFailure extends RuntimeException {
    CliFailure(String stderr) {
      super(stderr);
    }
  }

  @Override
  public void createApplication(String app) {
    json("elasticbeanstalk", "create-application", "--application-name", app);
  }

  @Override
  public void createEnvironment(String app, String env, String tier, Map<String, String> tags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "elasticbeanstalk",
                "create-environment",
                "--application-name",
                app,
                "--environment-name",
                env,
                "--solution-stack-name",
                "64bit Amazon Linux 2023 v4.1.0 running Python 3.11",
                "--tier",
                tier.equals("Worker")
                    ? "Name=Worker,Type=SQS/HTTP"
                    : "Name=WebServer,Type=Standard",
                "--tags"));
    tags.forEach((k, v) -> args.add("Key=" + k + ",Value=" + v));
    json(args.toArray(String[]::new));
  }

  @Override
  public List<Env> environments(String app) {
    List<Env> out = new ArrayList<>();
    for (JsonNode e :
        json("elasticbeanstalk", "describe-environments", "--application-name", app)
            .path("Environments")) {
      out.add(
          new Env(
              e.path("EnvironmentName").asText(),
              e.path("Tier").path("Name").asText(),
              e.path("Status").asText(),
              e.path("Health").asText(),
              e.path("VersionLabel").asText(null)));
    }
    return out;
  }

  @Override
  public List<String> environmentArnsTagged(String key, String value) {
    List<String> out = new ArrayList<>();
    for (JsonNode m :
        json(
                "resourcegroupstaggingapi", "get-resources",
                "--resource-type-filters", "elasticbeanstalk:environment",
                "--tag-filters", "Key=" + key + ",Values=" + value)
            .path("ResourceTagMappingList")) {
      out.add(m.path("ResourceARN").asText());
    }
    return out;
  }

  @Override
  public void makeBucket(String bucket) {
    succeed("s3", "mb", "s3://" + bucket);
  }

  @Override
  public void upload(Path file, String bucket, String key) {
    succeed("s3", "cp", "--only-show-errors", file.toString(), "s3://" + bucket + "/" + key);
  }

  @Override
  public void createVersion(String app, String label, String bucket, String key) {
    json(
        "elasticbeanstalk",
        "create-application-version",
        "--application-name",
        app,
        "--version-label",
        label,
        "--source-bundle",
        "S3Bucket=" + bucket + ",S3Key=" + key,
        "--process");
  }

  @Override
  public String versionStatus(String app, String label) {
    return json(
            "elasticbeanstalk", "describe-application-versions",
            "--application-name", app,
            "--version-labels", label)
        .path("ApplicationVersions")
        .path(0)
        .path("Status")
        .asText();
  }

  @Override
  public void updateEnvironment(String env, String label) {
    json(
        "elasticbeanstalk", "update-environment",
        "--environment-name", env,
        "--version-label", label);
  }

  @Override
  public void abort(String env) {
    json("elasticbeanstalk", "abort-environment-update", "--environment-name", env);
  }

  @Override
  public List<Event> events(String app, Instant since) {
    List<Event> out = new ArrayList<>();
    for (JsonNode e :
        json(
                "elasticbeanstalk",
                "describe-events",
                "--application-name",
                app,
                "--start-time",
                since.toString())
            .path("Events")) {
      out.add(
          new Event(
              e.path("EnvironmentName").asText(),
              e.path("Severity").asText(),
              e.path("Message").asText()));
    }
    return out;
  }

  @Override
  public void sync(Path dir, String bucket, String prefix) {
    succeed("s3", "sync", "--only-show-errors", dir.toString(), "s3://" + bucket + "/" + prefix);
  }

  @Override
  public List<String> keys(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    for (JsonNode o :
        json("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", prefix).path("Contents")) {
      out.add(o.path("Key").asText());
    }
    return out;
  }

  @Override
  public String errorCode(Runnable call) {
    try {
      call.run();
    } catch (CliFailure e) {
      Matcher m = ERROR_CODE.matcher(e.getMessage());
      if (m.find()) {
        return m.group(1);
      }
      throw new AssertionError("aws failed without an error code: " + e.getMessage());
    }
    throw new AssertionError("the call succeeded; a failure was expected");
  }
}
