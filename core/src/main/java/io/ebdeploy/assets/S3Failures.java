package io.ebdeploy.assets;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.aws.Throttling;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK failures into {@link EbDeployException}s that say what to fix. */
final class S3Failures {
  private S3Failures() {}

  static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw awsError(what, e);
    }
  }

  static String detail(SdkException e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      String code = a.awsErrorDetails().errorCode();
      String message = a.awsErrorDetails().errorMessage();
      return (code == null ? "HTTP " + a.statusCode() : code)
          + (message == null ? "" : ": " + message);
    }
    return e.getMessage();
  }

  static boolean denied(SdkException e) {
    return e instanceof AwsServiceException a && a.statusCode() == 403;
  }

  static EbDeployException awsError(String what, SdkException e) {
    if (isInterrupt(e)) {
      return new EbDeployException(EbDeployException.Kind.INTERRUPTED, what + " interrupted", e);
    }
    Optional<EbDeployException> throttled = Throttling.error(what, e);
    if (throttled.isPresent()) {
      return throttled.get();
    }
    return new EbDeployException(
        EbDeployException.Kind.AWS_ERROR, what + " failed (" + detail(e) + ")", e);
  }

  static boolean isInterrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AbortedException
          || t instanceof InterruptedException
          || t instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** A 403 on writing: nothing was changed, and the fix is a permission. */
  static EbDeployException noWritePermission(
      String bucket, String prefix, String action, SdkException e) {
    return EbDeployException.invalidInput(
        "no permission to write the static files to s3://"
            + bucket
            + "/"
            + prefix
            + ": "
            + action
            + " answered "
            + detail(e)
            + ". The deploying credentials need s3:ListBucket on the bucket and s3:GetObject,"
            + " s3:PutObject and s3:DeleteObject on arn:aws:s3:::"
            + bucket
            + "/"
            + prefix
            + "* (docs/assets.md)");
  }
}
