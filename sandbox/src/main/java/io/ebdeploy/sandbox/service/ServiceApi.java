package io.ebdeploy.sandbox.service;

import java.util.Map;

/** One emulated AWS service, chosen by the service name of the request's SigV4 credential scope. */
public interface ServiceApi {
  /** The SigV4 service name: elasticbeanstalk, tagging, s3. */
  String service();

  /** The operation a request asks for (GetResources, PutObject...), for the call log and faults. */
  String action(SandboxRequest request);

  /** The request's parameters as the call log shows them. Bodies of objects are never logged. */
  Map<String, Object> params(SandboxRequest request);

  SandboxResponse handle(SandboxRequest request, String action);

  /** Renders an error in this service's wire shape. */
  SandboxResponse error(SandboxRequest request, ApiException error, String requestId);
}
