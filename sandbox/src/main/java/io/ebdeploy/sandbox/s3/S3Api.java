package io.ebdeploy.sandbox.s3;

import static java.util.Map.entry;

import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.ServiceApi;
import io.ebdeploy.sandbox.service.Xml;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * S3 over path-style (and {@code BUCKET.localhost}) addressing, as the AWS SDKs and the AWS CLI
 * speak it: buckets, tagging, objects with checksums and conditions, listings, copies and multipart
 * uploads, with S3's own error codes. Signatures are not verified: any credentials do.
 */
public final class S3Api implements ServiceApi {
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
  private final BucketOperations buckets;
  private final ObjectOperations objects;
  private final ListOperations lists;
  private final TaggingOperations tagging;
  private final MultipartOperations multipart;

  public S3Api(SandboxContext context) {
    this.store = new S3Store(context);
    this.buckets = new BucketOperations(store);
    this.objects = new ObjectOperations(store, buckets);
    this.lists = new ListOperations(store, buckets);
    this.tagging = new TaggingOperations(store, buckets);
    this.multipart = new MultipartOperations(store, buckets);
  }

  public S3Store store() {
    return store;
  }

  @Override
  public String service() {
    return "s3";
  }

  @Override
  public String action(SandboxRequest r) {
    Target t = Target.of(r);
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
      Target t = Target.of(r);
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
    Target t = Target.of(r);
    return switch (action) {
      case "ListBuckets" -> buckets.listBuckets(r);
      case "CreateBucket" -> buckets.createBucket(r, t);
      case "HeadBucket" -> buckets.headBucket(r, t);
      case "DeleteBucket" -> buckets.deleteBucket(r, t);
      case "GetBucketLocation" -> buckets.getBucketLocation(r, t);
      case "PutBucketTagging" -> tagging.putBucketTagging(r, t);
      case "GetBucketTagging" -> tagging.getBucketTagging(r, t);
      case "DeleteBucketTagging" -> tagging.deleteBucketTagging(r, t);
      case "GetBucketVersioning" -> buckets.getBucketVersioning(r, t);
      case "ListObjects" -> lists.listObjects(r, t, false);
      case "ListObjectsV2" -> lists.listObjects(r, t, true);
      case "ListMultipartUploads" -> lists.listMultipartUploads(r, t);
      case "DeleteObjects" -> objects.deleteObjects(r, t);
      case "PutObject" -> objects.putObject(r, t);
      case "GetObject" -> objects.getObject(r, t, false);
      case "HeadObject" -> objects.getObject(r, t, true);
      case "DeleteObject" -> objects.deleteObject(r, t);
      case "CopyObject" -> objects.copyObject(r, t);
      case "GetObjectTagging" -> tagging.getObjectTagging(r, t);
      case "PutObjectTagging" -> tagging.putObjectTagging(r, t);
      case "DeleteObjectTagging" -> tagging.deleteObjectTagging(r, t);
      case "CreateMultipartUpload" -> multipart.createMultipartUpload(r, t);
      case "UploadPart" -> multipart.uploadPart(r, t, false);
      case "UploadPartCopy" -> multipart.uploadPart(r, t, true);
      case "CompleteMultipartUpload" -> multipart.completeMultipartUpload(r, t);
      case "AbortMultipartUpload" -> multipart.abortMultipartUpload(r, t);
      case "ListParts" -> multipart.listParts(r, t);
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
      resource = Target.of(r).resource();
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
}
