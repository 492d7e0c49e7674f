package io.ebdeploy.sandbox;

import java.util.Map;

/** STUB: to be filled. */
final class S3Api implements ServiceApi {
  private final S3Store store;

  S3Api(SandboxContext context) {
    this.store = new S3Store(context);
  }

  S3Store store() {
    return store;
  }

  @Override
  public String service() {
    return "s3";
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
