package io.ebdeploy.sandbox;

import java.util.Map;

/** STUB: to be filled. */
final class TaggingApi implements ServiceApi {
  TaggingApi(SandboxContext context, EbApi eb, S3Store s3) {}

  @Override
  public String service() {
    return "tagging";
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
