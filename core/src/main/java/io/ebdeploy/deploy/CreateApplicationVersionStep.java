package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.ApplicationVersionDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.CreateApplicationVersionRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeApplicationVersionsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEventsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.S3Location;

/**
 * One application version for the whole group, created with {@code Process=true} and waited to
 * Processed. A label names one bundle: an existing version whose source key is this bundle's
 * ({@code <app>/<label>-<sha8>.zip}) is reused; one with another key is refused.
 */
final class CreateApplicationVersionStep {
  private CreateApplicationVersionStep() {}

  /** Read-only, before the first change: reuse, create, or refuse a clash. */
  static DeployContext check(DeployContext ctx) {
    String app = ctx.group().application();
    String label = ctx.label();
    Optional<ApplicationVersionDescription> existing = describe(ctx.aws().eb(), app, label);
    if (existing.isEmpty()) {
      return ctx.withVersion(false, null);
    }
    ApplicationVersionDescription v = existing.get();
    String key = v.sourceBundle() == null ? null : v.sourceBundle().s3Key();
    String wanted = ctx.bundle().key();
    if (!wanted.equals(key)) {
      throw EbDeployException.invalidInput(
          "application version "
              + label
              + " of "
              + app
              + " already exists with another bundle: its source is "
              + (key == null ? "not in S3" : "s3://" + v.sourceBundle().s3Bucket() + "/" + key)
              + ", this bundle's key is "
              + wanted
              + ". A label names one bundle: deploy the existing version as it is by"
              + " rebuilding the same commit, or give this build a new label (commit and tag, or"
              + " pass --label)");
    }
    if ("Failed".equalsIgnoreCase(v.statusAsString())) {
      throw EbDeployException.invalidInput(
          "application version "
              + label
              + " of "
              + app
              + " exists with this bundle but its processing FAILED: fix the bundle and deploy it"
              + " under a new label (--label), or delete the version");
    }
    return ctx.withVersion(true, v.statusAsString());
  }

  /** Creates the version (unless reused) and waits until Beanstalk processed it. */
  static DeployContext run(DeployContext ctx) {
    ElasticBeanstalkClient eb = ctx.aws().eb();
    String app = ctx.group().application();
    String label = ctx.label();
    Instant since = ctx.events().now();
    if (ctx.versionExists()) {
      ctx.events().emit(new DeployEvent.VersionProcessing(ctx.events().now(), label, "reused"));
    } else {
      Aws.call(
          "CreateApplicationVersion",
          () ->
              eb.createApplicationVersion(
                  CreateApplicationVersionRequest.builder()
                      .applicationName(app)
                      .versionLabel(label)
                      .description("eb-deploy " + ctx.bundle().sha8())
                      .sourceBundle(
                          S3Location.builder()
                              .s3Bucket(ctx.bundle().bucket())
                              .s3Key(ctx.bundle().key())
                              .build())
                      .process(true)
                      .build()));
      ctx.events().emit(new DeployEvent.VersionProcessing(ctx.events().now(), label, "created"));
    }
    awaitProcessed(ctx, app, label, since);
    return ctx;
  }

  static Optional<ApplicationVersionDescription> describe(
      ElasticBeanstalkClient eb, String app, String label) {
    return Aws.call(
            "DescribeApplicationVersions",
            () ->
                eb.describeApplicationVersions(
                    DescribeApplicationVersionsRequest.builder()
                        .applicationName(app)
                        .versionLabels(label)
                        .build()))
        .applicationVersions()
        .stream()
        .filter(v -> label.equals(v.versionLabel()))
        .findFirst();
  }

  private static void awaitProcessed(DeployContext ctx, String app, String label, Instant since) {
    Duration timeout = ctx.request().config().timeouts().versionProcessing();
    Instant deadline = ctx.events().now().plus(timeout);
    Duration interval = ctx.pacing().initial();
    String last = null;
    while (true) {
      ApplicationVersionDescription v =
          describe(ctx.aws().eb(), app, label)
              .orElseThrow(
                  () ->
                      new VersionFailed(
                          "application version " + label + " disappeared while being processed"));
      String status = v.statusAsString();
      boolean changed = !status.equals(last);
      if (changed) {
        ctx.events().emit(new DeployEvent.VersionProcessing(ctx.events().now(), label, status));
        last = status;
      }
      if ("Processed".equalsIgnoreCase(status) || "Unprocessed".equalsIgnoreCase(status)) {
        return;
      }
      if ("Failed".equalsIgnoreCase(status)) {
        throw new VersionFailed(
            "application version "
                + label
                + " FAILED processing"
                + reason(ctx.aws().eb(), app, label, since)
                + ": fix the bundle and deploy a new label");
      }
      if (!ctx.events().now().isBefore(deadline)) {
        throw new VersionFailed(
            "application version "
                + label
                + " is still "
                + status
                + " after "
                + FindEnvironmentsStep.human(timeout)
                + " (timeouts.version-processing)");
      }
      Interrupts.check(ctx, "no environment was updated");
      interval = ctx.pacing().next(interval, changed);
      ctx.pacing().sleep(interval);
    }
  }

  /** Beanstalk's words for a failed version, from its events. */
  private static String reason(ElasticBeanstalkClient eb, String app, String label, Instant since) {
    try {
      List<EventDescription> events =
          eb.describeEvents(
                  DescribeEventsRequest.builder()
                      .applicationName(app)
                      .versionLabel(label)
                      .startTime(since.minusSeconds(1))
                      .build())
              .events();
      String messages =
          events.stream()
              .filter(
                  e ->
                      e.severityAsString() == null
                          || e.severityAsString().equals("ERROR")
                          || e.severityAsString().equals("FATAL")
                          || e.severityAsString().equals("WARN"))
              .map(EventDescription::message)
              .distinct()
              .collect(Collectors.joining(" / "));
      return messages.isEmpty() ? "" : " (" + messages + ")";
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      return " (its events could not be read: " + e.getMessage() + ")";
    }
  }

  /** The version could not be processed: a deploy failure with no environment touched. */
  static final class VersionFailed extends RuntimeException {
    VersionFailed(String message) {
      super(message);
    }
  }
}
