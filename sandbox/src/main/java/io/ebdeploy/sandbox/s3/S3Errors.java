package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.ApiException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * S3's errors, with the codes, statuses and messages real S3 answers. Besides Code and Message, S3
 * names what failed ({@code <BucketName>}, {@code <Key>}, {@code <Condition>}...); those details
 * ride along with the {@link ApiException} here and {@link S3Api#error} renders them.
 */
final class S3Errors {
  /** Details of an error: XML elements, and response headers under keys "header:NAME". */
  private static final Map<ApiException, Map<String, String>> DETAILS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private S3Errors() {}

  /** An error with details given as name/value pairs. */
  static ApiException error(int status, String code, String message, String... details) {
    ApiException e = new ApiException(status, code, message);
    if (details.length > 0) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < details.length; i += 2) {
        if (details[i + 1] != null) {
          m.put(details[i], details[i + 1]);
        }
      }
      DETAILS.put(e, m);
    }
    return e;
  }

  static Map<String, String> details(ApiException e) {
    Map<String, String> m = DETAILS.get(e);
    return m == null ? Map.of() : m;
  }

  static ApiException noSuchBucket(String bucket) {
    return error(404, "NoSuchBucket", "The specified bucket does not exist", "BucketName", bucket);
  }

  static ApiException noSuchKey(String key) {
    return error(404, "NoSuchKey", "The specified key does not exist.", "Key", key);
  }

  static ApiException noSuchUpload(String uploadId) {
    return error(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have"
            + " been aborted or completed.",
        "UploadId",
        uploadId);
  }

  static ApiException preconditionFailed(String condition) {
    return error(
        412,
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
        "Condition",
        condition);
  }

  static ApiException invalidArgument(String message, String name, String value) {
    return error(400, "InvalidArgument", message, "ArgumentName", name, "ArgumentValue", value);
  }

  static ApiException invalidRequest(String message) {
    return error(400, "InvalidRequest", message);
  }

  static ApiException malformedXml() {
    return error(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published"
            + " schema");
  }

  static ApiException notImplemented(String what) {
    return error(
        501,
        "NotImplemented",
        "A header or query you provided implies functionality that is not implemented: " + what);
  }

  static ApiException badDigest(S3Checksum algorithm) {
    return error(
        400,
        "BadDigest",
        "The " + algorithm.name() + " you specified did not match the calculated checksum.");
  }

  static ApiException invalidPart() {
    return error(
        400,
        "InvalidPart",
        "One or more of the specified parts could not be found.  The part may not have been"
            + " uploaded, or the specified entity tag may not match the part's entity tag.");
  }

  static ApiException methodNotAllowed(String method, String resourceType) {
    return error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        "Method",
        method,
        "ResourceType",
        resourceType);
  }
}
