package io.ebdeploy.sandbox;

import java.util.Map;

/** STUB: to be filled. */
final class EbApi implements ServiceApi {
  EbApi(SandboxContext context, S3Store s3) {}

  /** Simulated behaviour of an environment's later deploys; null leaves a setting unchanged. */
  void configureEnvironment(String name, Double deploySeconds, String health) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public String service() {
    return "elasticbeanstalk";
  }

  @Override
  public String action(SandboxRequest request) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Map<String, Object> params(SandboxRequest request) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public SandboxResponse handle(SandboxRequest request, String action) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public SandboxResponse error(SandboxRequest request, ApiException error, String requestId) {
    throw new UnsupportedOperationException("TODO");
  }
}
