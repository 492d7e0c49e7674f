package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.Xml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * The bucket operations: ListBuckets, CreateBucket (S3's naming and location rules), HeadBucket,
 * DeleteBucket, GetBucketLocation, GetBucketVersioning; and how a request finds the bucket it
 * addresses, region checks included.
 */
final class BucketOperations {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private final S3Store store;

  BucketOperations(S3Store store) {
    this.store = store;
  }

  private static boolean signed(SandboxRequest r) {
    return r.header("authorization") != null || r.query().containsKey("X-Amz-Credential");
  }

  /**
   * The bucket a request addresses, or NoSuchBucket. A request signed for another region than the
   * bucket's fails as on real S3 (the AWS CLI then retries with the right region by itself).
   */
  S3Bucket addressed(SandboxRequest r, Target t) {
    S3Bucket b = store.bucket(t.bucket());
    if (b == null) {
      throw S3Errors.noSuchBucket(t.bucket());
    }
    String owner = r.header("x-amz-expected-bucket-owner");
    if (owner != null && !owner.trim().equals(SandboxContext.ACCOUNT_ID)) {
      throw S3Errors.error(403, "AccessDenied", "Access Denied");
    }
    if (signed(r) && !r.region().equals(b.region)) {
      if (r.region().equals("us-east-1")) {
        throw S3Errors.error(
            301,
            "PermanentRedirect",
            "The bucket you are attempting to access must be addressed using the specified"
                + " endpoint. Please send all future requests to this endpoint.",
            "Bucket",
            b.name,
            "Endpoint",
            "s3." + b.region + ".amazonaws.com",
            "header:x-amz-bucket-region",
            b.region);
      }
      throw S3Errors.error(
          400,
          "AuthorizationHeaderMalformed",
          "The authorization header is malformed; the region '"
              + r.region()
              + "' is wrong; expecting '"
              + b.region
              + "'",
          "Region",
          b.region,
          "header:x-amz-bucket-region",
          b.region);
    }
    return b;
  }

  /** S3's bucket naming rules (general purpose buckets). */
  static boolean validBucketName(String n) {
    if (n.length() < 3 || n.length() > 63 || !n.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
      return false;
    }
    if (n.contains("..") || IP_ADDRESS.matcher(n).matches()) {
      return false;
    }
    for (String p : List.of("xn--", "sthree-", "amzn-s3-demo-")) {
      if (n.startsWith(p)) {
        return false;
      }
    }
    for (String s : List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")) {
      if (n.endsWith(s)) {
        return false;
      }
    }
    return true;
  }

  SandboxResponse listBuckets(SandboxRequest r) {
    Map<String, String> q = r.query();
    String prefix = q.get("prefix");
    String regionFilter = q.get("bucket-region");
    int max = 10000;
    if (q.get("max-buckets") != null) {
      max = S3Wire.parseInt(q.get("max-buckets"), "max-buckets", 1, 10000);
    }
    String after =
        q.get("continuation-token") == null
            ? null
            : S3Wire.decodeToken(q.get("continuation-token"));
    Xml x = new Xml().open("ListAllMyBucketsResult", S3Wire.NAMESPACE).open("Buckets");
    String last = null;
    boolean truncated = false;
    int count = 0;
    for (S3Bucket b : store.buckets()) {
      if ((prefix != null && !b.name.startsWith(prefix))
          || (regionFilter != null && !regionFilter.equals(b.region))
          || (after != null && b.name.compareTo(after) <= 0)) {
        continue;
      }
      if (count == max) {
        truncated = true;
        break;
      }
      x.open("Bucket")
          .element("Name", b.name)
          .element("CreationDate", S3Wire.isoDate(b.created))
          .element("BucketRegion", b.region)
          .close("Bucket");
      last = b.name;
      count++;
    }
    x.close("Buckets").open("Owner").element("ID", S3Wire.OWNER_ID).close("Owner");
    if (truncated) {
      x.element("ContinuationToken", S3Wire.encodeToken(last));
    }
    x.element("Prefix", prefix).close("ListAllMyBucketsResult");
    return S3Wire.xml(200, x);
  }

  SandboxResponse createBucket(SandboxRequest r, Target t) {
    String name = t.bucket();
    if (!validBucketName(name)) {
      throw S3Errors.error(
          400, "InvalidBucketName", "The specified bucket is not valid.", "BucketName", name);
    }
    String constraint = null;
    if (r.body().length > 0) {
      Element root = S3Wire.parseXml(Payload.of(r, false).data(), "CreateBucketConfiguration");
      constraint = S3Wire.childText(root, "LocationConstraint");
      constraint = constraint == null || constraint.isBlank() ? null : constraint.trim();
    }
    String endpoint = signed(r) ? r.region() : "us-east-1";
    String region;
    if (constraint == null) {
      if (!endpoint.equals("us-east-1")) {
        throw S3Errors.error(
            400,
            "IllegalLocationConstraintException",
            "The unspecified location constraint is incompatible for the region specific endpoint"
                + " this request was sent to.");
      }
      region = "us-east-1";
    } else {
      if (constraint.equals("us-east-1")
          || !(constraint.equals("EU") || REGION.matcher(constraint).matches())) {
        throw S3Errors.error(
            400,
            "InvalidLocationConstraint",
            "The specified location-constraint is not valid",
            "LocationConstraint",
            constraint);
      }
      region = constraint.equals("EU") ? "eu-west-1" : constraint;
      if (!endpoint.equals("us-east-1") && !endpoint.equals(region)) {
        throw S3Errors.error(
            400,
            "IllegalLocationConstraintException",
            "The "
                + constraint
                + " location constraint is incompatible for the region specific endpoint this"
                + " request was sent to.");
      }
    }
    if (store.createBucket(name, region) == null) {
      S3Bucket existing = store.bucket(name);
      // For legacy compatibility, us-east-1 answers 200 to re-creating a bucket you own there;
      // every other region answers 409 BucketAlreadyOwnedByYou.
      boolean legacy =
          existing != null && existing.region.equals("us-east-1") && region.equals("us-east-1");
      if (!legacy) {
        throw S3Errors.error(
            409,
            "BucketAlreadyOwnedByYou",
            "Your previous request to create the named bucket succeeded and you already own it.",
            "BucketName",
            name);
      }
    }
    return SandboxResponse.empty(200).header("Location", "/" + name);
  }

  SandboxResponse headBucket(SandboxRequest r, Target t) {
    S3Bucket b = addressed(r, t);
    return SandboxResponse.empty(200)
        .header("x-amz-bucket-region", b.region)
        .header("x-amz-access-point-alias", "false");
  }

  SandboxResponse deleteBucket(SandboxRequest r, Target t) {
    store.deleteBucket(addressed(r, t));
    return SandboxResponse.empty(204);
  }

  SandboxResponse getBucketLocation(SandboxRequest r, Target t) {
    S3Bucket b = store.bucket(t.bucket());
    if (b == null) {
      throw S3Errors.noSuchBucket(t.bucket());
    }
    String body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + (b.region.equals("us-east-1")
                ? "<LocationConstraint xmlns=\"" + S3Wire.NAMESPACE + "\"/>"
                : "<LocationConstraint xmlns=\""
                    + S3Wire.NAMESPACE
                    + "\">"
                    + Xml.escape(b.region)
                    + "</LocationConstraint>");
    return SandboxResponse.of(200, "application/xml", body.getBytes(StandardCharsets.UTF_8));
  }

  SandboxResponse getBucketVersioning(SandboxRequest r, Target t) {
    addressed(r, t);
    // Versioning was never enabled: S3 answers an empty configuration.
    return S3Wire.xml(
        200,
        new Xml()
            .open("VersioningConfiguration", S3Wire.NAMESPACE)
            .close("VersioningConfiguration"));
  }
}
