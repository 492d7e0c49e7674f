package io.ebdeploy.sandbox.s3;

import static java.util.Map.entry;

import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.ServiceApi;
import io.ebdeploy.sandbox.service.Xml;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * S3 over path-style (and {@code BUCKET.localhost}) addressing, as the AWS SDKs and the AWS CLI
 * speak it: buckets, tagging, objects with checksums and conditions, listings, copies and multipart
 * uploads, with S3's own error codes. Signatures are not verified: any credentials do.
 */
public final class S3Api implements ServiceApi {
  static final String NS = S3Wire.NAMESPACE;

  /** The canonical user id of the sandbox's one account (the AWS documentation's example). */
  static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

  static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  private static final int MAX_KEY_BYTES = 1024;
  private static final int MAX_METADATA_BYTES = 2048;
  private static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "GLACIER_IR",
          "OUTPOSTS",
          "SNOW",
          "EXPRESS_ONEZONE");
  private static final Set<String> ARCHIVED = Set.of("GLACIER", "DEEP_ARCHIVE");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  /** Sub-resources of a bucket the sandbox does not emulate, by the operation suffix they name. */
  private static final Map<String, String> BUCKET_SUBRESOURCES =
      Map.ofEntries(
          entry("acl", "BucketAcl"),
          entry("policy", "BucketPolicy"),
          entry("policyStatus", "BucketPolicyStatus"),
          entry("cors", "BucketCors"),
          entry("lifecycle", "BucketLifecycleConfiguration"),
          entry("website", "BucketWebsite"),
          entry("encryption", "BucketEncryption"),
          entry("logging", "BucketLogging"),
          entry("notification", "BucketNotificationConfiguration"),
          entry("replication", "BucketReplication"),
          entry("publicAccessBlock", "PublicAccessBlock"),
          entry("ownershipControls", "BucketOwnershipControls"),
          entry("object-lock", "ObjectLockConfiguration"),
          entry("accelerate", "BucketAccelerateConfiguration"),
          entry("requestPayment", "BucketRequestPayment"),
          entry("analytics", "BucketAnalyticsConfiguration"),
          entry("inventory", "BucketInventoryConfiguration"),
          entry("metrics", "BucketMetricsConfiguration"),
          entry("intelligent-tiering", "BucketIntelligentTieringConfiguration"),
          entry("metadataTable", "BucketMetadataTableConfiguration"),
          entry("versions", "ObjectVersions"),
          entry("session", "Session"));

  /** Sub-resources of an object the sandbox does not emulate. */
  private static final Map<String, String> OBJECT_SUBRESOURCES =
      Map.ofEntries(
          entry("acl", "ObjectAcl"),
          entry("retention", "ObjectRetention"),
          entry("legal-hold", "ObjectLegalHold"),
          entry("attributes", "ObjectAttributes"),
          entry("torrent", "ObjectTorrent"),
          entry("restore", "RestoreObject"),
          entry("select", "SelectObjectContent"),
          entry("renameObject", "RenameObject"));

  private final S3Store store;

  public S3Api(SandboxContext context) {
    this.store = new S3Store(context);
  }

  public S3Store store() {
    return store;
  }

  @Override
  public String service() {
    return "s3";
  }

  // ---------------------------------------------------------------------------------------------
  // Routing.

  /** What a request addresses: the service (no bucket), a bucket (no key), or an object. */
  private record Target(String bucket, String key) {}

  private static Target target(SandboxRequest r) {
    String path = r.rawPath();
    String rest = path.startsWith("/") ? path.substring(1) : path;
    String hostBucket = virtualHostBucket(r.header("host"));
    if (hostBucket != null) {
      return new Target(hostBucket, rest.isEmpty() ? null : decodePath(rest));
    }
    if (rest.isEmpty()) {
      return new Target(null, null);
    }
    int slash = rest.indexOf('/');
    String bucket = decodePath(slash < 0 ? rest : rest.substring(0, slash));
    String key =
        slash < 0 || slash == rest.length() - 1 ? null : decodePath(rest.substring(slash + 1));
    return new Target(bucket, key);
  }

  /** {@code BUCKET.localhost[:port]} (or {@code BUCKET.s3.localhost}) addresses BUCKET. */
  private static String virtualHostBucket(String host) {
    if (host == null) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    if (!h.endsWith(".localhost")) {
      return null;
    }
    String b = h.substring(0, h.length() - ".localhost".length());
    if (b.endsWith(".s3")) {
      b = b.substring(0, b.length() - 3);
    }
    return b.isEmpty() || b.equals("s3") ? null : b;
  }

  private static String decodePath(String raw) {
    String s = S3Wire.percentDecode(raw);
    if (s == null) {
      throw S3Errors.error(400, "InvalidURI", "Couldn't parse the specified URI.", "URI", raw);
    }
    return s;
  }

  @Override
  public String action(SandboxRequest r) {
    Target t = target(r);
    Map<String, String> q = r.query();
    String m = r.method();
    if (t.bucket() == null) {
      return m.equals("GET") ? "ListBuckets" : "MethodNotAllowed";
    }
    if (t.key() == null) {
      for (Map.Entry<String, String> e : BUCKET_SUBRESOURCES.entrySet()) {
        if (q.containsKey(e.getKey())) {
          String name = e.getValue();
          return switch (m) {
            case "GET" -> name.equals("ObjectVersions") ? "ListObjectVersions" : "Get" + name;
            case "PUT" -> "Put" + name;
            case "DELETE" -> "Delete" + name;
            default -> "MethodNotAllowed";
          };
        }
      }
      return switch (m) {
        case "PUT" ->
            q.containsKey("tagging")
                ? "PutBucketTagging"
                : q.containsKey("versioning") ? "PutBucketVersioning" : "CreateBucket";
        case "GET" -> {
          if (q.containsKey("location")) {
            yield "GetBucketLocation";
          } else if (q.containsKey("tagging")) {
            yield "GetBucketTagging";
          } else if (q.containsKey("versioning")) {
            yield "GetBucketVersioning";
          } else if (q.containsKey("uploads")) {
            yield "ListMultipartUploads";
          } else if ("2".equals(q.get("list-type"))) {
            yield "ListObjectsV2";
          }
          yield "ListObjects";
        }
        case "HEAD" -> "HeadBucket";
        case "DELETE" -> q.containsKey("tagging") ? "DeleteBucketTagging" : "DeleteBucket";
        case "POST" -> q.containsKey("delete") ? "DeleteObjects" : "PostObject";
        default -> "MethodNotAllowed";
      };
    }
    for (Map.Entry<String, String> e : OBJECT_SUBRESOURCES.entrySet()) {
      if (q.containsKey(e.getKey())) {
        String name = e.getValue();
        if (!name.startsWith("Object")) {
          return name;
        }
        return switch (m) {
          case "GET" -> "Get" + name;
          case "PUT" -> "Put" + name;
          default -> "MethodNotAllowed";
        };
      }
    }
    return switch (m) {
      case "PUT" -> {
        if (q.containsKey("tagging")) {
          yield "PutObjectTagging";
        } else if (q.containsKey("uploadId") || q.containsKey("partNumber")) {
          yield r.header("x-amz-copy-source") != null ? "UploadPartCopy" : "UploadPart";
        }
        yield r.header("x-amz-copy-source") != null ? "CopyObject" : "PutObject";
      }
      case "GET" ->
          q.containsKey("tagging")
              ? "GetObjectTagging"
              : q.containsKey("uploadId") ? "ListParts" : "GetObject";
      case "HEAD" -> "HeadObject";
      case "DELETE" ->
          q.containsKey("tagging")
              ? "DeleteObjectTagging"
              : q.containsKey("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
      case "POST" ->
          q.containsKey("uploads")
              ? "CreateMultipartUpload"
              : q.containsKey("uploadId") ? "CompleteMultipartUpload" : "MethodNotAllowed";
      default -> "MethodNotAllowed";
    };
  }

  private static final Map<String, String> LOGGED_QUERY =
      Map.ofEntries(
          entry("uploadId", "UploadId"),
          entry("partNumber", "PartNumber"),
          entry("prefix", "Prefix"),
          entry("delimiter", "Delimiter"),
          entry("max-keys", "MaxKeys"),
          entry("continuation-token", "ContinuationToken"),
          entry("start-after", "StartAfter"),
          entry("marker", "Marker"),
          entry("encoding-type", "EncodingType"),
          entry("versionId", "VersionId"),
          entry("max-parts", "MaxParts"),
          entry("part-number-marker", "PartNumberMarker"),
          entry("max-uploads", "MaxUploads"),
          entry("key-marker", "KeyMarker"),
          entry("upload-id-marker", "UploadIdMarker"),
          entry("max-buckets", "MaxBuckets"));

  private static final Map<String, String> LOGGED_HEADERS =
      Map.ofEntries(
          entry("range", "Range"),
          entry("if-match", "IfMatch"),
          entry("if-none-match", "IfNoneMatch"),
          entry("x-amz-copy-source", "CopySource"),
          entry("x-amz-copy-source-range", "CopySourceRange"),
          entry("x-amz-metadata-directive", "MetadataDirective"),
          entry("x-amz-checksum-algorithm", "ChecksumAlgorithm"),
          entry("x-amz-sdk-checksum-algorithm", "ChecksumAlgorithm"),
          entry("x-amz-storage-class", "StorageClass"));

  @Override
  public Map<String, Object> params(SandboxRequest r) {
    Map<String, Object> p = new LinkedHashMap<>();
    try {
      Target t = target(r);
      if (t.bucket() != null) {
        p.put("Bucket", t.bucket());
      }
      if (t.key() != null) {
        p.put("Key", t.key());
      }
    } catch (ApiException e) {
      p.put("Path", r.rawPath());
    }
    r.query()
        .forEach(
            (k, v) -> {
              String name = LOGGED_QUERY.get(k);
              if (name != null) {
                p.put(name, v);
              }
            });
    LOGGED_HEADERS.forEach(
        (h, name) -> {
          String v = r.header(h);
          if (v != null) {
            p.put(name, v);
          }
        });
    if (r.method().equals("PUT") && p.containsKey("Key") && r.header("x-amz-copy-source") == null) {
      String length = r.header("x-amz-decoded-content-length");
      long n = r.body().length;
      if (length != null) {
        try {
          n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          // logged as received
        }
      }
      p.put("ContentLength", n);
    }
    boolean setsObjectType =
        (r.method().equals("PUT") && !r.query().containsKey("uploadId"))
            || (r.method().equals("POST") && r.query().containsKey("uploads"));
    if (setsObjectType && p.containsKey("Key") && !r.query().containsKey("tagging")) {
      String type = r.header("content-type");
      if (type != null) {
        p.put("ContentType", type);
      }
    }
    return p;
  }

  @Override
  public SandboxResponse handle(SandboxRequest r, String action) {
    Target t = target(r);
    return switch (action) {
      case "ListBuckets" -> listBuckets(r);
      case "CreateBucket" -> createBucket(r, t);
      case "HeadBucket" -> headBucket(r, t);
      case "DeleteBucket" -> deleteBucket(r, t);
      case "GetBucketLocation" -> getBucketLocation(r, t);
      case "PutBucketTagging" -> putBucketTagging(r, t);
      case "GetBucketTagging" -> getBucketTagging(r, t);
      case "DeleteBucketTagging" -> deleteBucketTagging(r, t);
      case "GetBucketVersioning" -> getBucketVersioning(r, t);
      case "ListObjects" -> listObjects(r, t, false);
      case "ListObjectsV2" -> listObjects(r, t, true);
      case "ListMultipartUploads" -> listMultipartUploads(r, t);
      case "DeleteObjects" -> deleteObjects(r, t);
      case "PutObject" -> putObject(r, t);
      case "GetObject" -> getObject(r, t, false);
      case "HeadObject" -> getObject(r, t, true);
      case "DeleteObject" -> deleteObject(r, t);
      case "CopyObject" -> copyObject(r, t);
      case "GetObjectTagging" -> getObjectTagging(r, t);
      case "PutObjectTagging" -> putObjectTagging(r, t);
      case "DeleteObjectTagging" -> deleteObjectTagging(r, t);
      case "CreateMultipartUpload" -> createMultipartUpload(r, t);
      case "UploadPart" -> uploadPart(r, t, false);
      case "UploadPartCopy" -> uploadPart(r, t, true);
      case "CompleteMultipartUpload" -> completeMultipartUpload(r, t);
      case "AbortMultipartUpload" -> abortMultipartUpload(r, t);
      case "ListParts" -> listParts(r, t);
      case "MethodNotAllowed" ->
          throw S3Errors.methodNotAllowed(
              r.method(), t.bucket() == null ? "SERVICE" : t.key() == null ? "BUCKET" : "OBJECT");
      default ->
          throw S3Errors.notImplemented("the sandbox does not emulate the S3 operation " + action);
    };
  }

  @Override
  public SandboxResponse error(SandboxRequest r, ApiException e, String requestId) {
    String code = e.code();
    String message = e.getMessage();
    if (e.status() == 500 && code.equals("InternalFailure")) {
      code = "InternalError"; // S3's name for it
      message = "We encountered an internal error. Please try again.";
    }
    Map<String, String> details = S3Errors.details(e);
    Xml x = new Xml().open("Error").element("Code", code).element("Message", message);
    details.forEach(
        (k, v) -> {
          if (!k.startsWith("header:")) {
            x.element(k, v);
          }
        });
    String resource;
    try {
      Target t = target(r);
      resource =
          t.bucket() == null ? "/" : "/" + t.bucket() + (t.key() == null ? "" : "/" + t.key());
    } catch (ApiException ignored) {
      resource = r.rawPath();
    }
    x.element("Resource", resource)
        .element("RequestId", requestId)
        .element("HostId", hostId(requestId))
        .close("Error");
    SandboxResponse resp =
        SandboxResponse.of(
            e.status(), "application/xml", x.toString().getBytes(StandardCharsets.UTF_8));
    details.forEach(
        (k, v) -> {
          if (k.startsWith("header:")) {
            resp.header(k.substring("header:".length()), v);
          }
        });
    resp.header("x-amz-id-2", hostId(requestId));
    return resp;
  }

  private static String hostId(String requestId) {
    return Base64.getEncoder()
        .encodeToString(S3Checksum.sha256(requestId.getBytes(StandardCharsets.UTF_8)));
  }

  // ---------------------------------------------------------------------------------------------
  // Buckets.

  private static boolean signed(SandboxRequest r) {
    return r.header("authorization") != null || r.query().containsKey("X-Amz-Credential");
  }

  /**
   * The bucket a request addresses, or NoSuchBucket. A request signed for another region than the
   * bucket's fails as on real S3 (the AWS CLI then retries with the right region by itself).
   */
  private S3Store.Bucket bucketFor(SandboxRequest r, Target t) {
    S3Store.Bucket b = store.bucket(t.bucket());
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

  private SandboxResponse listBuckets(SandboxRequest r) {
    Map<String, String> q = r.query();
    String prefix = q.get("prefix");
    String regionFilter = q.get("bucket-region");
    int max = 10000;
    if (q.get("max-buckets") != null) {
      max = parseInt(q.get("max-buckets"), "max-buckets", 1, 10000);
    }
    String after =
        q.get("continuation-token") == null ? null : decodeToken(q.get("continuation-token"));
    Xml x = new Xml().open("ListAllMyBucketsResult", NS).open("Buckets");
    String last = null;
    boolean truncated = false;
    int count = 0;
    for (S3Store.Bucket b : store.buckets()) {
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
    x.close("Buckets").open("Owner").element("ID", OWNER_ID).close("Owner");
    if (truncated) {
      x.element("ContinuationToken", encodeToken(last));
    }
    x.element("Prefix", prefix).close("ListAllMyBucketsResult");
    return xml(200, x);
  }

  private SandboxResponse createBucket(SandboxRequest r, Target t) {
    String name = t.bucket();
    if (!validBucketName(name)) {
      throw S3Errors.error(
          400, "InvalidBucketName", "The specified bucket is not valid.", "BucketName", name);
    }
    String constraint = null;
    if (r.body().length > 0) {
      Element root = S3Wire.parseXml(payload(r, false).data(), "CreateBucketConfiguration");
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
      S3Store.Bucket existing = store.bucket(name);
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

  private SandboxResponse headBucket(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    return SandboxResponse.empty(200)
        .header("x-amz-bucket-region", b.region)
        .header("x-amz-access-point-alias", "false");
  }

  private SandboxResponse deleteBucket(SandboxRequest r, Target t) {
    store.deleteBucket(bucketFor(r, t));
    return SandboxResponse.empty(204);
  }

  private SandboxResponse getBucketLocation(SandboxRequest r, Target t) {
    S3Store.Bucket b = store.bucket(t.bucket());
    if (b == null) {
      throw S3Errors.noSuchBucket(t.bucket());
    }
    String body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + (b.region.equals("us-east-1")
                ? "<LocationConstraint xmlns=\"" + NS + "\"/>"
                : "<LocationConstraint xmlns=\""
                    + NS
                    + "\">"
                    + Xml.escape(b.region)
                    + "</LocationConstraint>");
    return SandboxResponse.of(200, "application/xml", body.getBytes(StandardCharsets.UTF_8));
  }

  private SandboxResponse putBucketTagging(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    requireChecksum(r);
    Map<String, String> tags = parseTagging(payload(r, false).data(), 50, true);
    store.setTags(b, tags);
    return SandboxResponse.empty(204);
  }

  private SandboxResponse getBucketTagging(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    if (b.tags.isEmpty()) {
      throw S3Errors.error(404, "NoSuchTagSet", "The TagSet does not exist", "BucketName", b.name);
    }
    return xml(200, tagging(b.tags));
  }

  private SandboxResponse deleteBucketTagging(SandboxRequest r, Target t) {
    store.setTags(bucketFor(r, t), Map.of());
    return SandboxResponse.empty(204);
  }

  private SandboxResponse getBucketVersioning(SandboxRequest r, Target t) {
    bucketFor(r, t);
    // Versioning was never enabled: S3 answers an empty configuration.
    return xml(200, new Xml().open("VersioningConfiguration", NS).close("VersioningConfiguration"));
  }

  private static Xml tagging(Map<String, String> tags) {
    Xml x = new Xml().open("Tagging", NS).open("TagSet");
    tags.forEach((k, v) -> x.open("Tag").element("Key", k).element("Value", v).close("Tag"));
    return x.close("TagSet").close("Tagging");
  }

  /** Parses {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...}, checked as S3 checks it. */
  private static Map<String, String> parseTagging(byte[] body, int max, boolean bucket) {
    Element root = S3Wire.parseXml(body, "Tagging");
    List<Element> sets = S3Wire.children(root, "TagSet");
    if (sets.size() != 1) {
      throw S3Errors.malformedXml();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Element tag : S3Wire.children(sets.get(0), "Tag")) {
      String k = S3Wire.childText(tag, "Key");
      String v = S3Wire.childText(tag, "Value");
      if (k == null || v == null) {
        throw S3Errors.malformedXml();
      }
      addTag(tags, k, v);
    }
    checkTags(tags, max, bucket);
    return tags;
  }

  private static void addTag(Map<String, String> tags, String k, String v) {
    if (tags.containsKey(k)) {
      throw S3Errors.error(400, "InvalidTag", "Cannot provide multiple Tags with the same key");
    }
    tags.put(k, v);
  }

  private static void checkTags(Map<String, String> tags, int max, boolean bucket) {
    if (tags.size() > max) {
      throw bucket
          ? S3Errors.error(400, "InvalidTag", "Bucket tag count cannot be greater than " + max)
          : S3Errors.error(400, "BadRequest", "Object tags cannot be greater than " + max);
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String k = e.getKey();
      if (k.isEmpty() || k.codePointCount(0, k.length()) > 128) {
        throw S3Errors.error(
            400, "InvalidTag", "The TagKey you have provided is invalid", "TagKey", k);
      }
      if (e.getValue().codePointCount(0, e.getValue().length()) > 256) {
        throw S3Errors.error(
            400, "InvalidTag", "The TagValue you have provided is too long, max 256", "TagKey", k);
      }
      if (k.startsWith("aws:")) {
        throw S3Errors.error(
            400, "InvalidTag", "System tags cannot be added/updated by requester", "TagKey", k);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Listings.

  private record Listing(
      List<S3Object> contents, List<String> prefixes, boolean truncated, String last) {}

  /**
   * Lists keys under a prefix after a marker (exclusive), rolling keys up to common prefixes at the
   * delimiter; a common prefix counts as one entry and is listed once, in key order.
   */
  private static Listing list(
      S3Store.Bucket b, String prefix, String delimiter, String marker, int max) {
    List<S3Object> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String cursor = prefix;
    boolean inclusive = true;
    if (marker != null && S3Wire.compareCodePoints(marker, prefix) >= 0) {
      cursor = marker;
      inclusive = false;
      if (!delimiter.isEmpty()
          && marker.startsWith(prefix)
          && marker.endsWith(delimiter)
          && marker.indexOf(delimiter, prefix.length()) == marker.length() - delimiter.length()) {
        // The marker is a common prefix of an earlier page: skip every key under it.
        cursor = S3Wire.successor(marker);
        inclusive = true;
        if (cursor == null) {
          return new Listing(contents, prefixes, false, null);
        }
      }
    }
    int count = 0;
    boolean truncated = false;
    String last = null;
    while (true) {
      Map.Entry<String, S3Object> e =
          inclusive ? b.objects.ceilingEntry(cursor) : b.objects.higherEntry(cursor);
      if (e == null) {
        break;
      }
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        break; // keys are sorted: past the prefix, nothing more matches
      }
      String common = null;
      if (!delimiter.isEmpty()) {
        int i = key.indexOf(delimiter, prefix.length());
        if (i >= 0) {
          common = key.substring(0, i + delimiter.length());
        }
      }
      if (count == max) {
        truncated = max > 0;
        break;
      }
      count++;
      if (common != null) {
        prefixes.add(common);
        last = common;
        cursor = S3Wire.successor(common);
        inclusive = true;
        if (cursor == null) {
          break;
        }
      } else {
        contents.add(e.getValue());
        last = key;
        cursor = key;
        inclusive = false;
      }
    }
    return new Listing(contents, prefixes, truncated, last);
  }

  private SandboxResponse listObjects(SandboxRequest r, Target t, boolean v2) {
    S3Store.Bucket b = bucketFor(r, t);
    Map<String, String> q = r.query();
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.getOrDefault("delimiter", "");
    String encoding = q.get("encoding-type");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Errors.invalidArgument(
          "Invalid Encoding Method specified in Request", "encoding-type", encoding);
    }
    boolean url = encoding != null;
    int maxKeys = 1000;
    if (q.get("max-keys") != null) {
      maxKeys = parseInt(q.get("max-keys"), "max-keys", 0, Integer.MAX_VALUE);
    }
    String token = v2 ? q.get("continuation-token") : null;
    String startAfter = v2 ? q.get("start-after") : null;
    String marker = v2 ? (token != null ? decodeToken(token) : startAfter) : q.get("marker");
    boolean owner = !v2 || "true".equals(q.get("fetch-owner"));
    Listing l = list(b, prefix, delimiter, marker, Math.min(maxKeys, 1000));

    Xml x = new Xml().open("ListBucketResult", NS).element("Name", b.name);
    x.element("Prefix", enc(prefix, url));
    if (v2) {
      x.element("ContinuationToken", token);
      if (l.truncated()) {
        x.element("NextContinuationToken", encodeToken(l.last()));
      }
      x.element("KeyCount", l.contents().size() + l.prefixes().size());
    } else {
      x.element("Marker", enc(q.getOrDefault("marker", ""), url));
      if (l.truncated() && !delimiter.isEmpty()) {
        x.element("NextMarker", enc(l.last(), url));
      }
    }
    x.element("MaxKeys", maxKeys);
    if (!delimiter.isEmpty()) {
      x.element("Delimiter", enc(delimiter, url));
    }
    x.element("EncodingType", encoding).element("IsTruncated", l.truncated());
    if (v2 && token == null) {
      x.element("StartAfter", startAfter == null ? null : enc(startAfter, url));
    }
    for (S3Object o : l.contents()) {
      x.open("Contents")
          .element("Key", enc(o.key(), url))
          .element("LastModified", S3Wire.isoDate(o.lastModified()))
          .element("ETag", o.etag());
      if (o.checksum() != null) {
        x.element("ChecksumAlgorithm", o.checksum().name())
            .element("ChecksumType", o.checksumType());
      }
      x.element("Size", o.size());
      if (owner) {
        x.open("Owner").element("ID", OWNER_ID).close("Owner");
      }
      x.element("StorageClass", o.attrs().storageClass()).close("Contents");
    }
    for (String p : l.prefixes()) {
      x.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    }
    return xml(200, x.close("ListBucketResult"));
  }

  private SandboxResponse listMultipartUploads(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    Map<String, String> q = r.query();
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.getOrDefault("delimiter", "");
    String encoding = q.get("encoding-type");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Errors.invalidArgument(
          "Invalid Encoding Method specified in Request", "encoding-type", encoding);
    }
    boolean url = encoding != null;
    int max = 1000;
    if (q.get("max-uploads") != null) {
      max = Math.min(1000, parseInt(q.get("max-uploads"), "max-uploads", 0, Integer.MAX_VALUE));
    }
    String keyMarker = q.get("key-marker");
    String idMarker = q.get("upload-id-marker");
    List<S3Store.Upload> selected = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    boolean truncated = false;
    String nextKey = null;
    String nextId = null;
    for (S3Store.Upload u : store.uploads(b.name)) {
      if (!u.key.startsWith(prefix)) {
        continue;
      }
      if (keyMarker != null) {
        int c = S3Wire.compareCodePoints(u.key, keyMarker);
        if (c < 0 || (c == 0 && (idMarker == null || u.id.compareTo(idMarker) <= 0))) {
          continue;
        }
      }
      String common = null;
      if (!delimiter.isEmpty()) {
        int i = u.key.indexOf(delimiter, prefix.length());
        if (i >= 0) {
          common = u.key.substring(0, i + delimiter.length());
        }
      }
      if (common != null && prefixes.contains(common)) {
        continue;
      }
      if (selected.size() + prefixes.size() == max) {
        truncated = max > 0;
        break;
      }
      if (common != null) {
        prefixes.add(common);
        nextKey = common;
        nextId = null;
      } else {
        selected.add(u);
        nextKey = u.key;
        nextId = u.id;
      }
    }
    Xml x =
        new Xml()
            .open("ListMultipartUploadsResult", NS)
            .element("Bucket", b.name)
            .element("KeyMarker", enc(keyMarker == null ? "" : keyMarker, url))
            .element("UploadIdMarker", idMarker == null ? "" : idMarker);
    if (truncated) {
      x.element("NextKeyMarker", enc(nextKey, url)).element("NextUploadIdMarker", nextId);
    }
    x.element("Prefix", enc(prefix, url));
    if (!delimiter.isEmpty()) {
      x.element("Delimiter", enc(delimiter, url));
    }
    x.element("MaxUploads", max)
        .element("EncodingType", encoding)
        .element("IsTruncated", truncated);
    for (S3Store.Upload u : selected) {
      x.open("Upload")
          .element("Key", enc(u.key, url))
          .element("UploadId", u.id)
          .open("Initiator")
          .element("ID", OWNER_ID)
          .close("Initiator")
          .open("Owner")
          .element("ID", OWNER_ID)
          .close("Owner")
          .element("StorageClass", u.attrs.storageClass())
          .element("Initiated", S3Wire.isoDate(u.initiated));
      if (u.checksum != null) {
        x.element("ChecksumAlgorithm", u.checksum.name()).element("ChecksumType", u.checksumType);
      }
      x.close("Upload");
    }
    for (String p : prefixes) {
      x.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    }
    return xml(200, x.close("ListMultipartUploadsResult"));
  }

  private static String enc(String s, boolean url) {
    return url && s != null ? S3Wire.urlEncode(s) : s;
  }

  private static String encodeToken(String last) {
    return Base64.getEncoder().encodeToString(("1:" + last).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      String s = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
      if (s.startsWith("1:")) {
        return s.substring(2);
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw S3Errors.invalidArgument(
        "The continuation token provided is incorrect", "continuation-token", token);
  }

  private static int parseInt(String value, String name, int min, int max) {
    long v;
    try {
      v = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw S3Errors.invalidArgument(
          "Provided " + name + " not an integer or within integer range", name, value);
    }
    if (v < min || v > max) {
      throw S3Errors.invalidArgument(
          "Argument " + name + " must be an integer between " + min + " and " + max, name, value);
    }
    return (int) v;
  }

  // ---------------------------------------------------------------------------------------------
  // Request bodies: aws-chunked, content hashes, checksums.

  /**
   * A request body as S3 takes it: aws-chunked decoded, and every digest the client sent checked.
   *
   * @param checksum the algorithm of the checksum the client sent or asked for, or CRC64NVME by
   *     default, or null
   * @param fromClient whether the client chose the checksum
   */
  record Payload(
      byte[] data, byte[] md5, S3Checksum checksum, String checksumValue, boolean fromClient) {}

  static Payload payload(SandboxRequest r, boolean defaultChecksum) {
    byte[] raw = r.body();
    String sha = r.header("x-amz-content-sha256");
    boolean chunked =
        (sha != null && sha.startsWith("STREAMING-"))
            || hasToken(r.header("content-encoding"), "aws-chunked");
    byte[] data = raw;
    Map<String, String> trailers = Map.of();
    if (chunked) {
      String decoded = r.header("x-amz-decoded-content-length");
      long expected = -1;
      if (decoded != null) {
        try {
          expected = Long.parseLong(decoded.trim());
        } catch (NumberFormatException e) {
          throw S3Errors.invalidArgument(
              "x-amz-decoded-content-length is not a number",
              "x-amz-decoded-content-length",
              decoded);
        }
      }
      S3Wire.Chunked c = S3Wire.decodeAwsChunked(raw, expected < 0 ? raw.length : expected);
      data = c.payload();
      trailers = c.trailers();
      if (expected >= 0 && expected != data.length) {
        throw S3Wire.incompleteBody();
      }
    } else if (sha != null && sha.length() == 64 && sha.matches("[0-9a-fA-F]+")) {
      String actual = S3Checksum.hex(S3Checksum.sha256(raw));
      if (!actual.equalsIgnoreCase(sha)) {
        throw S3Errors.error(
            400,
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            "ClientComputedContentSHA256",
            sha,
            "S3ComputedContentSHA256",
            actual);
      }
    }
    byte[] md5 = S3Checksum.md5(data);
    String contentMd5 = r.header("content-md5");
    if (contentMd5 != null) {
      byte[] expected;
      try {
        expected = Base64.getDecoder().decode(contentMd5.trim());
      } catch (IllegalArgumentException e) {
        expected = new byte[0];
      }
      if (expected.length != 16) {
        throw S3Errors.error(
            400,
            "InvalidDigest",
            "The Content-MD5 you specified was invalid.",
            "Content-MD5",
            contentMd5);
      }
      if (!Arrays.equals(expected, md5)) {
        throw S3Errors.error(
            400,
            "BadDigest",
            "The Content-MD5 you specified did not match what we received.",
            "ExpectedDigest",
            contentMd5,
            "CalculatedDigest",
            Base64.getEncoder().encodeToString(md5));
      }
    }
    Map<S3Checksum, String> given = new EnumMap<>(S3Checksum.class);
    r.headers()
        .forEach(
            (name, values) -> {
              S3Checksum c = S3Checksum.ofHeader(name);
              if (c != null && !values.isEmpty()) {
                given.put(c, values.get(0));
              }
            });
    trailers.forEach(
        (name, value) -> {
          S3Checksum c = S3Checksum.ofHeader(name);
          if (c != null) {
            given.put(c, value);
          }
        });
    String sdk = r.header("x-amz-sdk-checksum-algorithm");
    S3Checksum sdkAlgorithm = null;
    if (sdk != null) {
      sdkAlgorithm = S3Checksum.of(sdk);
      if (sdkAlgorithm == null) {
        throw S3Errors.invalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.");
      }
    }
    if (given.size() > 1) {
      throw S3Errors.invalidRequest(
          "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    }
    if (given.size() == 1) {
      Map.Entry<S3Checksum, String> e = given.entrySet().iterator().next();
      S3Checksum c = e.getKey();
      String value = e.getValue().trim();
      if (sdkAlgorithm != null && sdkAlgorithm != c) {
        throw S3Errors.invalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.");
      }
      if (!c.wellFormed(value)) {
        throw S3Errors.invalidRequest("Value for " + c.header() + " header is invalid.");
      }
      if (!c.base64(data).equals(value)) {
        throw S3Errors.badDigest(c);
      }
      return new Payload(data, md5, c, value, true);
    }
    if (r.header("x-amz-trailer") != null
        && S3Checksum.ofHeader(r.header("x-amz-trailer").trim()) != null) {
      throw S3Errors.error(
          400,
          "MalformedTrailerError",
          "The request contained trailing data that was not well-formed or did not conform to our"
              + " published schema.");
    }
    if (sdkAlgorithm != null) {
      return new Payload(data, md5, sdkAlgorithm, sdkAlgorithm.base64(data), true);
    }
    if (defaultChecksum) {
      return new Payload(data, md5, S3Checksum.CRC64NVME, S3Checksum.CRC64NVME.base64(data), false);
    }
    return new Payload(data, md5, null, null, false);
  }

  /** Operations that need an integrity header (DeleteObjects, PutBucketTagging...). */
  private static void requireChecksum(SandboxRequest r) {
    if (r.header("content-md5") != null || r.header("x-amz-trailer") != null) {
      return;
    }
    for (String name : r.headers().keySet()) {
      if (S3Checksum.ofHeader(name) != null) {
        return;
      }
    }
    throw S3Errors.invalidRequest(
        "Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
  }

  private static boolean hasToken(String headerValue, String token) {
    if (headerValue == null) {
      return false;
    }
    for (String t : headerValue.split(",")) {
      if (t.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Objects.

  private static void checkKey(String key) {
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw S3Errors.error(
          400,
          "KeyTooLongError",
          "Your key is too long",
          "Size",
          String.valueOf(bytes),
          "MaxSizeAllowed",
          String.valueOf(MAX_KEY_BYTES));
    }
  }

  /** New buckets have ACLs disabled (Object Ownership "bucket owner enforced", S3's default). */
  private static void checkAcl(SandboxRequest r) {
    String acl = r.header("x-amz-acl");
    boolean grants = r.headers().keySet().stream().anyMatch(h -> h.startsWith("x-amz-grant-"));
    if ((acl != null && !acl.trim().equals("bucket-owner-full-control")) || grants) {
      throw S3Errors.error(400, "AccessControlListNotSupported", "The bucket does not allow ACLs");
    }
  }

  private static void checkVersionId(SandboxRequest r) {
    String v = r.query().get("versionId");
    if (v != null && !v.equals("null")) {
      throw S3Errors.invalidArgument("Invalid version id specified", "versionId", v);
    }
  }

  /** The object attributes a PUT, copy (REPLACE) or multipart upload sets from its headers. */
  private static S3Object.Attrs attrs(SandboxRequest r) {
    Map<String, String> headers = new LinkedHashMap<>();
    String type = r.header("content-type");
    headers.put("Content-Type", type == null || type.isBlank() ? "binary/octet-stream" : type);
    String encoding = r.header("content-encoding");
    if (encoding != null) {
      List<String> kept = new ArrayList<>();
      for (String token : encoding.split(",")) {
        if (!token.trim().isEmpty() && !token.trim().equalsIgnoreCase("aws-chunked")) {
          kept.add(token.trim());
        }
      }
      if (!kept.isEmpty()) {
        headers.put("Content-Encoding", String.join(",", kept));
      }
    }
    for (String h :
        List.of("Cache-Control", "Content-Disposition", "Content-Language", "Expires")) {
      String v = r.header(h);
      if (v != null) {
        headers.put(h, v);
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    int size = 0;
    for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
      if (e.getKey().startsWith("x-amz-meta-") && !e.getValue().isEmpty()) {
        String name = e.getKey().substring("x-amz-meta-".length());
        String value = String.join(",", e.getValue());
        metadata.put(name, value);
        size += name.getBytes(StandardCharsets.UTF_8).length;
        size += value.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_METADATA_BYTES) {
      throw S3Errors.error(
          400,
          "MetadataTooLarge",
          "Your metadata headers exceed the maximum allowed metadata size",
          "Size",
          String.valueOf(size),
          "MaxSizeAllowed",
          String.valueOf(MAX_METADATA_BYTES));
    }
    String storageClass = r.header("x-amz-storage-class");
    storageClass = storageClass == null ? "STANDARD" : storageClass.trim();
    if (!STORAGE_CLASSES.contains(storageClass)) {
      throw S3Errors.error(
          400,
          "InvalidStorageClass",
          "The storage class you specified is not valid",
          "StorageClassRequested",
          storageClass);
    }
    return new S3Object.Attrs(headers, metadata, storageClass, sse(r), tagsHeader(r));
  }

  private static String sse(SandboxRequest r) {
    for (String h : r.headers().keySet()) {
      if (h.startsWith("x-amz-server-side-encryption-customer-")) {
        throw S3Errors.notImplemented("server-side encryption with customer keys (SSE-C)");
      }
    }
    String sse = r.header("x-amz-server-side-encryption");
    if (sse == null) {
      return "AES256"; // S3 encrypts every new object with SSE-S3 since January 2023
    }
    sse = sse.trim();
    if (!Set.of("AES256", "aws:kms", "aws:kms:dsse").contains(sse)) {
      throw S3Errors.invalidArgument(
          "The encryption method specified is not supported", "x-amz-server-side-encryption", sse);
    }
    return sse;
  }

  private static Map<String, String> tagsHeader(SandboxRequest r) {
    String header = r.header("x-amz-tagging");
    if (header == null || header.isEmpty()) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : header.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k =
          java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v =
          eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      addTag(tags, k, v);
    }
    checkTags(tags, 10, false);
    return tags;
  }

  static boolean etagMatches(String condition, String etag) {
    for (String c : condition.split(",")) {
      String v = c.trim();
      if (v.equals("*") || unquote(v).equals(unquote(etag))) {
        return true;
      }
    }
    return false;
  }

  private static String unquote(String etag) {
    String e = etag.trim();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")
        ? e.substring(1, e.length() - 1)
        : e;
  }

  private static String quotedMd5(byte[] md5) {
    return "\"" + S3Checksum.hex(md5) + "\"";
  }

  private SandboxResponse putObject(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    checkKey(t.key());
    checkAcl(r);
    S3Object.Attrs attrs = attrs(r);
    String ifMatch = r.header("if-match");
    boolean ifNoneMatchStar = writeCondition(r);
    store.checkWrite(b, t.key(), ifMatch, ifNoneMatchStar);
    Payload p = payload(r, true);
    S3Object o =
        new S3Object(
            t.key(),
            store.newBlob(b, p.data()),
            quotedMd5(p.md5()),
            S3Store.now(),
            attrs,
            p.checksum(),
            p.checksumValue(),
            S3Checksum.FULL_OBJECT,
            List.of());
    store.put(b, o, ifMatch, ifNoneMatchStar);
    SandboxResponse resp = SandboxResponse.empty(200).header("ETag", o.etag());
    resp.header(o.checksum().header(), o.checksumValue())
        .header("x-amz-checksum-type", S3Checksum.FULL_OBJECT);
    return resp.header("x-amz-server-side-encryption", attrs.sse());
  }

  /**
   * S3 supports conditional writes with {@code If-None-Match: *} (and {@code If-Match: ETAG}); any
   * other If-None-Match value is not implemented.
   */
  private static boolean writeCondition(SandboxRequest r) {
    String inm = r.header("if-none-match");
    if (inm == null) {
      return false;
    }
    if (!inm.trim().equals("*")) {
      throw S3Errors.error(
          501,
          "NotImplemented",
          "A header you provided implies functionality that is not implemented",
          "Header",
          "If-None-Match");
    }
    return true;
  }

  private SandboxResponse getObject(SandboxRequest r, Target t, boolean head) {
    S3Store.Bucket b = bucketFor(r, t);
    checkVersionId(r);
    Map<String, String> q = r.query();
    String range = r.header("range");
    String partParam = q.get("partNumber");
    if (range != null && partParam != null) {
      throw S3Errors.invalidRequest(
          "Cannot specify both Range header and partNumber query parameter");
    }
    Integer partNumber = partParam == null ? null : partNumber(partParam);
    for (int attempt = 0; ; attempt++) {
      S3Object o = store.get(b, t.key());
      if (o == null) {
        throw S3Errors.noSuchKey(t.key());
      }
      SandboxResponse notModified = checkReadConditions(r, o);
      if (notModified != null) {
        return notModified;
      }
      if (!head && ARCHIVED.contains(o.attrs().storageClass())) {
        throw S3Errors.error(
            403,
            "InvalidObjectState",
            "The operation is not valid for the object's storage class",
            "StorageClass",
            o.attrs().storageClass());
      }
      long size = o.size();
      long start = 0;
      long length = size;
      int status = 200;
      String contentRange = null;
      Integer partsCount = null;
      if (partNumber != null) {
        List<Long> parts = o.partSizes().isEmpty() ? List.of(size) : o.partSizes();
        if (partNumber > parts.size()) {
          throw S3Errors.error(
              416,
              "InvalidPartNumber",
              "The requested partnumber is not satisfiable",
              "PartNumberRequested",
              partParam,
              "ActualPartCount",
              String.valueOf(parts.size()));
        }
        for (int i = 0; i < partNumber - 1; i++) {
          start += parts.get(i);
        }
        length = parts.get(partNumber - 1);
        if (!o.partSizes().isEmpty()) {
          partsCount = parts.size();
        }
        if (size > 0) {
          status = 206;
          contentRange = "bytes " + start + "-" + (start + length - 1) + "/" + size;
        }
      } else if (range != null) {
        long[] rg = parseRange(range, size);
        if (rg != null) {
          start = rg[0];
          length = rg[1] - rg[0] + 1;
          status = 206;
          contentRange = "bytes " + rg[0] + "-" + rg[1] + "/" + size;
        }
      }
      byte[] body;
      try {
        body = head ? new byte[0] : o.blob().read(start, Math.toIntExact(length));
      } catch (S3Blob.Gone e) {
        if (attempt < 5) {
          continue; // overwritten while reading: serve the new version
        }
        throw e;
      }
      SandboxResponse resp =
          SandboxResponse.of(status, contentType(r, o), body).header("Accept-Ranges", "bytes");
      resp.header("Last-Modified", S3Wire.httpDate(o.lastModified())).header("ETag", o.etag());
      if (head) {
        resp.header("Content-Length", String.valueOf(length));
      }
      if (contentRange != null) {
        resp.header("Content-Range", contentRange);
      }
      objectHeaders(resp, r, o);
      if (partsCount != null) {
        resp.header("x-amz-mp-parts-count", String.valueOf(partsCount));
      }
      boolean whole = status == 200 || (start == 0 && length == size);
      if (whole
          && o.checksum() != null
          && "ENABLED".equalsIgnoreCase(r.header("x-amz-checksum-mode"))
          && (partNumber == null || o.partSizes().isEmpty())) {
        resp.header(o.checksum().header(), o.checksumValue())
            .header("x-amz-checksum-type", o.checksumType());
      }
      return resp;
    }
  }

  private static String contentType(SandboxRequest r, S3Object o) {
    String override = r.query().get("response-content-type");
    return override != null ? override : o.attrs().headers().get("Content-Type");
  }

  private static void objectHeaders(SandboxResponse resp, SandboxRequest r, S3Object o) {
    Map<String, String> q = r.query();
    o.attrs()
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.equals("Content-Type")) {
                resp.header(name, value);
              }
            });
    for (String h :
        List.of(
            "Cache-Control",
            "Content-Disposition",
            "Content-Encoding",
            "Content-Language",
            "Expires")) {
      String override = q.get("response-" + h.toLowerCase(Locale.ROOT));
      if (override != null) {
        resp.header(h, override);
      }
    }
    resp.header("x-amz-server-side-encryption", o.attrs().sse());
    o.attrs().metadata().forEach((k, v) -> resp.header("x-amz-meta-" + k, v));
    if (!o.attrs().storageClass().equals("STANDARD")) {
      resp.header("x-amz-storage-class", o.attrs().storageClass());
    }
    if (!o.attrs().tags().isEmpty()) {
      resp.header("x-amz-tagging-count", String.valueOf(o.attrs().tags().size()));
    }
  }

  /**
   * GET/HEAD conditions in S3's precedence: If-Match (412) wins over If-Unmodified-Since;
   * If-None-Match (304) wins over If-Modified-Since. Returns the 304 answer, or null to go on.
   */
  private static SandboxResponse checkReadConditions(SandboxRequest r, S3Object o) {
    String ifMatch = r.header("if-match");
    String ifNoneMatch = r.header("if-none-match");
    Instant unmodifiedSince = S3Wire.parseHttpDate(r.header("if-unmodified-since"));
    Instant modifiedSince = S3Wire.parseHttpDate(r.header("if-modified-since"));
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, o.etag())) {
        throw S3Errors.preconditionFailed("If-Match");
      }
    } else if (unmodifiedSince != null && o.lastModified().isAfter(unmodifiedSince)) {
      throw S3Errors.preconditionFailed("If-Unmodified-Since");
    }
    boolean notModified;
    if (ifNoneMatch != null) {
      notModified = etagMatches(ifNoneMatch, o.etag());
    } else {
      notModified = modifiedSince != null && !o.lastModified().isAfter(modifiedSince);
    }
    if (notModified) {
      return SandboxResponse.empty(304)
          .header("ETag", o.etag())
          .header("Last-Modified", S3Wire.httpDate(o.lastModified()));
    }
    return null;
  }

  /**
   * Parses a single byte range against an object size: {first, last}, or null when the header is to
   * be ignored (not a bytes range, or several ranges, or a suffix range of an empty object);
   * InvalidRange (416) when unsatisfiable.
   */
  static long[] parseRange(String header, long size) {
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      if (dash == 0) {
        long n = Long.parseLong(spec.substring(1).trim());
        if (n <= 0) {
          throw invalidRange(header, size);
        }
        if (size == 0) {
          return null;
        }
        return new long[] {Math.max(0, size - n), size - 1};
      }
      long first = Long.parseLong(spec.substring(0, dash).trim());
      String lastText = spec.substring(dash + 1).trim();
      long last = lastText.isEmpty() ? Long.MAX_VALUE : Long.parseLong(lastText);
      if (last < first) {
        return null; // syntactically invalid: ignored, as HTTP says
      }
      if (first >= size) {
        throw invalidRange(header, size);
      }
      return new long[] {first, Math.min(last, size - 1)};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ApiException invalidRange(String header, long size) {
    return S3Errors.error(
        416,
        "InvalidRange",
        "The requested range is not satisfiable",
        "RangeRequested",
        header,
        "ActualObjectSize",
        String.valueOf(size),
        "header:Content-Range",
        "bytes */" + size);
  }

  private static int partNumber(String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 10000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw S3Errors.invalidArgument(
        "Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);
  }

  private SandboxResponse deleteObject(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    checkVersionId(r);
    String ifMatch = r.header("if-match");
    if (ifMatch != null) {
      S3Object o = store.get(b, t.key());
      if (o == null) {
        throw S3Errors.noSuchKey(t.key());
      }
      if (!etagMatches(ifMatch, o.etag())) {
        throw S3Errors.preconditionFailed("If-Match");
      }
    }
    store.delete(b, t.key());
    return SandboxResponse.empty(204);
  }

  private SandboxResponse deleteObjects(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    requireChecksum(r);
    Element root = S3Wire.parseXml(payload(r, false).data(), "Delete");
    String quietText = S3Wire.childText(root, "Quiet");
    boolean quiet = quietText != null && quietText.trim().equalsIgnoreCase("true");
    List<Element> objects = S3Wire.children(root, "Object");
    if (objects.isEmpty() || objects.size() > 1000) {
      throw S3Errors.malformedXml();
    }
    Xml x = new Xml().open("DeleteResult", NS);
    for (Element e : objects) {
      String key = S3Wire.childText(e, "Key");
      if (key == null) {
        throw S3Errors.malformedXml();
      }
      String versionId = S3Wire.childText(e, "VersionId");
      if (versionId != null && !versionId.equals("null")) {
        x.open("Error")
            .element("Key", key)
            .element("VersionId", versionId)
            .element("Code", "NoSuchVersion")
            .element("Message", "The specified version does not exist.")
            .close("Error");
        continue;
      }
      store.delete(b, key);
      if (!quiet) {
        x.open("Deleted").element("Key", key).element("VersionId", versionId).close("Deleted");
      }
    }
    return xml(200, x.close("DeleteResult"));
  }

  /** A parsed {@code x-amz-copy-source}: the source object, read now. */
  private record Source(S3Store.Bucket bucket, S3Object object, byte[] data) {}

  private Source copySource(SandboxRequest r) {
    String header = r.header("x-amz-copy-source").trim();
    String raw = header.startsWith("/") ? header.substring(1) : header;
    int q = raw.indexOf('?');
    String version = null;
    if (q >= 0) {
      Map<String, String> params = SandboxRequest.parseForm(raw.substring(q + 1));
      version = params.get("versionId");
      raw = raw.substring(0, q);
    }
    int slash = raw.indexOf('/');
    String bucket = slash <= 0 ? null : S3Wire.percentDecode(raw.substring(0, slash));
    String key = slash <= 0 ? null : S3Wire.percentDecode(raw.substring(slash + 1));
    if (bucket == null || key == null || key.isEmpty()) {
      throw S3Errors.invalidArgument(
          "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
          "x-amz-copy-source",
          header);
    }
    if (version != null && !version.equals("null")) {
      throw S3Errors.invalidArgument("Invalid version id specified", "x-amz-copy-source", header);
    }
    S3Store.Bucket sb = store.bucket(bucket);
    if (sb == null) {
      throw S3Errors.noSuchBucket(bucket);
    }
    for (int attempt = 0; ; attempt++) {
      S3Object so = store.get(sb, key);
      if (so == null) {
        throw S3Errors.noSuchKey(key);
      }
      checkCopyConditions(r, so);
      try {
        return new Source(sb, so, so.blob().readAll());
      } catch (S3Blob.Gone e) {
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private static void checkCopyConditions(SandboxRequest r, S3Object o) {
    String ifMatch = r.header("x-amz-copy-source-if-match");
    String ifNoneMatch = r.header("x-amz-copy-source-if-none-match");
    Instant unmodifiedSince =
        S3Wire.parseHttpDate(r.header("x-amz-copy-source-if-unmodified-since"));
    Instant modifiedSince = S3Wire.parseHttpDate(r.header("x-amz-copy-source-if-modified-since"));
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, o.etag())) {
        throw S3Errors.preconditionFailed("x-amz-copy-source-If-Match");
      }
    } else if (unmodifiedSince != null && o.lastModified().isAfter(unmodifiedSince)) {
      throw S3Errors.preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
    }
    if (ifNoneMatch != null) {
      if (etagMatches(ifNoneMatch, o.etag())) {
        throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
      }
    } else if (modifiedSince != null && !o.lastModified().isAfter(modifiedSince)) {
      throw S3Errors.preconditionFailed("x-amz-copy-source-If-Modified-Since");
    }
  }

  private SandboxResponse copyObject(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    checkKey(t.key());
    checkAcl(r);
    String directive = upper(r.header("x-amz-metadata-directive"), "COPY");
    if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
      throw S3Errors.invalidArgument(
          "Unknown metadata directive.", "x-amz-metadata-directive", directive);
    }
    String tagDirective = upper(r.header("x-amz-tagging-directive"), "COPY");
    if (!tagDirective.equals("COPY") && !tagDirective.equals("REPLACE")) {
      throw S3Errors.invalidArgument(
          "Unknown tagging directive.", "x-amz-tagging-directive", tagDirective);
    }
    S3Checksum requested = checksumAlgorithmHeader(r);
    Source src = copySource(r);
    S3Object so = src.object();
    S3Object.Attrs requestAttrs = attrs(r);
    boolean self = src.bucket() == b && so.key().equals(t.key());
    if (self
        && directive.equals("COPY")
        && r.header("x-amz-storage-class") == null
        && r.header("x-amz-server-side-encryption") == null
        && r.header("x-amz-website-redirect-location") == null
        && requested == null) {
      throw S3Errors.invalidRequest(
          "This copy request is illegal because it is trying to copy an object to itself without"
              + " changing the object's metadata, storage class, website redirect location or"
              + " encryption attributes.");
    }
    S3Object.Attrs attrs =
        new S3Object.Attrs(
            directive.equals("REPLACE") ? requestAttrs.headers() : so.attrs().headers(),
            directive.equals("REPLACE") ? requestAttrs.metadata() : so.attrs().metadata(),
            r.header("x-amz-storage-class") != null
                ? requestAttrs.storageClass()
                : so.attrs().storageClass(),
            r.header("x-amz-server-side-encryption") != null
                ? requestAttrs.sse()
                : so.attrs().sse(),
            tagDirective.equals("REPLACE") ? requestAttrs.tags() : so.attrs().tags());
    // A copy is a single-part object: a composite (multipart) checksum cannot carry over.
    S3Checksum algorithm =
        requested != null
            ? requested
            : so.checksum() != null && S3Checksum.FULL_OBJECT.equals(so.checksumType())
                ? so.checksum()
                : S3Checksum.CRC64NVME;
    byte[] data = src.data();
    S3Object o =
        new S3Object(
            t.key(),
            store.newBlob(b, data),
            quotedMd5(S3Checksum.md5(data)),
            S3Store.now(),
            attrs,
            algorithm,
            algorithm.base64(data),
            S3Checksum.FULL_OBJECT,
            List.of());
    store.put(b, o, null, false);
    Xml x =
        new Xml()
            .open("CopyObjectResult", NS)
            .element("ETag", o.etag())
            .element("LastModified", S3Wire.isoDate(o.lastModified()))
            .element(algorithm.member(), o.checksumValue())
            .element("ChecksumType", S3Checksum.FULL_OBJECT)
            .close("CopyObjectResult");
    return xml(200, x).header("x-amz-server-side-encryption", attrs.sse());
  }

  private static String upper(String value, String dflt) {
    return value == null ? dflt : value.trim().toUpperCase(Locale.ROOT);
  }

  private static S3Checksum checksumAlgorithmHeader(SandboxRequest r) {
    String v = r.header("x-amz-checksum-algorithm");
    if (v == null) {
      return null;
    }
    S3Checksum c = S3Checksum.of(v);
    if (c == null) {
      throw S3Errors.invalidRequest(
          "Checksum algorithm provided is unsupported. Please try again with any of the valid"
              + " types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
    }
    return c;
  }

  private SandboxResponse getObjectTagging(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    checkVersionId(r);
    S3Object o = store.get(b, t.key());
    if (o == null) {
      throw S3Errors.noSuchKey(t.key());
    }
    return xml(200, tagging(o.attrs().tags()));
  }

  private SandboxResponse putObjectTagging(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    checkVersionId(r);
    requireChecksum(r);
    Map<String, String> tags = parseTagging(payload(r, false).data(), 10, false);
    retag(b, t.key(), tags);
    return SandboxResponse.empty(200);
  }

  private SandboxResponse deleteObjectTagging(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    checkVersionId(r);
    retag(b, t.key(), Map.of());
    return SandboxResponse.empty(204);
  }

  /** Replaces an object's tags, keeping its bytes, ETag and LastModified (as S3 does). */
  private void retag(S3Store.Bucket b, String key, Map<String, String> tags) {
    while (true) {
      S3Object o = store.get(b, key);
      if (o == null) {
        throw S3Errors.noSuchKey(key);
      }
      S3Object.Attrs a = o.attrs();
      S3Object tagged =
          new S3Object(
              o.key(),
              o.blob(),
              o.etag(),
              o.lastModified(),
              new S3Object.Attrs(a.headers(), a.metadata(), a.storageClass(), a.sse(), tags),
              o.checksum(),
              o.checksumValue(),
              o.checksumType(),
              o.partSizes());
      try {
        store.put(b, tagged, o.etag(), false);
        return;
      } catch (ApiException e) {
        if (!e.code().equals("PreconditionFailed")) {
          throw e;
        }
        // Overwritten meanwhile: tag the new version.
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Multipart uploads.

  private S3Store.Upload upload(SandboxRequest r, S3Store.Bucket b, Target t) {
    String id = r.query().get("uploadId");
    S3Store.Upload u = store.upload(id, b.name, t.key());
    if (u == null) {
      throw S3Errors.noSuchUpload(id);
    }
    return u;
  }

  private SandboxResponse createMultipartUpload(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    checkKey(t.key());
    checkAcl(r);
    S3Checksum algorithm = checksumAlgorithmHeader(r);
    String type = r.header("x-amz-checksum-type");
    if (type != null) {
      type = type.trim().toUpperCase(Locale.ROOT);
      if (!type.equals(S3Checksum.FULL_OBJECT) && !type.equals(S3Checksum.COMPOSITE)) {
        throw S3Errors.invalidRequest("Value for x-amz-checksum-type header is invalid.");
      }
      if (algorithm == null) {
        throw S3Errors.invalidRequest(
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm"
                + " header.");
      }
    }
    if (algorithm != null) {
      if (type == null) {
        type = algorithm == S3Checksum.CRC64NVME ? S3Checksum.FULL_OBJECT : S3Checksum.COMPOSITE;
      }
      if (type.equals(S3Checksum.FULL_OBJECT) && !algorithm.isCrc()) {
        throw S3Errors.invalidRequest(
            "The FULL_OBJECT checksum type cannot be used with the "
                + algorithm.lowerName()
                + " checksum algorithm.");
      }
      if (type.equals(S3Checksum.COMPOSITE) && algorithm == S3Checksum.CRC64NVME) {
        throw S3Errors.invalidRequest(
            "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
      }
    }
    S3Store.Upload u = store.createUpload(b, t.key(), attrs(r), algorithm, type);
    Xml x =
        new Xml()
            .open("InitiateMultipartUploadResult", NS)
            .element("Bucket", b.name)
            .element("Key", t.key())
            .element("UploadId", u.id)
            .close("InitiateMultipartUploadResult");
    SandboxResponse resp = xml(200, x).header("x-amz-server-side-encryption", u.attrs.sse());
    if (algorithm != null) {
      resp.header("x-amz-checksum-algorithm", algorithm.name()).header("x-amz-checksum-type", type);
    }
    return resp;
  }

  private SandboxResponse uploadPart(SandboxRequest r, Target t, boolean copy) {
    S3Store.Bucket b = bucketFor(r, t);
    int number = partNumber(String.valueOf(r.query().get("partNumber")));
    S3Store.Upload u = upload(r, b, t);
    byte[] data;
    S3Checksum checksum;
    String value;
    Source src = null;
    if (copy) {
      src = copySource(r);
      data = src.data();
      String range = r.header("x-amz-copy-source-range");
      if (range != null) {
        long[] rg = copyRange(range, data.length);
        data = Arrays.copyOfRange(data, (int) rg[0], (int) rg[1] + 1);
      }
      checksum = u.checksum;
      value = checksum == null ? null : checksum.base64(data);
    } else {
      Payload p = payload(r, false);
      data = p.data();
      checksum = p.checksum();
      value = p.checksumValue();
      if (u.checksum != null) {
        if (checksum == null) {
          if (S3Checksum.COMPOSITE.equals(u.checksumType)) {
            throw S3Errors.invalidRequest(
                "Checksum Type mismatch occurred, expected checksum Type: "
                    + u.checksum.lowerName()
                    + ", actual checksum Type: null");
          }
          checksum = u.checksum;
          value = checksum.base64(data);
        } else if (checksum != u.checksum) {
          throw S3Errors.invalidRequest(
              "Checksum Type mismatch occurred, expected checksum Type: "
                  + u.checksum.lowerName()
                  + ", actual checksum Type: "
                  + checksum.lowerName());
        }
      }
    }
    String etag = quotedMd5(S3Checksum.md5(data));
    S3Store.Part part = store.putPart(u, number, data, etag, checksum, value);
    if (copy) {
      Xml x =
          new Xml()
              .open("CopyPartResult", NS)
              .element("ETag", etag)
              .element("LastModified", S3Wire.isoDate(part.lastModified()));
      if (checksum != null) {
        x.element(checksum.member(), value);
      }
      return xml(200, x.close("CopyPartResult"))
          .header("x-amz-server-side-encryption", u.attrs.sse());
    }
    SandboxResponse resp =
        SandboxResponse.empty(200)
            .header("ETag", etag)
            .header("x-amz-server-side-encryption", u.attrs.sse());
    if (checksum != null) {
      resp.header(checksum.header(), value);
    }
    return resp;
  }

  private static long[] copyRange(String header, long size) {
    String h = header.trim();
    String spec = h.regionMatches(true, 0, "bytes=", 0, 6) ? h.substring(6) : null;
    int dash = spec == null ? -1 : spec.indexOf('-');
    try {
      if (dash > 0) {
        long first = Long.parseLong(spec.substring(0, dash).trim());
        long last = Long.parseLong(spec.substring(dash + 1).trim());
        if (first <= last) {
          if (last >= size) {
            throw S3Errors.error(
                400,
                "InvalidRange",
                "The requested range is not satisfiable",
                "RangeRequested",
                header,
                "ActualObjectSize",
                String.valueOf(size));
          }
          return new long[] {first, last};
        }
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw S3Errors.invalidArgument(
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and"
            + " last are the zero-based offsets of the first and last bytes to copy",
        "x-amz-copy-source-range",
        header);
  }

  /** One {@code <Part>} of a CompleteMultipartUpload request. */
  private record ListedPart(int number, String etag, Map<S3Checksum, String> checksums) {}

  private SandboxResponse completeMultipartUpload(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    S3Store.Upload u = upload(r, b, t);
    String ifMatch = r.header("if-match");
    boolean ifNoneMatchStar = writeCondition(r);
    Element root = S3Wire.parseXml(payload(r, false).data(), "CompleteMultipartUpload");
    List<ListedPart> listed = new ArrayList<>();
    for (Element e : S3Wire.children(root, "Part")) {
      String n = S3Wire.childText(e, "PartNumber");
      String etag = S3Wire.childText(e, "ETag");
      if (n == null || etag == null) {
        throw S3Errors.malformedXml();
      }
      int number;
      try {
        number = Integer.parseInt(n.trim());
      } catch (NumberFormatException ex) {
        throw S3Errors.malformedXml();
      }
      Map<S3Checksum, String> sums = new EnumMap<>(S3Checksum.class);
      for (S3Checksum c : S3Checksum.values()) {
        String v = S3Wire.childText(e, c.member());
        if (v != null) {
          sums.put(c, v.trim());
        }
      }
      listed.add(new ListedPart(number, etag.trim(), sums));
    }
    if (listed.isEmpty()) {
      throw S3Errors.malformedXml();
    }
    store.checkWrite(b, t.key(), ifMatch, ifNoneMatchStar);
    S3Object o;
    synchronized (u) {
      if (u.done) {
        throw S3Errors.noSuchUpload(u.id);
      }
      List<S3Store.Part> parts = selectParts(u, listed);
      List<Long> sizes = new ArrayList<>();
      byte[] md5s = new byte[16 * parts.size()];
      for (int i = 0; i < parts.size(); i++) {
        S3Store.Part p = parts.get(i);
        sizes.add(p.blob().size());
        System.arraycopy(S3Checksum.unhex(unquote(p.etag())), 0, md5s, 16 * i, 16);
        if (i < parts.size() - 1 && p.blob().size() < MIN_PART_SIZE) {
          throw S3Errors.error(
              400,
              "EntityTooSmall",
              "Your proposed upload is smaller than the minimum allowed size",
              "ProposedSize",
              String.valueOf(p.blob().size()),
              "MinSizeAllowed",
              String.valueOf(MIN_PART_SIZE),
              "PartNumber",
              String.valueOf(p.number()),
              "ETag",
              unquote(p.etag()));
        }
      }
      String etag = "\"" + S3Checksum.hex(S3Checksum.md5(md5s)) + "-" + parts.size() + "\"";
      S3Checksum algorithm = u.checksum == null ? S3Checksum.CRC64NVME : u.checksum;
      String type = u.checksum == null ? S3Checksum.FULL_OBJECT : u.checksumType;
      boolean composite = type.equals(S3Checksum.COMPOSITE);
      S3Store.Assembled a = store.assemble(b, parts, composite ? null : algorithm);
      String value;
      if (composite) {
        byte[] raw = new byte[algorithm.length() * parts.size()];
        for (int i = 0; i < parts.size(); i++) {
          byte[] d = Base64.getDecoder().decode(parts.get(i).checksumValue());
          System.arraycopy(d, 0, raw, algorithm.length() * i, algorithm.length());
        }
        value = algorithm.base64(raw) + "-" + parts.size();
      } else {
        value = Base64.getEncoder().encodeToString(a.digest());
        String claimed = r.header(algorithm.header());
        if (u.checksum != null && claimed != null && !claimed.trim().equals(value)) {
          store.discard(a.blob());
          throw S3Errors.badDigest(algorithm);
        }
      }
      o =
          new S3Object(
              t.key(),
              a.blob(),
              etag,
              S3Store.now(),
              u.attrs,
              algorithm,
              value,
              type,
              List.copyOf(sizes));
      store.put(b, o, ifMatch, ifNoneMatchStar);
      store.finish(u);
    }
    String host = r.header("host") == null ? "127.0.0.1" : r.header("host");
    Xml x =
        new Xml()
            .open("CompleteMultipartUploadResult", NS)
            .element("Location", "http://" + host + "/" + b.name + "/" + S3Wire.pathEncode(t.key()))
            .element("Bucket", b.name)
            .element("Key", t.key())
            .element("ETag", o.etag())
            .element(o.checksum().member(), o.checksumValue())
            .element("ChecksumType", o.checksumType())
            .close("CompleteMultipartUploadResult");
    return xml(200, x).header("x-amz-server-side-encryption", o.attrs().sse());
  }

  /**
   * The stored parts a Complete request names, checked as S3 checks them: ascending part numbers
   * (InvalidPartOrder), each uploaded with that ETag and checksum (InvalidPart), and every part's
   * checksum listed when the upload was created with a composite checksum algorithm.
   */
  private static List<S3Store.Part> selectParts(S3Store.Upload u, List<ListedPart> listed) {
    List<S3Store.Part> parts = new ArrayList<>();
    int previous = 0;
    for (ListedPart l : listed) {
      if (l.number() <= previous) {
        throw S3Errors.error(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. Parts must be ordered by part number.",
            "UploadId",
            u.id);
      }
      previous = l.number();
      S3Store.Part p = u.parts.get(l.number());
      if (p == null || !unquote(l.etag()).equals(unquote(p.etag()))) {
        throw S3Errors.invalidPart();
      }
      if (p.checksum() != null) {
        String given = l.checksums().get(p.checksum());
        if (given == null) {
          if (u.checksum != null && S3Checksum.COMPOSITE.equals(u.checksumType)) {
            throw S3Errors.invalidRequest(
                "The upload was created using a "
                    + u.checksum.lowerName()
                    + " checksum. The complete request must include the checksum for each part."
                    + " It was missing for part "
                    + l.number()
                    + " in the request.");
          }
          if (u.checksum == null) {
            // A part sent with a checksum to an upload created without one (what the SDKs do by
            // default since 2025): S3 then wants that checksum in the Complete request.
            throw S3Errors.invalidPart();
          }
        } else if (!given.equals(p.checksumValue())) {
          throw S3Errors.invalidPart();
        }
      }
      parts.add(p);
    }
    return parts;
  }

  private SandboxResponse abortMultipartUpload(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    store.abort(upload(r, b, t));
    return SandboxResponse.empty(204);
  }

  private SandboxResponse listParts(SandboxRequest r, Target t) {
    S3Store.Bucket b = bucketFor(r, t);
    S3Store.Upload u = upload(r, b, t);
    Map<String, String> q = r.query();
    int max = 1000;
    if (q.get("max-parts") != null) {
      max = Math.min(1000, parseInt(q.get("max-parts"), "max-parts", 0, Integer.MAX_VALUE));
    }
    int marker = 0;
    if (q.get("part-number-marker") != null) {
      marker = parseInt(q.get("part-number-marker"), "part-number-marker", 0, Integer.MAX_VALUE);
    }
    List<S3Store.Part> parts = new ArrayList<>(u.parts.tailMap(marker, false).values());
    boolean truncated = parts.size() > max;
    if (truncated) {
      parts = parts.subList(0, max);
    }
    Xml x =
        new Xml()
            .open("ListPartsResult", NS)
            .element("Bucket", b.name)
            .element("Key", t.key())
            .element("UploadId", u.id)
            .element("PartNumberMarker", marker);
    if (!parts.isEmpty()) {
      x.element("NextPartNumberMarker", parts.get(parts.size() - 1).number());
    }
    x.element("MaxParts", max).element("IsTruncated", truncated);
    for (S3Store.Part p : parts) {
      x.open("Part")
          .element("PartNumber", p.number())
          .element("LastModified", S3Wire.isoDate(p.lastModified()))
          .element("ETag", p.etag())
          .element("Size", p.blob().size());
      if (p.checksum() != null) {
        x.element(p.checksum().member(), p.checksumValue());
      }
      x.close("Part");
    }
    x.open("Initiator")
        .element("ID", OWNER_ID)
        .close("Initiator")
        .open("Owner")
        .element("ID", OWNER_ID)
        .close("Owner")
        .element("StorageClass", u.attrs.storageClass());
    if (u.checksum != null) {
      x.element("ChecksumAlgorithm", u.checksum.name()).element("ChecksumType", u.checksumType);
    }
    return xml(200, x.close("ListPartsResult"));
  }

  private static SandboxResponse xml(int status, Xml x) {
    return SandboxResponse.of(
        status, "application/xml", x.toString().getBytes(StandardCharsets.UTF_8));
  }
}
