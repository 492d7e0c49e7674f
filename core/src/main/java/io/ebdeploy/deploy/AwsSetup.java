package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.Sourced;
import io.ebdeploy.aws.AwsService;
import io.ebdeploy.aws.AwsSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;

/** The AWS settings of a request: the config's region and profile, the explicit endpoints. */
final class AwsSetup {
  private AwsSetup() {}

  static final String RDS_ENDPOINT = "EbDeploy.rdsEndpoint, deprecated: use AWS_ENDPOINT_URL_RDS";

  /** The region as the plan shows it. */
  static Sourced<String> region(AwsSettings settings) {
    Sourced<Region> r = settings.region();
    return new Sourced<>(r.value().id(), r.source());
  }

  /** The endpoints that replace AWS's for the services a deploy calls, by service id. */
  static Map<String, Sourced<URI>> endpoints(AwsSettings settings, DeployConfig config) {
    Map<String, Sourced<URI>> out = new LinkedHashMap<>();
    List<AwsService> services =
        new ArrayList<>(
            List.of(
                AwsService.RESOURCE_GROUPS_TAGGING_API,
                AwsService.ELASTIC_BEANSTALK,
                AwsService.S3));
    if (config.database().snapshotBeforeMigrate().isPresent()) {
      services.add(AwsService.RDS);
    }
    for (AwsService s : services) {
      settings.endpoint(s).ifPresent(e -> out.put(s.serviceId(), e));
    }
    return out;
  }

  static AwsSettings settings(Engine.Request r) {
    return AwsSettings.builder(r.environment())
        .region(r.config().region().map(v -> new Sourced<>(v, r.config().regionSource())))
        .profile(r.config().profile().map(v -> new Sourced<>(v, r.config().profileSource())))
        .endpoint(r.endpoint().map(e -> new Sourced<>(e, r.endpointSource())))
        .endpoint(AwsService.RDS, r.rdsEndpoint().map(e -> new Sourced<>(e, RDS_ENDPOINT)))
        .build();
  }
}
