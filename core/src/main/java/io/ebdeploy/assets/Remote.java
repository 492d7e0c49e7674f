package io.ebdeploy.assets;

import io.ebdeploy.api.EbDeployException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What is in the bucket under the prefix: one paginated ListObjectsV2 (1,000 keys a page), never a
 * HEAD per file, and eb-deploy's manifests.
 */
final class Remote {
  /** An object under the prefix. {@code etag} without quotes. */
  record RemoteObject(String rel, String key, String etag, long size, Instant lastModified) {
    /** True for a single-part upload's ETag, which is the content's MD5 (without SSE-KMS). */
    boolean etagIsMd5() {
      return etag.length() == 32 && etag.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
  }

  /** A manifest object found in the listing. */
  record ManifestRef(String key, boolean released, String scope, Instant lastModified) {}

  /** The listing: assets by relative path, and manifests. */
  record Listing(Map<String, RemoteObject> assets, List<ManifestRef> manifests) {}

  private Remote() {}

  /**
   * HeadBucket: the bucket exists and these credentials may list it.
   *
   * @throws EbDeployException INVALID_INPUT when it does not exist or is not ours to read
   */
  static void checkBucket(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      throw unknownBucket(bucket, e);
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        throw unknownBucket(bucket, e);
      }
      if (e.statusCode() == 403) {
        throw EbDeployException.invalidInput(
            "static.bucket: no access to the bucket "
                + bucket
                + " (HeadBucket answered 403): it belongs to another account, or these credentials"
                + " lack s3:ListBucket on arn:aws:s3:::"
                + bucket);
      }
      if (e.statusCode() == 301 || e.statusCode() == 400) {
        String region =
            e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
                ? null
                : e.awsErrorDetails()
                    .sdkHttpResponse()
                    .firstMatchingHeader("x-amz-bucket-region")
                    .orElse(null);
        if (region != null) {
          throw EbDeployException.invalidInput(
              "static.bucket: the bucket "
                  + bucket
                  + " is in region "
                  + region
                  + ", which these clients cannot reach (HeadBucket answered "
                  + e.statusCode()
                  + ")");
        }
      }
      throw S3Failures.awsError("HeadBucket " + bucket, e);
    } catch (SdkException e) {
      throw S3Failures.awsError("HeadBucket " + bucket, e);
    }
  }

  private static EbDeployException unknownBucket(String bucket, Exception cause) {
    return new EbDeployException(
        EbDeployException.Kind.INVALID_INPUT,
        "static.bucket: the bucket "
            + bucket
            + " does not exist (HeadBucket answered 404); create it, or fix static.bucket in"
            + " eb-deploy.yml",
        cause);
  }

  /** Everything under the prefix, with URL-encoded keys so that any name survives the XML. */
  static Listing list(S3Client s3, String bucket, Layout layout) {
    Map<String, RemoteObject> assets = new LinkedHashMap<>();
    List<ManifestRef> manifests = new ArrayList<>();
    String meta = Layout.META;
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder().bucket(bucket).encodingType(EncodingType.URL);
    if (!layout.prefix().isEmpty()) {
      request.prefix(layout.prefix());
    }
    String token = null;
    do {
      ListObjectsV2Request r = request.continuationToken(token).build();
      ListObjectsV2Response page =
          S3Failures.call(
              "ListObjectsV2 s3://" + bucket + "/" + layout.prefix(), () -> s3.listObjectsV2(r));
      for (S3Object o : page.contents()) {
        String rel = layout.relative(o.key()).orElse(null);
        if (rel == null) {
          continue;
        }
        Instant modified = o.lastModified() == null ? Instant.EPOCH : o.lastModified();
        if (rel.startsWith(meta)) {
          manifestRef(o.key(), rel.substring(meta.length()), modified).ifPresent(manifests::add);
        } else {
          assets.put(
              rel,
              new RemoteObject(
                  rel, o.key(), unquote(o.eTag()), o.size() == null ? -1 : o.size(), modified));
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null && !token.isEmpty());
    return new Listing(assets, manifests);
  }

  private static Optional<ManifestRef> manifestRef(String key, String inMeta, Instant modified) {
    boolean released = inMeta.startsWith(Layout.RELEASES);
    boolean pending = inMeta.startsWith(Layout.PENDING);
    if (!(released || pending) || !inMeta.endsWith(".json")) {
      return Optional.empty();
    }
    String rest = inMeta.substring((released ? Layout.RELEASES : Layout.PENDING).length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
      return Optional.empty();
    }
    return Optional.of(new ManifestRef(key, released, rest.substring(0, slash), modified));
  }

  static String unquote(String etag) {
    if (etag == null) {
      return "";
    }
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  /** The manifests that count, read. */
  record Manifests(
      Map<String, Manifest> byKey, Map<String, List<String>> releasedByScope, List<String> errors) {
    /**
     * What released manifests record for each path, newest release first. Pending manifests are
     * left out: they say what a sync meant to upload, not what it did.
     */
    Map<String, List<Manifest.Entry>> releasedEntries() {
      Map<String, List<Manifest.Entry>> out = new HashMap<>();
      byKey.values().stream()
          .filter(m -> Manifest.RELEASED.equals(m.state()))
          .sorted(Comparator.comparing(Manifest::time).reversed())
          .forEach(
              m ->
                  m.files()
                      .forEach(
                          (rel, e) -> out.computeIfAbsent(rel, k -> new ArrayList<>()).add(e)));
      return out;
    }
  }

  /**
   * Reads the manifests that count: each scope's {@code keep} newest released ones and, with {@code
   * pending}, the pending ones younger than {@code pendingTtl}, in parallel. S3 keeps LastModified
   * to the second, so releases written in the same second are all read and ordered by the time
   * inside them. Unreadable ones are listed in {@code errors}, so that nothing is deleted on their
   * account.
   */
  static Manifests readManifests(
      S3Client s3,
      String bucket,
      List<ManifestRef> refs,
      int keep,
      Instant now,
      Duration pendingTtl,
      boolean pending,
      ExecutorService pool) {
    Map<String, List<ManifestRef>> released = new HashMap<>();
    List<ManifestRef> selected = new ArrayList<>();
    for (ManifestRef r : refs) {
      if (r.released()) {
        released.computeIfAbsent(r.scope(), k -> new ArrayList<>()).add(r);
      } else if (pending && r.lastModified().isAfter(now.minus(pendingTtl))) {
        selected.add(r);
      }
    }
    Map<String, List<ManifestRef>> newestFirst = new HashMap<>();
    for (Map.Entry<String, List<ManifestRef>> e : released.entrySet()) {
      List<ManifestRef> newest =
          e.getValue().stream()
              .sorted(
                  Comparator.comparing(ManifestRef::lastModified, Comparator.reverseOrder())
                      .thenComparing(ManifestRef::key))
              .toList();
      newestFirst.put(e.getKey(), newest);
      Instant cutoff = newest.get(Math.min(keep, newest.size()) - 1).lastModified();
      newest.stream().filter(r -> !r.lastModified().isBefore(cutoff)).forEach(selected::add);
    }
    Map<String, Future<Manifest>> futures = new LinkedHashMap<>();
    for (ManifestRef r : selected) {
      futures.put(r.key(), pool.submit(() -> read(s3, bucket, r.key())));
    }
    Map<String, Manifest> byKey = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Future<Manifest>> e : futures.entrySet()) {
      try {
        Manifest m = Parallel.get(e.getValue());
        if (m != null) {
          byKey.put(e.getKey(), m);
        }
      } catch (ManifestUnreadable u) {
        errors.add(e.getKey() + ": " + u.getMessage());
      }
    }
    Map<String, List<String>> releasedByScope = new HashMap<>();
    newestFirst.forEach(
        (scope, refsOfScope) -> {
          List<String> order = new ArrayList<>();
          refsOfScope.stream()
              .map(ManifestRef::key)
              .filter(byKey::containsKey)
              .sorted(
                  Comparator.comparing((String k) -> byKey.get(k).time(), Comparator.reverseOrder())
                      .thenComparing(Comparator.naturalOrder()))
              .forEach(order::add);
          refsOfScope.stream()
              .map(ManifestRef::key)
              .filter(k -> !byKey.containsKey(k))
              .forEach(order::add);
          releasedByScope.put(scope, order);
        });
    return new Manifests(byKey, releasedByScope, errors);
  }

  /** A manifest that is there but cannot be parsed. */
  static final class ManifestUnreadable extends RuntimeException {
    ManifestUnreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One manifest; null when it vanished since the listing (deleted by a concurrent prune). */
  static Manifest read(S3Client s3, String bucket, String key) {
    byte[] bytes;
    try {
      bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    } catch (SdkException e) {
      throw S3Failures.awsError("GetObject s3://" + bucket + "/" + key, e);
    }
    try {
      return Manifest.parse(bytes);
    } catch (IOException e) {
      throw new ManifestUnreadable(e.getMessage(), e);
    }
  }

  static void write(S3Client s3, String bucket, String key, Manifest manifest) {
    byte[] json = manifest.toJson();
    s3.putObject(
        b ->
            b.bucket(bucket)
                .key(key)
                .contentType("application/json")
                .cacheControl("no-store")
                .contentMD5(java.util.Base64.getEncoder().encodeToString(md5(json))),
        RequestBody.fromBytes(json));
  }

  /** x-amz-meta-md5 of an object (written by eb-deploy on every upload); null when absent. */
  static String metaMd5(S3Client s3, String bucket, String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return head.metadata().get("md5");
    } catch (NoSuchKeyException e) {
      return null;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw S3Failures.awsError("HeadObject s3://" + bucket + "/" + key, e);
    } catch (SdkException e) {
      throw S3Failures.awsError("HeadObject s3://" + bucket + "/" + key, e);
    }
  }

  static byte[] md5(byte[] bytes) {
    return LocalScan.md5().digest(bytes);
  }
}
