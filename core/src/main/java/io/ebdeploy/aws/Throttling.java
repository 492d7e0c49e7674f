package io.ebdeploy.aws;

import io.ebdeploy.api.EbDeployException;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** INTERNAL: the error of a call that AWS kept throttling past its {@link ThrottleBudget}. */
public final class Throttling {
  private Throttling() {}

  /**
   * An AWS_ERROR naming the throttling, the call and what to do; empty when {@code e} is not a
   * throttling error.
   */
  public static Optional<EbDeployException> error(String what, SdkException e) {
    if (!ThrottleBudget.throttling(e)) {
      return Optional.empty();
    }
    return Optional.of(
        new EbDeployException(EbDeployException.Kind.AWS_ERROR, message(what, e), e));
  }

  /** E.g. "AWS throttled GetResources: ThrottledException "Rate exceeded" on 8 attempts...". */
  static String message(String what, SdkException e) {
    String detail = "";
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      detail =
          ": "
              + a.awsErrorDetails().errorCode()
              + " \""
              + a.awsErrorDetails().errorMessage()
              + "\"";
    }
    Integer attempts = e.numAttempts();
    return "AWS throttled "
        + what
        + detail
        + (attempts == null || attempts < 2 ? "" : " on " + attempts + " attempts in a row")
        + ". An account's request rate is per region and shared with every other caller"
        + " (consoles, CI jobs, other deploys). Wait a few minutes and run again, run fewer"
        + " deploys at once, or ask AWS for a higher limit (Service Quotas, or AWS Support for"
        + " Elastic Beanstalk's API rate)";
  }
}
