package io.ebdeploy.deploy;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.Tier;
import io.ebdeploy.aws.Throttling;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEnvironmentsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEnvironmentsResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;

/** Small helpers over the SDK: error translation and the DescribeEnvironments loop. */
final class Aws {
  private Aws() {}

  /** Runs an AWS call; an SDK failure becomes AWS_ERROR naming the call. */
  static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw awsError(what, e);
    }
  }

  static EbDeployException awsError(String what, SdkException e) {
    Optional<EbDeployException> throttled = Throttling.error(what, e);
    if (throttled.isPresent()) {
      return throttled.get();
    }
    String detail =
        e instanceof AwsServiceException a && a.awsErrorDetails() != null
            ? a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage()
            : e.getMessage();
    return new EbDeployException(
        EbDeployException.Kind.AWS_ERROR, what + " failed (" + detail + ")", e);
  }

  /** True for errors worth another try later: throttling, 5xx, network. */
  static boolean transientError(SdkException e) {
    if (e instanceof AwsServiceException a) {
      return a.isThrottlingException() || a.statusCode() >= 500;
    }
    return e.retryable() || e instanceof software.amazon.awssdk.core.exception.SdkClientException;
  }

  /** DescribeEnvironments by ids (live ones only), following NextToken if Beanstalk pages. */
  static List<EnvironmentDescription> describeByIds(
      ElasticBeanstalkClient eb, Collection<String> ids) {
    return describe(eb, DescribeEnvironmentsRequest.builder().environmentIds(ids));
  }

  /** DescribeEnvironments by names (live ones only). */
  static List<EnvironmentDescription> describeByNames(
      ElasticBeanstalkClient eb, Collection<String> names) {
    return describe(eb, DescribeEnvironmentsRequest.builder().environmentNames(names));
  }

  private static List<EnvironmentDescription> describe(
      ElasticBeanstalkClient eb, DescribeEnvironmentsRequest.Builder request) {
    List<EnvironmentDescription> out = new ArrayList<>();
    String token = null;
    do {
      DescribeEnvironmentsResponse r =
          eb.describeEnvironments(request.includeDeleted(false).nextToken(token).build());
      out.addAll(r.environments());
      token = r.nextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  static boolean live(EnvironmentDescription e) {
    return live(e.statusAsString());
  }

  static boolean live(String status) {
    return !"Terminated".equals(status) && !"Terminating".equals(status);
  }

  static EnvironmentInfo info(EnvironmentDescription e) {
    return new EnvironmentInfo(
        e.environmentName(),
        e.environmentId(),
        e.applicationName(),
        Tier.fromBeanstalk(e.tier() == null ? null : e.tier().name()),
        e.versionLabel() == null ? "" : e.versionLabel(),
        e.statusAsString(),
        e.healthAsString(),
        e.platformArn() == null ? "" : e.platformArn());
  }
}
