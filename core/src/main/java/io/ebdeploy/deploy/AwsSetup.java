package io.ebdeploy.deploy;

import io.ebdeploy.aws.AwsService;
import io.ebdeploy.aws.AwsSettings;
import io.ebdeploy.aws.Sourced;

/** The AWS settings of a request: the config's region and profile, the explicit endpoints. */
final class AwsSetup {
  private AwsSetup() {}

  static final String RDS_ENDPOINT = "EbDeploy.rdsEndpoint, deprecated: use AWS_ENDPOINT_URL_RDS";

  static AwsSettings settings(Engine.Request r) {
    return AwsSettings.builder(r.environment())
        .region(r.config().region().map(v -> new Sourced<>(v, r.config().regionSource())))
        .profile(r.config().profile().map(v -> new Sourced<>(v, r.config().profileSource())))
        .endpoint(r.endpoint().map(e -> new Sourced<>(e, r.endpointSource())))
        .endpoint(AwsService.RDS, r.rdsEndpoint().map(e -> new Sourced<>(e, RDS_ENDPOINT)))
        .build();
  }
}
