package io.ebdeploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.Sourced;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * The region and endpoint rules of the AWS CLI and SDKs, one source at a time: each test adds the
 * next source up the chain and checks that it wins. The environment is a map, as the CLI passes its
 * own; the shared files live in a temporary HOME; {@code /sys} is a fake tree, and the instance
 * metadata a counter, so that "no probe off EC2" is counted rather than timed.
 */
class AwsSettingsTest {
  @TempDir Path home;
  @TempDir Path root;
  final Map<String, String> env = new HashMap<>();
  final AtomicInteger metadataCalls = new AtomicInteger();

  @BeforeEach
  void isolate() {
    env.put("HOME", home.toString());
  }

  private AwsSettings.Builder settings() {
    return AwsSettings.builder(env)
        .root(root)
        .instanceMetadataRegion(
            () -> {
              metadataCalls.incrementAndGet();
              return Region.of("sa-east-1");
            });
  }

  private void config(String text) throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), text);
  }

  private void sys(String path, String content) throws IOException {
    Path f = root.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private static Optional<Sourced<String>> given(String value, String source) {
    return Optional.of(new Sourced<>(value, source));
  }

  @Test
  void region_eachSourceBeatsTheOnesAfterIt() throws IOException {
    sys("sys/devices/virtual/dmi/id/sys_vendor", "Amazon EC2\n");
    assertThat(settings().build().region()).hasToString("sa-east-1 (from EC2 instance metadata)");

    config("[default]\nregion = ap-south-1\n");
    assertThat(settings().build().region().source())
        .isEqualTo("profile default in " + home.resolve(".aws/config"));

    env.put("AWS_DEFAULT_REGION", "eu-central-1");
    assertThat(settings().build().region()).hasToString("eu-central-1 (from AWS_DEFAULT_REGION)");

    env.put("AWS_REGION", "eu-west-3");
    assertThat(settings().build().region()).hasToString("eu-west-3 (from AWS_REGION)");

    assertThat(settings().region(given("us-west-2", "--region")).build().region())
        .hasToString("us-west-2 (from --region)");
    assertThat(metadataCalls).as("asked only while nothing else named a region").hasValue(1);
  }

  @Test
  void region_profileFromAwsProfileOrExplicit_inConfigFileOrCredentialsFile() throws IOException {
    config("[default]\nregion = ap-south-1\n[profile ci]\nregion = ca-central-1\n");
    env.put("AWS_PROFILE", "ci");
    assertThat(settings().build().region().value()).isEqualTo(Region.CA_CENTRAL_1);

    Path credentials = home.resolve("creds");
    Files.writeString(credentials, "[deployer]\nregion = eu-north-1\n");
    env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
    AwsSettings s = settings().profile(given("deployer", "eb-deploy.yml")).build();
    assertThat(s.region()).hasToString("eu-north-1 (from profile deployer in " + credentials + ")");
    assertThat(s.profile()).hasToString("deployer (from eb-deploy.yml)");
    assertThat(s.explicitProfile()).isTrue();
  }

  @Test
  void region_configFileFromAwsConfigFile_tildeIsHome() throws IOException {
    Files.writeString(home.resolve("other-config"), "[default]\nregion = me-south-1\n");
    env.put("AWS_CONFIG_FILE", "~/other-config");

    assertThat(settings().build().region().value()).isEqualTo(Region.ME_SOUTH_1);
  }

  @Test
  void region_noneOffEc2_clearErrorWithoutAskingTheMetadata_evenWithAnEndpoint() {
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:4599");
    AwsSettings s =
        settings().endpoint(Optional.of(new Sourced<>(URI.create("http://x:1"), "t"))).build();

    EbDeployException e = catchThrowableOfType(EbDeployException.class, s::region);

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage())
        .startsWith(
            "no AWS region: pass --region, set region: in eb-deploy.yml, export AWS_REGION or"
                + " AWS_DEFAULT_REGION, or give the profile 'default' a region")
        .contains("an endpoint URL does not imply one");
    assertThat(metadataCalls).hasValue(0);
  }

  @Test
  void region_onEc2ButMetadataDisabled_notAsked() throws IOException {
    sys("sys/hypervisor/uuid", "ec2e1916-9099-7caf-fd21-01234abcdef\n");
    env.put("AWS_EC2_METADATA_DISABLED", "true");

    catchThrowableOfType(EbDeployException.class, () -> settings().build().region());

    assertThat(metadataCalls).hasValue(0);
  }

  @Test
  void region_notARegionName_refusedNamingItsSource() {
    env.put("AWS_DEFAULT_REGION", "Frankfurt please");

    EbDeployException e =
        catchThrowableOfType(EbDeployException.class, () -> settings().build().region());

    assertThat(e.getMessage())
        .isEqualTo(
            "the AWS region 'Frankfurt please' (from AWS_DEFAULT_REGION) is not a region name;"
                + " use one such as eu-central-1 or us-east-1");
  }

  @Test
  void ec2_eachDocumentedSignal_andNothingElse() throws IOException {
    assertThat(Ec2Host.detected(env, root)).isFalse();
    for (String[] signal :
        new String[][] {
          {"sys/devices/virtual/dmi/id/sys_vendor", "Amazon EC2"},
          {"sys/devices/virtual/dmi/id/board_asset_tag", "i-0123456789abcdef0"},
          {"sys/hypervisor/uuid", "ec2e1916-9099-7caf-fd21-012345abcdef"},
          {"sys/devices/virtual/dmi/id/product_uuid", "EC2CEFAC-DCE1-EED5-4E48-83AD3EF51BFB"},
          {"sys/devices/virtual/dmi/id/bios_version", "4.2.amazon"}
        }) {
      Path fresh = Files.createTempDirectory(root, "host");
      Path f = fresh.resolve(signal[0]);
      Files.createDirectories(f.getParent());
      Files.writeString(f, signal[1] + "\n");
      assertThat(Ec2Host.detected(env, fresh)).as(signal[0]).isTrue();
    }
    sys("sys/devices/virtual/dmi/id/sys_vendor", "QEMU");
    sys("sys/devices/virtual/dmi/id/board_asset_tag", "Not Specified");
    sys("sys/hypervisor/uuid", "9c4b5a1e-0000-0000-0000-000000000000");
    assertThat(Ec2Host.detected(env, root)).isFalse();
  }

  @Test
  void endpoint_eachSourceBeatsTheOnesAfterIt() throws IOException {
    assertThat(settings().build().endpoint(AwsService.RDS)).isEmpty();

    config(
        "[default]\nendpoint_url = http://profile:1\nservices = local\n"
            + "[services local]\nrds =\n  endpoint_url = http://services:2\n");
    AwsSettings fromProfile = settings().build();
    assertThat(fromProfile.endpoint(AwsService.S3).orElseThrow())
        .hasToString(
            "http://profile:1 (from profile default in " + home.resolve(".aws/config") + ")");
    assertThat(fromProfile.endpoint(AwsService.RDS).orElseThrow())
        .hasToString(
            "http://services:2 (from [services local] in " + home.resolve(".aws/config") + ")");

    env.put("AWS_ENDPOINT_URL", "http://global:3");
    assertThat(settings().build().endpoint(AwsService.RDS).orElseThrow())
        .hasToString("http://global:3 (from AWS_ENDPOINT_URL)");

    env.put("AWS_ENDPOINT_URL_RDS", "http://moto:4");
    AwsSettings fromVariables = settings().build();
    assertThat(fromVariables.endpoint(AwsService.RDS).orElseThrow())
        .hasToString("http://moto:4 (from AWS_ENDPOINT_URL_RDS)");
    assertThat(fromVariables.endpoint(AwsService.ELASTIC_BEANSTALK).orElseThrow().source())
        .isEqualTo("AWS_ENDPOINT_URL");

    AwsSettings explicit =
        settings()
            .endpoint(Optional.of(new Sourced<>(URI.create("http://sandbox:5"), "--endpoint-url")))
            .build();
    assertThat(explicit.endpoint(AwsService.RDS).orElseThrow())
        .hasToString("http://sandbox:5 (from --endpoint-url)");
  }

  @Test
  void endpoint_variableNamesAndConfigKeys_areTheServiceIds() {
    assertThat(AwsService.ELASTIC_BEANSTALK.endpointVariable())
        .isEqualTo("AWS_ENDPOINT_URL_ELASTIC_BEANSTALK");
    assertThat(AwsService.RESOURCE_GROUPS_TAGGING_API.endpointVariable())
        .isEqualTo("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API");
    assertThat(AwsService.AUTO_SCALING.endpointVariable())
        .isEqualTo("AWS_ENDPOINT_URL_AUTO_SCALING");
    assertThat(AwsService.ELASTIC_BEANSTALK.configKey()).isEqualTo("elastic_beanstalk");
  }

  @Test
  void endpoint_ignoreConfigured_variableOrProfile_keepsOnlyTheExplicitOne() throws IOException {
    env.put("AWS_ENDPOINT_URL", "http://global:3");
    env.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    assertThat(settings().build().endpoint(AwsService.S3)).isEmpty();
    assertThat(settings().build().ignoresConfiguredEndpoints()).isTrue();

    env.remove("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    config("[default]\nignore_configured_endpoint_urls = true\n");
    assertThat(settings().build().endpoint(AwsService.S3)).isEmpty();
    assertThat(
            settings()
                .endpoint(
                    Optional.of(new Sourced<>(URI.create("http://sandbox:5"), "--endpoint-url")))
                .build()
                .endpoint(AwsService.S3))
        .isPresent();
  }

  @Test
  void endpoint_notAUrl_refusedNamingTheVariable() {
    env.put("AWS_ENDPOINT_URL_S3", "localhost:4566");

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class, () -> settings().build().endpoint(AwsService.S3));

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage())
        .isEqualTo(
            "the endpoint URL 'localhost:4566' (from AWS_ENDPOINT_URL_S3) is not an http(s) URL"
                + " with a host; write e.g. http://127.0.0.1:4599, or unset it");
  }
}
