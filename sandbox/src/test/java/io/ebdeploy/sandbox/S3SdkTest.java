package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** The sandbox's S3 through the real AWS SDK for Java v2, as eb-deploy and its users drive it. */
class S3SdkTest {
  private static LocalBeanstalk sandbox;
  private static S3Client s3;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @BeforeAll
  static void start() {
    sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
    s3 = S3Clients.client(sandbox.endpoint(), Region.US_EAST_1);
  }

  @AfterAll
  static void stop() {
    s3.close();
    sandbox.close();
  }

  /** A fresh bucket for one test. */
  private static String bucket() {
    String name = "sdk-test-" + BUCKETS.incrementAndGet();
    s3.createBucket(b -> b.bucket(name));
    return name;
  }

  private static void put(String bucket, String key, String body) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
  }

  private static String get(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  /** Uploads one part as the SDK does (with a CRC32) and returns it as Complete lists it. */
  private static CompletedPart uploadPart(
      String bucket, String key, String uploadId, int number, RequestBody body) {
    UploadPartResponse r =
        s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number), body);
    return CompletedPart.builder()
        .partNumber(number)
        .eTag(r.eTag())
        .checksumCRC32(r.checksumCRC32())
        .build();
  }

  private static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  // ---- buckets ----

  @Test
  void createBucket_new_listedWithRegionAndCreationDate() {
    String name = bucket();

    assertThat(s3.listBuckets().buckets())
        .anySatisfy(
            b -> {
              assertThat(b.name()).isEqualTo(name);
              assertThat(b.bucketRegion()).isEqualTo("us-east-1");
              assertThat(b.creationDate()).isBeforeOrEqualTo(Instant.now());
            });
    assertThat(s3.headBucket(b -> b.bucket(name)).bucketRegion()).isEqualTo("us-east-1");
  }

  @Test
  void createBucket_existingInUsEast1_succeedsAsLegacyS3Does() {
    String name = bucket();

    s3.createBucket(b -> b.bucket(name));

    assertThat(s3.listBuckets().buckets()).filteredOn(b -> b.name().equals(name)).hasSize(1);
  }

  @Test
  void createBucket_existingInOtherRegion_bucketAlreadyOwnedByYou() {
    try (S3Client eu = S3Clients.client(sandbox.endpoint(), Region.EU_CENTRAL_1)) {
      eu.createBucket(b -> b.bucket("sdk-eu-owned"));

      assertThatThrownBy(() -> eu.createBucket(b -> b.bucket("sdk-eu-owned")))
          .isInstanceOf(BucketAlreadyOwnedByYouException.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(409));
    }
  }

  @Test
  void createBucket_reservedPrefix_invalidBucketName() {
    // The SDK refuses most bad names itself; a reserved prefix is for S3 to refuse.
    assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("xn--reserved-prefix")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidBucketName"));
  }

  @Test
  void getBucketLocation_bucketsInTwoRegions_answersEachRegion() {
    String east = bucket();
    try (S3Client eu = S3Clients.client(sandbox.endpoint(), Region.EU_CENTRAL_1)) {
      eu.createBucket(b -> b.bucket("sdk-eu-located"));

      assertThat(eu.getBucketLocation(b -> b.bucket("sdk-eu-located")).locationConstraint())
          .isEqualTo(BucketLocationConstraint.EU_CENTRAL_1);
      assertThat(s3.getBucketLocation(b -> b.bucket(east)).locationConstraintAsString())
          .isNullOrEmpty();
      assertThat(sandbox.calls())
          .anySatisfy(c -> assertThat(c.action()).isEqualTo("GetBucketLocation"));
    }
  }

  @Test
  void getObject_bucketInOtherRegion_authorizationHeaderMalformed() {
    try (S3Client eu = S3Clients.client(sandbox.endpoint(), Region.EU_CENTRAL_1);
        S3Client west = S3Clients.client(sandbox.endpoint(), Region.US_WEST_2)) {
      eu.createBucket(b -> b.bucket("sdk-eu-region-check"));

      assertThatThrownBy(() -> west.listObjectsV2(b -> b.bucket("sdk-eu-region-check")))
          .isInstanceOf(S3Exception.class)
          .satisfies(
              e -> {
                S3Exception s = (S3Exception) e;
                assertThat(s.statusCode()).isEqualTo(400);
                assertThat(s.awsErrorDetails().errorCode())
                    .isEqualTo("AuthorizationHeaderMalformed");
              });
    }
  }

  @Test
  void headBucket_missing_noSuchBucketException() {
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("sdk-never-created")))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void deleteBucket_notEmpty_bucketNotEmpty() {
    String name = bucket();
    put(name, "k", "v");

    assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket(name)))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              assertThat(((S3Exception) e).statusCode()).isEqualTo(409);
              assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                  .isEqualTo("BucketNotEmpty");
            });
  }

  @Test
  void deleteBucket_empty_gone() {
    String name = bucket();

    s3.deleteBucket(b -> b.bucket(name));

    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(name)))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> put(name, "k", "v")).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void putBucketTagging_twoTags_readBack() {
    String name = bucket();

    s3.putBucketTagging(
        b ->
            b.bucket(name)
                .tagging(
                    t ->
                        t.tagSet(
                            Tag.builder().key("env").value("prod").build(),
                            Tag.builder().key("team").value("web").build())));

    assertThat(s3.getBucketTagging(b -> b.bucket(name)).tagSet())
        .extracting(Tag::key, Tag::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("env", "prod"),
            org.assertj.core.groups.Tuple.tuple("team", "web"));
  }

  @Test
  void getBucketTagging_none_noSuchTagSet() {
    String name = bucket();

    assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket(name)))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              assertThat(((S3Exception) e).statusCode()).isEqualTo(404);
              assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet");
            });
  }

  @Test
  void putBucketTagging_systemTag_invalidTag() {
    String name = bucket();

    assertThatThrownBy(
            () ->
                s3.putBucketTagging(
                    b ->
                        b.bucket(name)
                            .tagging(t -> t.tagSet(Tag.builder().key("aws:x").value("y").build()))))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidTag"));
  }

  // ---- PutObject ----

  @Test
  void putObject_defaultAwsChunkedWithCrc32Trailer_storesExactBytes() throws Exception {
    String name = bucket();
    byte[] data = random(300_000, 1); // several 128 KiB chunks

    PutObjectResponse put =
        s3.putObject(b -> b.bucket(name).key("chunked.bin"), RequestBody.fromBytes(data));

    assertThat(put.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
    assertThat(put.checksumCRC32()).isNotNull();
    assertThat(s3.getObjectAsBytes(b -> b.bucket(name).key("chunked.bin")).asByteArray())
        .isEqualTo(data);
    assertThat(sandbox.calls())
        .anySatisfy(
            c -> {
              assertThat(c.action()).isEqualTo("PutObject");
              assertThat(c.params()).containsEntry("Key", "chunked.bin");
              assertThat(c.params()).containsEntry("ContentLength", 300_000L);
            });
  }

  @Test
  void putObject_chunkedEncodingDisabled_storesExactBytes() throws Exception {
    String name = bucket();
    byte[] data = random(200_000, 2);
    try (S3Client plain =
        S3Clients.client(
            sandbox.endpoint(),
            Region.US_EAST_1,
            b ->
                b.serviceConfiguration(
                    S3Configuration.builder().chunkedEncodingEnabled(false).build()))) {

      PutObjectResponse put =
          plain.putObject(b -> b.bucket(name).key("plain.bin"), RequestBody.fromBytes(data));

      assertThat(put.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
      assertThat(plain.getObjectAsBytes(b -> b.bucket(name).key("plain.bin")).asByteArray())
          .isEqualTo(data);
    }
  }

  @Test
  void putObject_withoutChecksum_getsDefaultCrc64NvmeTheSdkValidates() {
    String name = bucket();
    try (S3Client noChecksums =
        S3Clients.client(
            sandbox.endpoint(),
            Region.US_EAST_1,
            b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED))) {
      noChecksums.putObject(b -> b.bucket(name).key("plain.txt"), RequestBody.fromString("abc"));

      ResponseBytes<GetObjectResponse> got =
          noChecksums.getObjectAsBytes(
              b -> b.bucket(name).key("plain.txt").checksumMode(ChecksumMode.ENABLED));

      assertThat(got.asUtf8String()).isEqualTo("abc");
      assertThat(got.response().checksumCRC64NVME()).isNotNull();
      assertThat(got.response().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }
  }

  @Test
  void putObject_sha256Checksum_storedAndReturned() {
    String name = bucket();

    PutObjectResponse put =
        s3.putObject(
            b -> b.bucket(name).key("sha.txt").checksumAlgorithm(ChecksumAlgorithm.SHA256),
            RequestBody.fromString("hello"));

    HeadObjectResponse head =
        s3.headObject(b -> b.bucket(name).key("sha.txt").checksumMode(ChecksumMode.ENABLED));
    assertThat(head.checksumSHA256())
        .isEqualTo(put.checksumSHA256())
        .isEqualTo("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
  }

  @Test
  void putObject_metadataAndContentHeaders_roundTripOnHeadAndGet() {
    String name = bucket();

    s3.putObject(
        b ->
            b.bucket(name)
                .key("meta.txt")
                .contentType("text/markdown")
                .contentEncoding("gzip")
                .cacheControl("max-age=60")
                .contentDisposition("attachment; filename=\"x.md\"")
                .contentLanguage("fr")
                .metadata(Map.of("version", "1.2.3", "deployed-by", "ci")),
        RequestBody.fromString("# hi"));

    HeadObjectResponse head = s3.headObject(b -> b.bucket(name).key("meta.txt"));
    assertThat(head.contentType()).isEqualTo("text/markdown");
    assertThat(head.contentEncoding()).isEqualTo("gzip");
    assertThat(head.cacheControl()).isEqualTo("max-age=60");
    assertThat(head.contentDisposition()).isEqualTo("attachment; filename=\"x.md\"");
    assertThat(head.contentLanguage()).isEqualTo("fr");
    assertThat(head.contentLength()).isEqualTo(4);
    assertThat(head.metadata())
        .containsEntry("version", "1.2.3")
        .containsEntry("deployed-by", "ci");
    assertThat(head.serverSideEncryptionAsString()).isEqualTo("AES256");
    GetObjectResponse got = s3.getObjectAsBytes(b -> b.bucket(name).key("meta.txt")).response();
    assertThat(got.metadata()).isEqualTo(head.metadata());
    assertThat(got.eTag()).isEqualTo(head.eTag());
    assertThat(got.lastModified()).isEqualTo(head.lastModified());
  }

  @Test
  void putObject_wrongContentMd5_badDigest() {
    String name = bucket();
    String wrongMd5 = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(name).key("k").contentMD5(wrongMd5),
                    RequestBody.fromString("data")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              assertThat(((S3Exception) e).statusCode()).isEqualTo(400);
              assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("BadDigest");
            });
    assertThatThrownBy(() -> get(name, "k")).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void putObject_wrongCrc32Value_badDigest() {
    String name = bucket();

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(name).key("k").checksumCRC32("AAAAAA=="),
                    RequestBody.fromString("data")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
  }

  @Test
  void putObject_malformedCrc32cValue_invalidRequest() {
    String name = bucket();

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(name).key("k").checksumCRC32C("not-base64!"),
                    RequestBody.fromString("data")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidRequest"));
  }

  @Test
  void putObject_ifNoneMatchStarOnExistingKey_preconditionFailed() {
    String name = bucket();
    put(name, "lock", "first");

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(name).key("lock").ifNoneMatch("*"),
                    RequestBody.fromString("second")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              assertThat(((S3Exception) e).statusCode()).isEqualTo(412);
              assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                  .isEqualTo("PreconditionFailed");
            });
    assertThat(get(name, "lock")).isEqualTo("first");
  }

  @Test
  void putObject_concurrentIfNoneMatchStar_exactlyOneWins() throws Exception {
    String name = bucket();
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String body = "writer-" + i;
        Callable<Boolean> attempt =
            () -> {
              go.await();
              try {
                s3.putObject(
                    b -> b.bucket(name).key("deploy.lock").ifNoneMatch("*"),
                    RequestBody.fromString(body));
                return true;
              } catch (S3Exception e) {
                assertThat(e.statusCode()).isEqualTo(412);
                return false;
              }
            };
        results.add(pool.submit(attempt));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> f : results) {
        winners += f.get() ? 1 : 0;
      }

      assertThat(winners).isEqualTo(1);
      assertThat(get(name, "deploy.lock")).startsWith("writer-");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void putObject_ifMatchWithStaleEtag_preconditionFailed() {
    String name = bucket();
    String etag = s3.putObject(b -> b.bucket(name).key("k"), RequestBody.fromString("1")).eTag();
    put(name, "k", "2");

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(name).key("k").ifMatch(etag), RequestBody.fromString("3")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
    assertThat(get(name, "k")).isEqualTo("2");
  }

  // ---- GetObject / HeadObject ----

  @Test
  void getObject_range_partialContentWithContentRange() {
    String name = bucket();
    put(name, "digits", "0123456789");

    ResponseBytes<GetObjectResponse> mid =
        s3.getObjectAsBytes(b -> b.bucket(name).key("digits").range("bytes=2-5"));
    ResponseBytes<GetObjectResponse> open =
        s3.getObjectAsBytes(b -> b.bucket(name).key("digits").range("bytes=7-"));
    ResponseBytes<GetObjectResponse> beyond =
        s3.getObjectAsBytes(b -> b.bucket(name).key("digits").range("bytes=8-100"));

    assertThat(mid.asUtf8String()).isEqualTo("2345");
    assertThat(mid.response().contentRange()).isEqualTo("bytes 2-5/10");
    assertThat(mid.response().contentLength()).isEqualTo(4);
    assertThat(open.asUtf8String()).isEqualTo("789");
    assertThat(beyond.asUtf8String()).isEqualTo("89");
  }

  @Test
  void getObject_suffixRange_lastBytes() {
    String name = bucket();
    put(name, "digits", "0123456789");

    ResponseBytes<GetObjectResponse> tail =
        s3.getObjectAsBytes(b -> b.bucket(name).key("digits").range("bytes=-3"));
    ResponseBytes<GetObjectResponse> all =
        s3.getObjectAsBytes(b -> b.bucket(name).key("digits").range("bytes=-50"));

    assertThat(tail.asUtf8String()).isEqualTo("789");
    assertThat(tail.response().contentRange()).isEqualTo("bytes 7-9/10");
    assertThat(all.asUtf8String()).isEqualTo("0123456789");
  }

  @Test
  void getObject_rangePastEnd_invalidRange416() {
    String name = bucket();
    put(name, "digits", "0123456789");

    assertThatThrownBy(
            () -> s3.getObjectAsBytes(b -> b.bucket(name).key("digits").range("bytes=10-20")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              assertThat(((S3Exception) e).statusCode()).isEqualTo(416);
              assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
            });
  }

  @Test
  void getObject_missingKey_noSuchKeyException() {
    String name = bucket();

    assertThatThrownBy(() -> get(name, "nope"))
        .isInstanceOf(NoSuchKeyException.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
  }

  @Test
  void headObject_missingKey_noSuchKeyException() {
    String name = bucket();

    assertThatThrownBy(() -> s3.headObject(b -> b.bucket(name).key("nope")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void getObject_missingBucket_noSuchBucketException() {
    assertThatThrownBy(() -> get("sdk-no-such-bucket", "k"))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void getObject_ifNoneMatchCurrentEtag_notModified() {
    String name = bucket();
    String etag = s3.putObject(b -> b.bucket(name).key("k"), RequestBody.fromString("v")).eTag();

    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(name).key("k").ifNoneMatch(etag)))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(304));
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(name).key("k").ifMatch("\"x\"")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
  }

  @Test
  void getObject_responseOverrides_headersReplaced() {
    String name = bucket();
    put(name, "k", "v");

    GetObjectResponse got =
        s3.getObjectAsBytes(
                b ->
                    b.bucket(name)
                        .key("k")
                        .responseContentType("application/json")
                        .responseContentDisposition("inline"))
            .response();

    assertThat(got.contentType()).isEqualTo("application/json");
    assertThat(got.contentDisposition()).isEqualTo("inline");
  }

  // ---- keys ----

  @Test
  void putObject_specialCharacterKeys_roundTripExactly() {
    String name = bucket();
    List<String> keys =
        List.of(
            "with space/and+plus.txt",
            "percent%20literal%zz",
            "hash#and?question&amp=eq",
            "unicode/é中文🚀",
            "tilde~star*(parens)!'",
            "a//double/slash",
            "trailing/");

    for (String key : keys) {
      put(name, key, "body of " + key);
    }

    for (String key : keys) {
      assertThat(get(name, key)).isEqualTo("body of " + key);
    }
    assertThat(s3.listObjectsV2(b -> b.bucket(name)).contents())
        .extracting(S3Object::key)
        .containsExactlyInAnyOrderElementsOf(keys);
    assertThat(
            s3.listObjectsV2(b -> b.bucket(name).encodingType("url")).contents().stream()
                .map(S3Object::key)
                .toList())
        .containsExactlyInAnyOrderElementsOf(keys);
  }

  // ---- listings ----

  @Test
  void listObjectsV2_delimiter_commonPrefixesAndTopLevelKeys() {
    String name = bucket();
    for (String k : List.of("a.txt", "dir1/x", "dir1/y", "dir2/sub/z", "z.txt")) {
      put(name, k, k);
    }

    ListObjectsV2Response root = s3.listObjectsV2(b -> b.bucket(name).delimiter("/"));
    ListObjectsV2Response dir2 =
        s3.listObjectsV2(b -> b.bucket(name).delimiter("/").prefix("dir2/"));

    assertThat(root.contents()).extracting(S3Object::key).containsExactly("a.txt", "z.txt");
    assertThat(root.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("dir1/", "dir2/");
    assertThat(root.keyCount()).isEqualTo(4);
    assertThat(dir2.contents()).isEmpty();
    assertThat(dir2.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("dir2/sub/");
  }

  @Test
  void listObjectsV2_paginator_visitsEveryKeyOnceAcrossPages() {
    String name = bucket();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String key = String.format("k%02d", i);
      expected.add(key);
      put(name, key, "v");
    }

    List<String> seen = new ArrayList<>();
    int pages = 0;
    for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(name).maxKeys(5))) {
      pages++;
      page.contents().forEach(o -> seen.add(o.key()));
    }

    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void listObjectsV2_paginatorWithDelimiter_eachCommonPrefixOnce() {
    String name = bucket();
    for (String d : List.of("a", "b", "c", "d")) {
      for (int i = 0; i < 3; i++) {
        put(name, d + "/" + i, "v");
      }
      put(name, d + "-file", "v");
    }

    List<String> prefixes = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (ListObjectsV2Response page :
        s3.listObjectsV2Paginator(b -> b.bucket(name).delimiter("/").maxKeys(3))) {
      page.commonPrefixes().forEach(p -> prefixes.add(p.prefix()));
      page.contents().forEach(o -> keys.add(o.key()));
    }

    assertThat(prefixes).containsExactly("a/", "b/", "c/", "d/");
    assertThat(keys).containsExactly("a-file", "b-file", "c-file", "d-file");
  }

  @Test
  void listObjectsV2_startAfterAndPrefix_onlyLaterKeys() {
    String name = bucket();
    for (String k : List.of("logs/1", "logs/2", "logs/3", "other")) {
      put(name, k, "v");
    }

    ListObjectsV2Response r =
        s3.listObjectsV2(b -> b.bucket(name).prefix("logs/").startAfter("logs/1"));

    assertThat(r.contents()).extracting(S3Object::key).containsExactly("logs/2", "logs/3");
    assertThat(r.startAfter()).isEqualTo("logs/1");
  }

  @Test
  void listObjectsV2_badContinuationToken_invalidArgument() {
    String name = bucket();

    assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(name).continuationToken("garbage!!")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidArgument"));
  }

  @Test
  void listObjects_v1Marker_pagesWithNextMarker() {
    String name = bucket();
    for (String k : List.of("a/1", "a/2", "b", "c/1")) {
      put(name, k, "v");
    }

    var first = s3.listObjects(b -> b.bucket(name).delimiter("/").maxKeys(2));
    var second =
        s3.listObjects(b -> b.bucket(name).delimiter("/").maxKeys(2).marker(first.nextMarker()));

    assertThat(first.isTruncated()).isTrue();
    assertThat(first.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/");
    assertThat(first.contents()).extracting(S3Object::key).containsExactly("b");
    assertThat(first.nextMarker()).isEqualTo("b");
    assertThat(second.isTruncated()).isFalse();
    assertThat(second.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("c/");
  }

  // ---- copy and delete ----

  @Test
  void copyObject_copyDirective_keepsMetadataAndContent() {
    String name = bucket();
    s3.putObject(
        b -> b.bucket(name).key("src").contentType("text/x-src").metadata(Map.of("a", "1")),
        RequestBody.fromString("payload"));

    CopyObjectResponse copy =
        s3.copyObject(
            b ->
                b.sourceBucket(name)
                    .sourceKey("src")
                    .destinationBucket(name)
                    .destinationKey("dir with space/copy+1"));

    HeadObjectResponse head = s3.headObject(b -> b.bucket(name).key("dir with space/copy+1"));
    assertThat(get(name, "dir with space/copy+1")).isEqualTo("payload");
    assertThat(head.contentType()).isEqualTo("text/x-src");
    assertThat(head.metadata()).containsEntry("a", "1");
    assertThat(copy.copyObjectResult().eTag()).isEqualTo(head.eTag());
  }

  @Test
  void copyObject_replaceDirective_usesNewMetadata() {
    String name = bucket();
    s3.putObject(
        b -> b.bucket(name).key("src").metadata(Map.of("a", "1")), RequestBody.fromString("x"));

    s3.copyObject(
        b ->
            b.sourceBucket(name)
                .sourceKey("src")
                .destinationBucket(name)
                .destinationKey("src")
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType("text/plain")
                .metadata(Map.of("b", "2")));

    HeadObjectResponse head = s3.headObject(b -> b.bucket(name).key("src"));
    assertThat(head.metadata()).containsOnlyKeys("b");
    assertThat(head.contentType()).isEqualTo("text/plain");
  }

  @Test
  void copyObject_ontoItselfUnchanged_invalidRequest() {
    String name = bucket();
    put(name, "same", "x");

    assertThatThrownBy(
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket(name)
                            .sourceKey("same")
                            .destinationBucket(name)
                            .destinationKey("same")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidRequest"));
  }

  @Test
  void copyObject_missingSource_noSuchKey() {
    String name = bucket();

    assertThatThrownBy(
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket(name)
                            .sourceKey("missing")
                            .destinationBucket(name)
                            .destinationKey("dst")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void deleteObject_missingKey_succeeds() {
    String name = bucket();
    put(name, "k", "v");

    s3.deleteObject(b -> b.bucket(name).key("k"));
    s3.deleteObject(b -> b.bucket(name).key("k"));

    assertThatThrownBy(() -> get(name, "k")).isInstanceOf(NoSuchKeyException.class);
    assertThat(sandbox.calls())
        .filteredOn(c -> c.action().equals("DeleteObject"))
        .extracting(SandboxCall::status)
        .contains(204);
  }

  @Test
  void deleteObjects_verboseAndQuiet_deleteAllAndReportAsAsked() {
    String name = bucket();
    for (String k : List.of("a", "b", "c", "d")) {
      put(name, k, "v");
    }

    DeleteObjectsResponse verbose =
        s3.deleteObjects(
            b ->
                b.bucket(name)
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("a").build(),
                                ObjectIdentifier.builder().key("b").build(),
                                ObjectIdentifier.builder().key("never-existed").build())));
    DeleteObjectsResponse quiet =
        s3.deleteObjects(
            b ->
                b.bucket(name)
                    .delete(
                        d ->
                            d.quiet(true)
                                .objects(
                                    ObjectIdentifier.builder().key("c").build(),
                                    ObjectIdentifier.builder().key("d").build())));

    assertThat(verbose.deleted())
        .extracting(x -> x.key())
        .containsExactly("a", "b", "never-existed");
    assertThat(quiet.deleted()).isEmpty();
    assertThat(quiet.errors()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket(name)).contents()).isEmpty();
  }

  // ---- multipart ----

  @Test
  void multipartUpload_threePartsWithPartChecksums_etagIsMd5OfPartMd5s() throws Exception {
    String name = bucket();
    byte[] p1 = random(5 * 1024 * 1024, 11);
    byte[] p2 = random(5 * 1024 * 1024, 12);
    byte[] p3 = random(1234, 13);
    String id = s3.createMultipartUpload(b -> b.bucket(name).key("big.zip")).uploadId();

    List<CompletedPart> parts = new ArrayList<>();
    int n = 1;
    for (byte[] p : List.of(p1, p2, p3)) {
      parts.add(uploadPart(name, "big.zip", id, n++, RequestBody.fromBytes(p)));
    }
    ListPartsResponse listed = s3.listParts(b -> b.bucket(name).key("big.zip").uploadId(id));
    CompleteMultipartUploadResponse done =
        s3.completeMultipartUpload(
            b -> b.bucket(name).key("big.zip").uploadId(id).multipartUpload(m -> m.parts(parts)));

    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (byte[] p : List.of(p1, p2, p3)) {
      md5.update(MessageDigest.getInstance("MD5").digest(p));
    }
    String expected = "\"" + HexFormat.of().formatHex(md5.digest()) + "-3\"";
    assertThat(listed.parts()).hasSize(3);
    assertThat(listed.parts().get(2).size()).isEqualTo(1234);
    assertThat(done.eTag()).isEqualTo(expected);
    byte[] all = s3.getObjectAsBytes(b -> b.bucket(name).key("big.zip")).asByteArray();
    assertThat(all).hasSize(p1.length + p2.length + p3.length);
    assertThat(md5Hex(all)).isEqualTo(md5Hex(concat(p1, p2, p3)));
    assertThat(s3.headObject(b -> b.bucket(name).key("big.zip")).eTag()).isEqualTo(expected);
    GetObjectResponse part2 =
        s3.getObjectAsBytes(b -> b.bucket(name).key("big.zip").partNumber(2)).response();
    assertThat(part2.partsCount()).isEqualTo(3);
    assertThat(part2.contentLength()).isEqualTo(p2.length);
  }

  @Test
  void multipartUpload_crc32CompositeChecksum_returnedWithPartCount() {
    String name = bucket();
    String id =
        s3.createMultipartUpload(
                b -> b.bucket(name).key("c").checksumAlgorithm(ChecksumAlgorithm.CRC32))
            .uploadId();
    UploadPartResponse r =
        s3.uploadPart(
            b ->
                b.bucket(name)
                    .key("c")
                    .uploadId(id)
                    .partNumber(1)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32),
            RequestBody.fromString("only part"));

    CompleteMultipartUploadResponse done =
        s3.completeMultipartUpload(
            b ->
                b.bucket(name)
                    .key("c")
                    .uploadId(id)
                    .multipartUpload(
                        m ->
                            m.parts(
                                CompletedPart.builder()
                                    .partNumber(1)
                                    .eTag(r.eTag())
                                    .checksumCRC32(r.checksumCRC32())
                                    .build())));

    assertThat(done.checksumCRC32()).endsWith("-1");
    assertThat(done.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
    // The SDK skips validating composite checksums: the download still works.
    assertThat(
            s3.getObjectAsBytes(b -> b.bucket(name).key("c").checksumMode(ChecksumMode.ENABLED))
                .asUtf8String())
        .isEqualTo("only part");
  }

  @Test
  void completeMultipartUpload_smallNonLastPart_entityTooSmall() {
    String name = bucket();
    String id = s3.createMultipartUpload(b -> b.bucket(name).key("k")).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      parts.add(uploadPart(name, "k", id, i, RequestBody.fromString("tiny " + i)));
    }

    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b -> b.bucket(name).key("k").uploadId(id).multipartUpload(m -> m.parts(parts))))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("EntityTooSmall"));
  }

  @Test
  void completeMultipartUpload_partsOutOfOrder_invalidPartOrder() {
    String name = bucket();
    String id = s3.createMultipartUpload(b -> b.bucket(name).key("k")).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      parts.add(0, uploadPart(name, "k", id, i, RequestBody.fromString("p" + i)));
    }

    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b -> b.bucket(name).key("k").uploadId(id).multipartUpload(m -> m.parts(parts))))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidPartOrder"));
  }

  @Test
  void completeMultipartUpload_wrongEtag_invalidPart() {
    String name = bucket();
    String id = s3.createMultipartUpload(b -> b.bucket(name).key("k")).uploadId();
    UploadPartResponse r =
        s3.uploadPart(
            b -> b.bucket(name).key("k").uploadId(id).partNumber(1), RequestBody.fromString("p"));

    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket(name)
                            .key("k")
                            .uploadId(id)
                            .multipartUpload(
                                m ->
                                    m.parts(
                                        CompletedPart.builder()
                                            .partNumber(1)
                                            .eTag("\"0123456789abcdef0123456789abcdef\"")
                                            .checksumCRC32(r.checksumCRC32())
                                            .build()))))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidPart"));
  }

  @Test
  void completeMultipartUpload_partChecksumLeftOut_invalidPart() {
    // Since 2025 the SDK sends a CRC32 with every part; S3 then wants it back in the Complete.
    String name = bucket();
    String id = s3.createMultipartUpload(b -> b.bucket(name).key("k")).uploadId();
    UploadPartResponse r =
        s3.uploadPart(
            b -> b.bucket(name).key("k").uploadId(id).partNumber(1), RequestBody.fromString("p"));

    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket(name)
                            .key("k")
                            .uploadId(id)
                            .multipartUpload(
                                m ->
                                    m.parts(
                                        CompletedPart.builder()
                                            .partNumber(1)
                                            .eTag(r.eTag())
                                            .build()))))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidPart"));
  }

  @Test
  void uploadPartCopy_rangesOfAnObject_assembleIntoACopy() {
    String name = bucket();
    byte[] data = random(6 * 1024 * 1024 + 10, 21);
    s3.putObject(b -> b.bucket(name).key("src"), RequestBody.fromBytes(data));
    String id = s3.createMultipartUpload(b -> b.bucket(name).key("dst")).uploadId();
    long split = 5L * 1024 * 1024;

    var first =
        s3.uploadPartCopy(
            b ->
                b.sourceBucket(name)
                    .sourceKey("src")
                    .destinationBucket(name)
                    .destinationKey("dst")
                    .uploadId(id)
                    .partNumber(1)
                    .copySourceRange("bytes=0-" + (split - 1)));
    var second =
        s3.uploadPartCopy(
            b ->
                b.sourceBucket(name)
                    .sourceKey("src")
                    .destinationBucket(name)
                    .destinationKey("dst")
                    .uploadId(id)
                    .partNumber(2)
                    .copySourceRange("bytes=" + split + "-" + (data.length - 1)));
    s3.completeMultipartUpload(
        b ->
            b.bucket(name)
                .key("dst")
                .uploadId(id)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder()
                                .partNumber(1)
                                .eTag(first.copyPartResult().eTag())
                                .build(),
                            CompletedPart.builder()
                                .partNumber(2)
                                .eTag(second.copyPartResult().eTag())
                                .build())));

    assertThat(s3.getObjectAsBytes(b -> b.bucket(name).key("dst")).asByteArray()).isEqualTo(data);
  }

  @Test
  void listMultipartUploads_inProgress_listedUntilCompletedOrAborted() {
    String name = bucket();
    String a = s3.createMultipartUpload(b -> b.bucket(name).key("a")).uploadId();
    String c = s3.createMultipartUpload(b -> b.bucket(name).key("c")).uploadId();

    var before = s3.listMultipartUploads(b -> b.bucket(name));
    s3.abortMultipartUpload(b -> b.bucket(name).key("a").uploadId(a));
    var after = s3.listMultipartUploads(b -> b.bucket(name));

    assertThat(before.uploads()).extracting(u -> u.uploadId()).containsExactly(a, c);
    assertThat(after.uploads()).extracting(u -> u.key()).containsExactly("c");
    assertThat(s3.getBucketVersioning(b -> b.bucket(name)).status()).isNull();
  }

  @Test
  void abortMultipartUpload_thenUploadPart_noSuchUpload() {
    String name = bucket();
    String id = s3.createMultipartUpload(b -> b.bucket(name).key("k")).uploadId();

    s3.abortMultipartUpload(b -> b.bucket(name).key("k").uploadId(id));

    assertThatThrownBy(
            () ->
                s3.uploadPart(
                    b -> b.bucket(name).key("k").uploadId(id).partNumber(1),
                    RequestBody.fromString("p")))
        .isInstanceOf(NoSuchUploadException.class);
    assertThatThrownBy(() -> s3.listParts(b -> b.bucket(name).key("k").uploadId(id)))
        .isInstanceOf(NoSuchUploadException.class);
  }

  @Test
  void uploadPart_withoutChecksumOnSha256Upload_checksumTypeMismatch() {
    String name = bucket();
    String id =
        s3.createMultipartUpload(
                b -> b.bucket(name).key("k").checksumAlgorithm(ChecksumAlgorithm.SHA256))
            .uploadId();
    try (S3Client noChecksums =
        S3Clients.client(
            sandbox.endpoint(),
            Region.US_EAST_1,
            b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED))) {

      assertThatThrownBy(
              () ->
                  noChecksums.uploadPart(
                      b -> b.bucket(name).key("k").uploadId(id).partNumber(1),
                      RequestBody.fromString("p")))
          .isInstanceOf(S3Exception.class)
          .hasMessageContaining("Checksum Type mismatch");
    }
  }

  // ---- errors and faults ----

  @Test
  void getBucketAcl_unsupported_notImplemented501() {
    String name = bucket();

    assertThatThrownBy(() -> s3.getBucketAcl(b -> b.bucket(name)))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              assertThat(((S3Exception) e).statusCode()).isEqualTo(501);
              assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                  .isEqualTo("NotImplemented");
            });
  }

  @Test
  void putObject_publicReadAcl_accessControlListNotSupported() {
    String name = bucket();

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(name).key("k").acl("public-read"), RequestBody.fromString("v")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("AccessControlListNotSupported"));
  }

  @Test
  void putObject_injectedThrottle_slowDown503() {
    String name = bucket();
    sandbox.inject(Fault.throttle(1.0).onService("s3").times(1));
    try {
      assertThatThrownBy(() -> put(name, "k", "v"))
          .isInstanceOf(S3Exception.class)
          .satisfies(
              e -> {
                S3Exception s = (S3Exception) e;
                assertThat(s.statusCode()).isEqualTo(503);
                assertThat(s.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                assertThat(s.isThrottlingException()).isTrue();
              });
    } finally {
      sandbox.clearFaults();
    }
    put(name, "k", "v");
    assertThat(get(name, "k")).isEqualTo("v");
  }

  @Test
  void putObjectTagging_replacingHeaderTags_readBack() {
    String name = bucket();
    s3.putObject(b -> b.bucket(name).key("k").tagging("a=1&b=two"), RequestBody.fromString("v"));

    assertThat(s3.headObject(b -> b.bucket(name).key("k")).metadata()).isEmpty();
    assertThat(s3.getObjectAsBytes(b -> b.bucket(name).key("k")).response().tagCount())
        .isEqualTo(2);
    assertThat(s3.getObjectTagging(b -> b.bucket(name).key("k")).tagSet())
        .extracting(Tag::key)
        .containsExactly("a", "b");
    s3.putObjectTagging(
        b ->
            b.bucket(name)
                .key("k")
                .tagging(t -> t.tagSet(Tag.builder().key("c").value("3").build())));
    assertThat(s3.getObjectTagging(b -> b.bucket(name).key("k")).tagSet())
        .extracting(Tag::key)
        .containsExactly("c");
    assertThat(get(name, "k")).isEqualTo("v");
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  @SuppressWarnings("unused")
  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
