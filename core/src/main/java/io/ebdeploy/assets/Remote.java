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
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Remote.class);

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
   * What a refusal of the first listing means for the bucket: unknown (404), not ours (403), in a
   * region these clients cannot reach (301/400 with x-amz-bucket-region). There is no separate
   * HeadBucket: the listing needs the same permission and answers the same errors.
   */
  static EbDeployException bucketError(String bucket, SdkException e) {
    if (e instanceof NoSuchBucketException) {
      return unknownBucket(bucket, e);
    }
    if (e instanceof AwsServiceException a) {
      String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
      if (a.statusCode() == 404 && (code == null || code.equals("NoSuchBucket"))) {
        return unknownBucket(bucket, e);
      }
      if (a.statusCode() == 403) {
        return new EbDeployException(
            EbDeployException.Kind.INVALID_INPUT,
            "static.bucket: no access to the bucket "
                + bucket
                + " (ListObjectsV2 answered "
                + S3Failures.detail(a)
                + "): it belongs to another account, or these credentials lack s3:ListBucket on"
                + " arn:aws:s3:::"
                + bucket,
            e);
      }
      if (a.statusCode() == 301 || a.statusCode() == 400) {
        String region =
            a.awsErrorDetails() == null || a.awsErrorDetails().sdkHttpResponse() == null
                ? null
                : a.awsErrorDetails()
                    .sdkHttpResponse()
                    .firstMatchingHeader("x-amz-bucket-region")
                    .orElse(null);
        if (region != null) {
          return new EbDeployException(
              EbDeployException.Kind.INVALID_INPUT,
              "static.bucket: the bucket "
                  + bucket
                  + " is in region "
                  + region
                  + ", not the region these clients use (ListObjectsV2 answered "
                  + a.statusCode()
                  + ")",
              e);
        }
      }
    }
    return S3Failures.awsError("ListObjectsV2 s3://" + bucket, e);
  }

  private static EbDeployException unknownBucket(String bucket, Exception cause) {
    return new EbDeployException(
        EbDeployException.Kind.INVALID_INPUT,
        "static.bucket: the bucket "
            + bucket
            + " does not exist (ListObjectsV2 answered NoSuchBucket); create it, or fix"
            + " static.bucket in eb-deploy.yml",
        cause);
  }

  /** Keys per listing stream: one ListObjectsV2 page. */
  static final int PAGE = 1000;

  /**
   * A page that took the service this long (request sent to first byte back, without reading and
   * parsing the answer) makes the listing fan out: S3 itself is the bottleneck then, and parallel
   * ranges hide its latency. Below it (a local endpoint answers in a few milliseconds) the client's
   * own parsing is, and parallel ranges would only compete with it for the CPU.
   */
  static final Duration FAN_OUT = Duration.ofMillis(50);

  /**
   * Everything under the prefix, with URL-encoded keys so that any name survives the XML. Paged
   * from the start on this thread; as soon as a page shows that S3 is slow to answer (see {@link
   * #FAN_OUT}), the rest of the key space is cut at local keys ({@code localKeys}, about one page
   * apart) and each range is paged on its own from {@code start-after} until it passes its end, in
   * parallel: against S3, 5,000 keys take the time of one or two pages instead of five in a row.
   * The ranges are disjoint and cover every key, whatever is in the bucket.
   */
  static Listing list(
      S3Client s3,
      String bucket,
      Layout layout,
      List<String> localKeys,
      int streams,
      int page,
      Duration fanOut,
      ExecutorService pool) {
    List<String> bounds = boundaries(localKeys, streams, page);
    List<List<S3Object>> parts = new ArrayList<>();
    List<Future<List<S3Object>>> futures = new ArrayList<>();
    List<S3Object> first = new ArrayList<>();
    String upTo = null;
    Page p = page(s3, bucket, layout, null, null, null, page, first);
    while (p.next() != null) {
      if (upTo == null && !bounds.isEmpty() && p.serviceTime().compareTo(fanOut) >= 0) {
        String last = first.get(first.size() - 1).key();
        List<String> ahead = bounds.stream().filter(b -> compareUtf8(b, last) > 0).toList();
        if (!ahead.isEmpty()) {
          LOG.debug(
              "listing s3://{}/{}: a page took the service {} ms; {} more ranges in parallel",
              bucket,
              layout.prefix(),
              p.serviceTime().toMillis(),
              ahead.size());
          upTo = ahead.get(0);
          for (int i = 0; i < ahead.size(); i++) {
            String after = ahead.get(i);
            String end = i + 1 < ahead.size() ? ahead.get(i + 1) : null;
            futures.add(pool.submit(() -> range(s3, bucket, layout, after, end, page)));
          }
        }
      }
      p = page(s3, bucket, layout, null, p.next(), upTo, page, first);
    }
    parts.add(first);
    for (Future<List<S3Object>> f : futures) {
      parts.add(Parallel.get(f));
    }
    Map<String, RemoteObject> assets = new LinkedHashMap<>();
    List<ManifestRef> manifests = new ArrayList<>();
    String meta = Layout.META;
    for (List<S3Object> part : parts) {
      for (S3Object o : part) {
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
    }
    return new Listing(assets, manifests);
  }

  /** Up to {@code streams - 1} keys, about a page apart, in S3's order, cutting the key space. */
  static List<String> boundaries(List<String> keys, int streams, int page) {
    int ranges = Math.min(streams, keys.size() / page);
    if (ranges < 2) {
      return List.of();
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(Remote::compareUtf8);
    List<String> bounds = new ArrayList<>();
    for (int i = 1; i < ranges; i++) {
      String key = sorted.get(i * sorted.size() / ranges);
      if (bounds.isEmpty() || compareUtf8(bounds.get(bounds.size() - 1), key) < 0) {
        bounds.add(key);
      }
    }
    return bounds;
  }

  /** S3's key order: UTF-8 bytes, which is code point order (not Java's UTF-16 order). */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** The keys after {@code after} (exclusive) up to {@code upTo} (inclusive); null: no bound. */
  private static List<S3Object> range(
      S3Client s3, String bucket, Layout layout, String after, String upTo, int page) {
    List<S3Object> out = new ArrayList<>();
    Page p = page(s3, bucket, layout, after, null, upTo, page, out);
    while (p.next() != null) {
      p = page(s3, bucket, layout, after, p.next(), upTo, page, out);
    }
    return out;
  }

  /** One page's outcome: the next page's token (null when the range is done), the service time. */
  private record Page(String next, Duration serviceTime) {}

  /** One ListObjectsV2 page into {@code out}. */
  private static Page page(
      S3Client s3,
      String bucket,
      Layout layout,
      String after,
      String token,
      String upTo,
      int page,
      List<S3Object> out) {
    AtomicReference<Duration> service = new AtomicReference<>(Duration.ZERO);
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder()
            .bucket(bucket)
            .encodingType(EncodingType.URL)
            .maxKeys(page)
            .continuationToken(token)
            .overrideConfiguration(o -> o.addMetricPublisher(serviceTime(service)));
    if (!layout.prefix().isEmpty()) {
      request.prefix(layout.prefix());
    }
    if (after != null && token == null) {
      request.startAfter(after);
    }
    ListObjectsV2Response response;
    try {
      response = s3.listObjectsV2(request.build());
    } catch (SdkException e) {
      throw bucketError(bucket, e);
    }
    for (S3Object o : response.contents()) {
      if (upTo != null && compareUtf8(o.key(), upTo) > 0) {
        return new Page(null, service.get());
      }
      out.add(o);
    }
    String next =
        Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
    return new Page(next == null || next.isEmpty() ? null : next, service.get());
  }

  /** Keeps the last attempt's service call duration (sending to the first byte of the answer). */
  private static MetricPublisher serviceTime(AtomicReference<Duration> into) {
    return new MetricPublisher() {
      @Override
      public void publish(MetricCollection call) {
        for (MetricCollection attempt : call.children()) {
          attempt.metricValues(CoreMetric.SERVICE_CALL_DURATION).forEach(into::set);
        }
      }

      @Override
      public void close() {}
    };
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
