package io.ebdeploy.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployConfig.CacheRule;
import io.ebdeploy.api.EbDeployException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * StaticSync against an S3 endpoint. Run twice: against the sandbox ({@link StaticSyncSandboxTest})
 * and against moto_server ({@link StaticSyncMotoTest}), an independent implementation, so that the
 * code is not merely fitted to our own emulator. Requests are counted on the client side ({@link
 * RequestLog}), which works the same against both.
 */
abstract class StaticSyncContract {
  static final String REGION = "eu-central-1";
  static final List<CacheRule> RULES =
      List.of(
          new CacheRule("**/*.[0-9a-f]{8,}.*", "public, max-age=31536000, immutable"),
          new CacheRule("**", "public, max-age=300"));
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir Path tmp;
  Path folder;
  final RequestLog log = new RequestLog();
  S3Client s3;
  String bucket;

  abstract URI endpoint();

  @BeforeEach
  void client() throws IOException {
    s3 =
        S3Client.builder()
            .endpointOverride(endpoint())
            .forcePathStyle(true)
            .region(Region.of(REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(o -> o.addExecutionInterceptor(log))
            // As eb-deploy's own client (AwsClients): checksums only where asked for.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .build();
    bucket = "assets-" + getClass().getSimpleName().toLowerCase() + "-" + BUCKETS.incrementAndGet();
    s3.createBucket(
        b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(REGION)));
    folder = Files.createDirectories(tmp.resolve("static"));
    log.clear();
  }

  @AfterEach
  void close() {
    s3.close();
  }

  StaticSync.Builder sync() {
    return StaticSync.builder(s3)
        .dir(folder)
        .bucket(bucket)
        .prefix("static")
        .cache(RULES)
        .scope("staging")
        .concurrency(4);
  }

  Path write(String rel, String content) throws IOException {
    Path p = folder.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  String read(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  HeadObjectResponse head(String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key));
  }

  List<String> keys() {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  List<String> assetKeys() {
    return keys().stream().filter(k -> !k.contains("/.eb-deploy/")).toList();
  }

  /** A deploy of {@code label}: plan, upload, release. */
  AssetsResult release(StaticSync sync, String label) {
    StaticSync.Plan plan = sync.plan();
    return plan.release(label, plan.upload(true));
  }

  @Test
  void sync_firstRun_uploadsEveryFileWithItsTypeAndCacheControlAndNoAcl() throws IOException {
    write("css/site.3f2c9e1a8b7d.css", "body{}");
    write("js/app.js", "console.log(1)");
    write("js/mod.0123abcd.mjs", "export {}");
    write("js/app.js.map", "{}");
    write("img/logo.svg", "<svg/>");
    write("fonts/inter.woff2", "w2");
    write("data.json", "{}");
    write("app.wasm", "\0asm");
    write("site.webmanifest", "{}");
    write("README", "no extension");

    AssetsResult r = sync().build().sync(false);
    List<String> operations = log.operations();

    assertThat(r.files()).isEqualTo(10);
    assertThat(r.added()).isEqualTo(10);
    assertThat(r.uploaded()).isEqualTo(10);
    assertThat(r.skipped()).isZero();
    assertThat(r.deleted()).isZero();
    assertThat(r.notDeleted()).hasValueSatisfying(s -> assertThat(s).contains("deletes nothing"));
    assertThat(r.uploadedBytes()).isEqualTo(r.bytes());
    assertThat(head("static/css/site.3f2c9e1a8b7d.css").contentType())
        .isEqualTo("text/css; charset=utf-8");
    assertThat(head("static/css/site.3f2c9e1a8b7d.css").cacheControl())
        .isEqualTo("public, max-age=31536000, immutable");
    assertThat(head("static/js/mod.0123abcd.mjs").contentType())
        .isEqualTo("text/javascript; charset=utf-8");
    assertThat(head("static/js/app.js").cacheControl()).isEqualTo("public, max-age=300");
    assertThat(head("static/js/app.js.map").contentType())
        .isEqualTo("application/json; charset=utf-8");
    assertThat(head("static/img/logo.svg").contentType()).isEqualTo("image/svg+xml");
    assertThat(head("static/fonts/inter.woff2").contentType()).isEqualTo("font/woff2");
    assertThat(head("static/app.wasm").contentType()).isEqualTo("application/wasm");
    assertThat(head("static/site.webmanifest").contentType())
        .isEqualTo("application/manifest+json; charset=utf-8");
    assertThat(head("static/README").contentType()).isEqualTo("application/octet-stream");
    assertThat(head("static/js/app.js").metadata()).containsKey("md5");
    assertThat(read("static/js/app.js")).isEqualTo("console.log(1)");
    assertThat(log.requests)
        .allSatisfy(
            req ->
                assertThat(req.headers().keySet())
                    .noneMatch(
                        h ->
                            h.toLowerCase().startsWith("x-amz-grant")
                                || h.equalsIgnoreCase("x-amz-acl")));
    // On its own, with files to upload: one pending manifest, no deletion.
    assertThat(operations).filteredOn("PutObject"::equals).hasSize(11);
    assertThat(operations).doesNotContain("DeleteObject", "DeleteObjects", "HeadObject");
  }

  @Test
  void sync_again_skipsEveryFileWithOneListingAndNoWrite() throws IOException {
    for (int i = 0; i < 30; i++) {
      write("f/" + i + ".txt", "file " + i);
    }
    sync().build().sync(false);
    log.clear();

    AssetsResult again = sync().build().sync(false);

    assertThat(again.uploaded()).isZero();
    assertThat(again.skipped()).isEqualTo(30);
    assertThat(log.writes()).isEmpty();
    assertThat(log.operations()).containsExactly("ListObjectsV2");
  }

  @Test
  void release_listedInParallelRanges_seesEveryObjectWhateverItsPlace() throws IOException {
    // Fan out at once, as against a slow S3: several ranges, several pages each.
    listEveryObject(Duration.ZERO);

    assertThat(listings()).filteredOn(q -> q.containsKey("start-after")).hasSize(3);
  }

  @Test
  void release_listedPageByPage_seesEveryObjectWhateverItsPlace() throws IOException {
    // Never fan out, as against a local endpoint: one page after the other.
    listEveryObject(Duration.ofHours(1));

    assertThat(listings()).hasSizeGreaterThan(5).noneMatch(q -> q.containsKey("start-after"));
  }

  private List<java.util.Map<String, List<String>>> listings() {
    return log.requests.stream()
        .filter(r -> r.operation().equals("ListObjectsV2"))
        .map(RequestLog.Request::query)
        .toList();
  }

  /** Releases local files among strays, listing with this fan-out threshold. */
  private void listEveryObject(Duration fanOut) throws IOException {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 45; i++) {
      names.add(String.format("d%d/f%02d.css", i % 3, i));
    }
    names.add("ü/x.css");
    names.add("\uD83D\uDE00/emoji.css"); // above U+FFFF: S3 and Java order differ
    names.add("\uFB01/ligature.css"); // below it: sorts after the emoji in Java, before in S3
    for (String n : names) {
      write(n, n);
    }
    // Objects no release references, before, between and after the local keys.
    List<String> strays =
        List.of(
            "!first", "d0/f00.cssx", "d1/zz", "d2/f44.css.bak", "zzz", "\uD83D\uDE01", "\uFB02");
    for (String k : strays) {
      s3.putObject(
          b -> b.bucket(bucket).key("static/" + k),
          software.amazon.awssdk.core.sync.RequestBody.fromString(k));
    }
    StaticSync sync = sync().keepReleases(1).listPage(10).listFanOut(fanOut).build();
    log.clear();

    AssetsResult r = release(sync, "v1");

    assertThat(r.added()).isEqualTo(names.size());
    assertThat(r.deleted()).isEqualTo(strays.size());
    assertThat(assetKeys())
        .containsExactlyInAnyOrderElementsOf(names.stream().map(n -> "static/" + n).toList());
  }

  @Test
  void sync_sameSizeEditWithAnOlderMtime_isUploaded() throws IOException {
    Path f = write("css/site.css", "body{color:red}");
    sync().build().sync(false);
    Files.writeString(f, "body{color:tan}");
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));

    AssetsResult r = sync().build().sync(false);

    assertThat(r.changed()).isEqualTo(1);
    assertThat(read("static/css/site.css")).isEqualTo("body{color:tan}");
  }

  @Test
  void sync_dryRun_countsAndWritesNothing() throws IOException {
    write("a.css", "a");
    write("b.css", "b");
    sync().build().sync(false);
    write("b.css", "B!");
    write("c.css", "c");
    log.clear();

    AssetsResult r = sync().build().sync(true);

    assertThat(r.dryRun()).isTrue();
    assertThat(r.added()).isEqualTo(1);
    assertThat(r.changed()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(r.uploadedBytes()).isEqualTo(3);
    assertThat(log.writes()).isEmpty();
    assertThat(read("static/b.css")).isEqualTo("b");
  }

  @Test
  void sync_namesWithSpacesUnicodePlusPercentHash_roundTripExactly() throws IOException {
    List<String> names =
        List.of(
            "a b/c d.txt",
            "ünï/cödé – ☃.css",
            "日本語/ファイル.js",
            "plus+sign.txt",
            "100% sure.txt",
            "hash#tag.txt",
            "q?mark&amp=1.txt",
            "~tilde'quote\".txt");
    for (String n : names) {
      write(n, "content of " + n);
    }

    AssetsResult first = sync().build().sync(false);
    AssetsResult again = sync().build().sync(false);

    assertThat(first.added()).isEqualTo(names.size());
    assertThat(again.skipped()).isEqualTo(names.size());
    assertThat(assetKeys())
        .containsExactlyInAnyOrderElementsOf(names.stream().map(n -> "static/" + n).toList());
    for (String n : names) {
      assertThat(read("static/" + n)).isEqualTo("content of " + n);
    }
  }

  @Test
  void sync_namesWithSpacesUnicodePlusPercentHash_listedExactlyByTheAwsCli() throws IOException {
    Tools.require("aws", "the key round trip is checked with 'aws s3 ls'");
    List<String> names =
        List.of("a b/c d.txt", "ünï/cödé ☃.css", "plus+sign.txt", "100% sure.txt", "hash#tag.txt");
    for (String n : names) {
      write(n, "x");
    }
    sync().build().sync(false);

    String ls =
        Tools.aws(endpoint(), REGION, "s3", "ls", "--recursive", "s3://" + bucket + "/static/")
            .assertOk()
            .stdout();

    List<String> listed =
        ls.lines()
            .map(l -> l.split("\\s+", 4)[3])
            .filter(k -> !k.contains("/.eb-deploy/"))
            .sorted()
            .toList();
    assertThat(listed)
        .containsExactlyElementsOf(names.stream().map(n -> "static/" + n).sorted().toList());
  }

  @Test
  void sync_sameSizeEditWithAnOlderMtime_awsS3SyncMissesItAndOursUploadsIt() throws IOException {
    Tools.require("aws", "the side-by-side test runs 'aws s3 sync'");
    Path f = write("js/app.js", "version-1");
    Tools.aws(endpoint(), REGION, "s3", "sync", folder.toString(), "s3://" + bucket + "/cli/")
        .assertOk();
    sync().prefix("ours").build().sync(false);
    Files.writeString(f, "version-2"); // same size
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));

    Tools.Result cli =
        Tools.aws(endpoint(), REGION, "s3", "sync", folder.toString(), "s3://" + bucket + "/cli/")
            .assertOk();
    AssetsResult ours = sync().prefix("ours").build().sync(false);

    assertThat(cli.stdout()).doesNotContain("upload:");
    assertThat(read("cli/js/app.js")).isEqualTo("version-1"); // aws s3 sync: missed
    assertThat(ours.changed()).isEqualTo(1);
    assertThat(read("ours/js/app.js")).isEqualTo("version-2"); // ours: uploaded
  }

  @Test
  void sync_fileAbovePartSize_goesInPartsAndIsComparedByItsStoredHash() throws IOException {
    byte[] big = new byte[6 * 1024 * 1024 + 123];
    new Random(7).nextBytes(big);
    Files.write(folder.resolve("video.mp4"), big);
    write("small.txt", "s");
    StaticSync sync = sync().partSize(5L * 1024 * 1024).build();

    AssetsResult first = sync.sync(false);

    assertThat(first.added()).isEqualTo(2);
    assertThat(log.count("CreateMultipartUpload")).isEqualTo(1);
    assertThat(log.count("UploadPart")).isEqualTo(2);
    HeadObjectResponse h = head("static/video.mp4");
    assertThat(h.eTag()).contains("-2");
    assertThat(h.contentType()).isEqualTo("video/mp4");
    assertThat(h.contentLength()).isEqualTo(big.length);
    log.clear();

    // On its own there is no release manifest: one HEAD reads the stored hash.
    AssetsResult again = sync.sync(false);
    assertThat(again.skipped()).isEqualTo(2);
    assertThat(log.count("HeadObject")).isEqualTo(1);
    assertThat(log.writes()).isEmpty();

    // After a release its manifest knows the ETag: no HEAD at all.
    release(sync, "v1");
    log.clear();
    assertThat(sync.sync(false).skipped()).isEqualTo(2);
    assertThat(log.operations()).doesNotContain("HeadObject");
    assertThat(log.writes()).isEmpty();

    big[0] ^= 1;
    Files.write(folder.resolve("video.mp4"), big);
    assertThat(sync.sync(false).changed()).isEqualTo(1);
  }

  @Test
  void sync_precompressedSiblings_getContentEncodingAndTheOriginalsType() throws IOException {
    write("js/app.1234abcd.js", "x");
    write("js/app.1234abcd.js.gz", "gz");
    write("js/app.1234abcd.js.br", "br");
    write("downloads/data.tar.gz", "archive"); // no sibling: an archive

    sync().precompressed(true).build().sync(false);

    HeadObjectResponse gz = head("static/js/app.1234abcd.js.gz");
    assertThat(gz.contentEncoding()).isEqualTo("gzip");
    assertThat(gz.contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(gz.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
    assertThat(head("static/js/app.1234abcd.js.br").contentEncoding()).isEqualTo("br");
    HeadObjectResponse archive = head("static/downloads/data.tar.gz");
    assertThat(archive.contentEncoding()).isNull();
    assertThat(archive.contentType()).isEqualTo("application/gzip");
    assertThat(head("static/js/app.1234abcd.js").contentEncoding()).isNull();
  }

  @Test
  void release_keepTwo_deletesOnlyWhatNeitherOfTheLastTwoReleasesReferences() throws IOException {
    // Uploaded before eb-deploy managed the prefix: no manifest references it.
    s3.putObject(
        b -> b.bucket(bucket).key("static/old-before-eb-deploy.css"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("legacy"));
    StaticSync sync = sync().keepReleases(2).build();
    write("a.css", "a");
    write("b.css", "b");

    AssetsResult v1 = release(sync, "v1");
    assertThat(v1.deleted()).isZero();
    assertThat(v1.notDeleted()).hasValueSatisfying(s -> assertThat(s).contains("1 of 2"));
    assertThat(v1.manifest()).contains("static/.eb-deploy/releases/staging/v1.json");

    Files.delete(folder.resolve("b.css"));
    write("c.css", "c");
    AssetsResult v2 = release(sync, "v2");
    assertThat(v2.deleted()).isEqualTo(1); // the legacy file: in neither v1 nor v2
    assertThat(assetKeys()).containsExactly("static/a.css", "static/b.css", "static/c.css");

    Files.delete(folder.resolve("c.css"));
    write("d.css", "d");
    StaticSync.Plan plan = sync.plan();
    assertThat(plan.preview(Optional.of("v3")).deleted()).isEqualTo(1); // b, only in v1
    log.clear();
    AssetsResult v3 = plan.release("v3", plan.upload(true));

    assertThat(v3.deleted()).isEqualTo(1);
    assertThat(v3.deletedBytes()).isEqualTo(1);
    assertThat(v3.notDeleted()).isEmpty();
    assertThat(assetKeys()).containsExactly("static/a.css", "static/c.css", "static/d.css");
    assertThat(keys())
        .filteredOn(k -> k.contains("/.eb-deploy/"))
        .containsExactly(
            "static/.eb-deploy/releases/staging/v2.json",
            "static/.eb-deploy/releases/staging/v3.json");
    assertThat(log.count("DeleteObjects")).isEqualTo(1);
  }

  @Test
  void release_anotherGroupsReleasesAndPendingSyncs_protectTheirFiles() throws IOException {
    StaticSync staging = sync().keepReleases(1).build();
    StaticSync production = sync().keepReleases(1).scope("production").build();
    write("shared.css", "s");
    write("prod-only.css", "p");
    release(production, "v1");
    Files.delete(folder.resolve("prod-only.css"));
    write("pending-only.css", "q");
    StaticSync.Plan pending = sync().scope("review").build().plan();
    pending.upload(true); // a sync in progress elsewhere: its release has not come
    Files.delete(folder.resolve("pending-only.css"));
    write("staging-only.css", "t");

    AssetsResult r = release(staging, "v2");

    assertThat(r.deleted()).isZero();
    assertThat(assetKeys())
        .contains("static/prod-only.css", "static/pending-only.css", "static/staging-only.css");
  }

  @Test
  void release_deleteNever_writesTheManifestAndDeletesNothing() throws IOException {
    write("a.css", "a");
    StaticSync sync = sync().keepReleases(1).deleteAfterRelease(false).build();
    release(sync, "v1");
    Files.delete(folder.resolve("a.css"));
    write("b.css", "b");

    AssetsResult r = release(sync, "v2");

    assertThat(r.deleted()).isZero();
    assertThat(r.notDeleted()).contains("static.delete is never");
    assertThat(assetKeys()).containsExactly("static/a.css", "static/b.css");
    assertThat(log.operations()).doesNotContain("DeleteObjects");
  }

  @Test
  void release_cacheRuleChanged_updatesHeadersInPlaceWithoutUpload() throws IOException {
    write("js/app.js", "x");
    write("css/site.css", "y");
    release(sync().build(), "v1");
    log.clear();
    StaticSync changedRules =
        sync().cache(List.of(new CacheRule("js/**", "no-cache"), RULES.get(1))).build();

    AssetsResult r = changedRules.sync(false);

    assertThat(r.headersUpdated()).isEqualTo(1);
    assertThat(r.uploaded()).isZero();
    assertThat(log.count("CopyObject")).isEqualTo(1);
    assertThat(head("static/js/app.js").cacheControl()).isEqualTo("no-cache");
    assertThat(head("static/js/app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(read("static/js/app.js")).isEqualTo("x");
  }

  @Test
  void plan_missingFolder_isRefusedBeforeAnyRequest() {
    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class, () -> sync().dir(tmp.resolve("nope"), "nope").build().plan());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains("static.dir").contains("does not exist").contains("nope");
    assertThat(log.requests).isEmpty();
  }

  @Test
  void plan_unknownBucket_isInvalidInputNamingIt() throws IOException {
    write("a.css", "a");

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class, () -> sync().bucket("no-such-bucket-xyz").build().plan());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains("no-such-bucket-xyz").contains("does not exist");
    assertThat(log.writes()).isEmpty();
  }

  @Test
  void upload_noWritePermission_isInvalidInputBeforeAnyFile() throws IOException {
    write("a.css", "a");
    StaticSync.Plan plan = sync().build().plan();
    log.denied = op -> op.equals("PutObject");

    EbDeployException e = catchThrowableOfType(EbDeployException.class, () -> plan.upload(true));

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage())
        .contains("no permission to write")
        .contains("s3:PutObject")
        .contains(bucket);
    assertThat(log.count("PutObject")).isEqualTo(1); // the pending manifest, refused
    assertThat(keys()).isEmpty();
  }

  @Test
  void upload_noDeletePermission_isInvalidInputBeforeAnyFile() throws IOException {
    write("a.css", "a");
    StaticSync.Plan plan = sync().build().plan();
    log.denied = op -> op.startsWith("Delete");

    EbDeployException e = catchThrowableOfType(EbDeployException.class, () -> plan.upload(true));

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains("DeleteObject").contains("s3:DeleteObject");
    assertThat(assetKeys()).isEmpty();
  }

  @Test
  void plan_topLevelEbDeployFolder_isRefused() throws IOException {
    write(".eb-deploy/x.json", "{}");

    EbDeployException e =
        catchThrowableOfType(EbDeployException.class, () -> sync().build().plan());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains(".eb-deploy");
  }

  /** Helper for subclasses' extra assertions. */
  static String joined(List<String> lines) {
    return lines.stream().collect(Collectors.joining("\n"));
  }
}
