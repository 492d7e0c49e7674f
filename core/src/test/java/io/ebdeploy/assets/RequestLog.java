package io.ebdeploy.assets;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every request the S3 client sends (operation name and HTTP headers), whatever the endpoint: the
 * same assertions hold against the sandbox and moto_server. Can also refuse operations with a 403,
 * to act out missing permissions.
 */
final class RequestLog implements ExecutionInterceptor {
  record Request(
      String operation,
      Map<String, List<String>> headers,
      String path,
      Map<String, List<String>> query) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile Predicate<String> denied = op -> false;

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    String op = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    SdkHttpRequest http = context.httpRequest();
    requests.add(new Request(op, http.headers(), http.encodedPath(), http.rawQueryParameters()));
    if (denied.test(op)) {
      throw S3Exception.builder()
          .statusCode(403)
          .message("Access Denied")
          .awsErrorDetails(
              software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                  .errorCode("AccessDenied")
                  .errorMessage("Access Denied")
                  .serviceName("S3")
                  .build())
          .build();
    }
  }

  List<String> operations() {
    return requests.stream().map(Request::operation).toList();
  }

  long count(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).count();
  }

  /** Operations that write: everything but reads. */
  List<String> writes() {
    return operations().stream()
        .filter(op -> !(op.startsWith("Get") || op.startsWith("Head") || op.startsWith("List")))
        .toList();
  }

  void clear() {
    requests.clear();
  }
}
