package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.sandbox.eb.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticbeanstalk.model.ApplicationDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.ApplicationVersionDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.CreateApplicationVersionResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeApplicationVersionsResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.ElasticBeanstalkException;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;

class EbApplicationVersionsTest {
  private final EbSandbox sandbox = EbSandbox.manual();

  @AfterEach
  void close() {
    sandbox.close();
  }

  private static void assertError(Runnable call, String code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            });
  }

  private CreateApplicationVersionResponse create(String label, String key, boolean process) {
    return sandbox
        .eb()
        .createApplicationVersion(
            b ->
                b.applicationName("app")
                    .versionLabel(label)
                    .process(process)
                    .sourceBundle(s -> s.s3Bucket("bundles").s3Key(key)));
  }

  @Test
  void createApplication_new_isDescribed() {
    sandbox
        .eb()
        .createApplication(
            b -> b.applicationName("app").description("demo").tags(t -> t.key("team").value("a")));

    List<ApplicationDescription> apps = sandbox.eb().describeApplications().applications();

    assertThat(apps).hasSize(1);
    assertThat(apps.get(0).applicationName()).isEqualTo("app");
    assertThat(apps.get(0).description()).isEqualTo("demo");
    assertThat(apps.get(0).applicationArn())
        .isEqualTo("arn:aws:elasticbeanstalk:eu-central-1:123456789012:application/app");
    assertThat(sandbox.eb().describeApplications(b -> b.applicationNames("other")).applications())
        .isEmpty();
  }

  @Test
  void createApplication_existing_failsWithAlreadyExists() {
    sandbox.eb().createApplication(b -> b.applicationName("app"));

    assertError(
        () -> sandbox.eb().createApplication(b -> b.applicationName("app")),
        "InvalidParameterValue",
        "Application app already exists.");
  }

  @Test
  void createApplication_noName_failsWithMissingParameter() {
    assertThatThrownBy(() -> sandbox.eb().createApplication(b -> {}))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter"));
  }

  @Test
  void createStorageLocation_any_returnsAccountBucketAndCreatesIt() {
    String bucket = sandbox.eb().createStorageLocation().s3Bucket();

    assertThat(bucket).isEqualTo("elasticbeanstalk-eu-central-1-123456789012");
    assertThat(sandbox.store.bucketExists(bucket)).isTrue();
    assertThat(sandbox.store.bucketRegion(bucket)).isEqualTo("eu-central-1");
  }

  @Test
  void createApplicationVersion_bundleExists_isUnprocessedAndListed() {
    sandbox.appWithVersions("app");
    sandbox.putObject("bundles", "app/v1.zip", EbSandbox.zip(Map.of("a.txt", "a")));

    CreateApplicationVersionResponse r = create("v1", "app/v1.zip", false);

    ApplicationVersionDescription v = r.applicationVersion();
    assertThat(v.statusAsString()).isEqualTo("UNPROCESSED");
    assertThat(v.applicationVersionArn())
        .isEqualTo("arn:aws:elasticbeanstalk:eu-central-1:123456789012:applicationversion/app/v1");
    assertThat(v.sourceBundle().s3Bucket()).isEqualTo("bundles");
    assertThat(v.sourceBundle().s3Key()).isEqualTo("app/v1.zip");
    assertThat(
            sandbox
                .eb()
                .describeApplicationVersions(b -> b.applicationName("app").versionLabels("v1"))
                .applicationVersions())
        .extracting(ApplicationVersionDescription::versionLabel)
        .containsExactly("v1");
    assertThat(sandbox.eb().describeApplications().applications().get(0).versions())
        .containsExactly("v1");
  }

  @Test
  void createApplicationVersion_missingBundle_failsWithUnableToDownload() {
    sandbox.appWithVersions("app");
    sandbox.putObject("bundles", "other.zip", new byte[] {1});

    assertError(
        () -> create("v1", "app/v1.zip", false),
        "InvalidParameterCombination",
        "Unable to download from S3 location (Bucket: bundles  Key: app/v1.zip). Reason: Not Found");
  }

  @Test
  void createApplicationVersion_bucketInOtherRegion_failsWithMovedPermanently() {
    sandbox.appWithVersions("app");
    sandbox.store.ensureBucket("far", "us-west-2");
    sandbox.store.write("far", "v1.zip", new byte[] {1}, null);

    assertError(
        () ->
            sandbox
                .eb()
                .createApplicationVersion(
                    b ->
                        b.applicationName("app")
                            .versionLabel("v1")
                            .sourceBundle(s -> s.s3Bucket("far").s3Key("v1.zip"))),
        "InvalidParameterCombination",
        "Unable to download from S3 location (Bucket: far  Key: v1.zip). Reason: Moved"
            + " Permanently");
  }

  @Test
  void createApplicationVersion_existingLabel_failsWithAlreadyExists() {
    sandbox.appWithVersions("app", "v1");

    assertError(
        () -> create("v1", "app/v1.zip", false),
        "InvalidParameterValue",
        "Application Version v1 already exists.");
  }

  @Test
  void createApplicationVersion_unknownApplication_failsUnlessAutoCreate() {
    sandbox.putObject("bundles", "x.zip", EbSandbox.zip(Map.of("a", "a")));

    assertError(
        () -> create("v1", "x.zip", false),
        "InvalidParameterValue",
        "No Application named 'app' found.");

    sandbox
        .eb()
        .createApplicationVersion(
            b ->
                b.applicationName("app")
                    .versionLabel("v1")
                    .autoCreateApplication(true)
                    .sourceBundle(s -> s.s3Bucket("bundles").s3Key("x.zip")));
    assertThat(sandbox.eb().describeApplications().applications())
        .extracting(ApplicationDescription::applicationName)
        .containsExactly("app");
  }

  @Test
  void createApplicationVersion_processValidBundle_goesProcessingThenProcessed() {
    sandbox.appWithVersions("app");
    sandbox.putObject(
        "bundles",
        "v1.zip",
        EbSandbox.zip(
            Map.of(
                "app.py", "x = 1",
                ".ebextensions/01-env.config",
                    "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    A: b\n",
                ".ebextensions/02-json.config",
                    "{\"container_commands\": {\"01\": {\"command\": \"true\"}}}")));

    CreateApplicationVersionResponse r = create("v1", "v1.zip", true);
    String during = status("v1");
    sandbox.tick(Timeline.PROCESSING_SECONDS);

    assertThat(r.applicationVersion().statusAsString()).isEqualTo("PROCESSING");
    assertThat(during).isEqualTo("PROCESSING");
    assertThat(status("v1")).isEqualTo("PROCESSED");
  }

  private String status(String label) {
    return sandbox
        .eb()
        .describeApplicationVersions(b -> b.applicationName("app").versionLabels(label))
        .applicationVersions()
        .get(0)
        .statusAsString();
  }

  @Test
  void createApplicationVersion_processInvalidYaml_failsWithReasonEvent() {
    sandbox.appWithVersions("app");
    sandbox.putObject(
        "bundles",
        "v1.zip",
        EbSandbox.zip(Map.of(".ebextensions/bad.config", "option_settings:\n  - a: [\n")));

    create("v1", "v1.zip", true);
    sandbox.tick(Timeline.PROCESSING_SECONDS);

    assertThat(status("v1")).isEqualTo("FAILED");
    List<EventDescription> events =
        sandbox.eb().describeEvents(b -> b.applicationName("app").versionLabel("v1")).events();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).severityAsString()).isEqualTo("ERROR");
    assertThat(events.get(0).message())
        .startsWith(
            "The configuration file .ebextensions/bad.config in application version v1 contains"
                + " invalid YAML or JSON.")
        .endsWith("Update the configuration file.");
  }

  @Test
  void createApplicationVersion_processNotAZip_fails() {
    sandbox.appWithVersions("app");
    sandbox.putObject("bundles", "v1.zip", "not a zip".getBytes());

    create("v1", "v1.zip", true);
    sandbox.tick(Timeline.PROCESSING_SECONDS);

    assertThat(status("v1")).isEqualTo("FAILED");
  }

  @Test
  void versionProcessingFailure_fault_failsThatLabelOnly() {
    sandbox.appWithVersions("app");
    byte[] ok = EbSandbox.zip(Map.of("a", "a"));
    sandbox.putObject("bundles", "v1.zip", ok);
    sandbox.putObject("bundles", "v2.zip", ok);
    sandbox.faults.add(Fault.versionProcessingFailure("v2"));

    create("v1", "v1.zip", true);
    create("v2", "v2.zip", true);
    sandbox.tick(Timeline.PROCESSING_SECONDS);

    assertThat(status("v1")).isEqualTo("PROCESSED");
    assertThat(status("v2")).isEqualTo("FAILED");
    assertThat(sandbox.faults.active()).isEmpty();
  }

  @Test
  void describeApplicationVersions_maxRecords_pagesNewestFirst() {
    sandbox.appWithVersions("app");
    for (int i = 1; i <= 5; i++) {
      sandbox.version("app", "v" + i);
      sandbox.tick(1);
    }

    List<String> labels = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      DescribeApplicationVersionsResponse r =
          sandbox
              .eb()
              .describeApplicationVersions(
                  b -> b.applicationName("app").maxRecords(2).nextToken(t));
      r.applicationVersions().forEach(v -> labels.add(v.versionLabel()));
      token = r.nextToken();
      pages++;
    } while (token != null);

    assertThat(pages).isEqualTo(3);
    assertThat(labels).containsExactly("v5", "v4", "v3", "v2", "v1");
  }

  @Test
  void describeApplicationVersions_maxRecordsZero_failsWithValidationError() {
    assertThatThrownBy(() -> sandbox.eb().describeApplicationVersions(b -> b.maxRecords(0)))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
  }

  @Test
  void deleteApplicationVersion_deployedOnLiveEnvironment_isRefused() {
    sandbox.appWithVersions("app", "v1");
    sandbox.createEnvironment("app", "app-web", b -> b.versionLabel("v1"));
    sandbox.tick(Timeline.LAUNCH_SECONDS);

    assertError(
        () ->
            sandbox.eb().deleteApplicationVersion(b -> b.applicationName("app").versionLabel("v1")),
        "InvalidParameterValue",
        "Unable to delete application version v1 because it is being used by environment(s):"
            + " app-web.");
  }

  @Test
  void deleteApplicationVersion_deleteSourceBundle_removesVersionAndObject() {
    sandbox.appWithVersions("app", "v1");

    sandbox
        .eb()
        .deleteApplicationVersion(
            b -> b.applicationName("app").versionLabel("v1").deleteSourceBundle(true));

    assertThat(
            sandbox
                .eb()
                .describeApplicationVersions(b -> b.applicationName("app"))
                .applicationVersions())
        .isEmpty();
    assertThat(sandbox.store.read("bundles", "app/v1.zip")).isEmpty();
  }

  @Test
  void deleteApplicationVersion_unknownLabel_fails() {
    sandbox.appWithVersions("app");

    assertError(
        () ->
            sandbox.eb().deleteApplicationVersion(b -> b.applicationName("app").versionLabel("v9")),
        "InvalidParameterValue",
        "No Application Version named 'v9' found.");
  }
}
