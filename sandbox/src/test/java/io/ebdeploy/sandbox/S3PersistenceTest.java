package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** S3 state under a state directory survives a restart of the sandbox. */
class S3PersistenceTest {
  @TempDir Path state;

  private LocalBeanstalk start() {
    return LocalBeanstalk.builder().timeScale(0.001).stateDir(state).start();
  }

  @Test
  void restart_sameStateDir_keepsBucketsTagsObjectsAndUploads() {
    byte[] big = new byte[5 * 1024 * 1024 + 3];
    new Random(7).nextBytes(big);
    String etag;
    String uploadId;
    String partEtag;
    String partCrc;
    try (LocalBeanstalk sandbox = start();
        S3Client s3 = S3Clients.client(sandbox.endpoint(), Region.EU_CENTRAL_1)) {
      s3.createBucket(b -> b.bucket("persisted"));
      s3.putBucketTagging(
          b ->
              b.bucket("persisted")
                  .tagging(t -> t.tagSet(Tag.builder().key("env").value("staging").build())));
      etag =
          s3.putObject(
                  b ->
                      b.bucket("persisted")
                          .key("app/v1 ü.zip")
                          .contentType("application/zip")
                          .metadata(Map.of("label", "v1")),
                  RequestBody.fromBytes(big))
              .eTag();
      s3.putObject(b -> b.bucket("persisted").key("gone"), RequestBody.fromString("x"));
      s3.putObject(b -> b.bucket("persisted").key("over"), RequestBody.fromString("old"));
      s3.putObject(b -> b.bucket("persisted").key("over"), RequestBody.fromString("new"));
      s3.deleteObject(b -> b.bucket("persisted").key("gone"));
      uploadId = s3.createMultipartUpload(b -> b.bucket("persisted").key("mp")).uploadId();
      UploadPartResponse part =
          s3.uploadPart(
              b -> b.bucket("persisted").key("mp").uploadId(uploadId).partNumber(1),
              RequestBody.fromString("part one"));
      partEtag = part.eTag();
      partCrc = part.checksumCRC32();
    }

    try (LocalBeanstalk sandbox = start();
        S3Client s3 = S3Clients.client(sandbox.endpoint(), Region.EU_CENTRAL_1)) {
      HeadObjectResponse head = s3.headObject(b -> b.bucket("persisted").key("app/v1 ü.zip"));

      assertThat(s3.getBucketLocation(b -> b.bucket("persisted")).locationConstraintAsString())
          .isEqualTo("eu-central-1");
      assertThat(s3.getBucketTagging(b -> b.bucket("persisted")).tagSet())
          .extracting(Tag::value)
          .containsExactly("staging");
      assertThat(head.eTag()).isEqualTo(etag);
      assertThat(head.contentType()).isEqualTo("application/zip");
      assertThat(head.metadata()).containsEntry("label", "v1");
      assertThat(s3.getObjectAsBytes(b -> b.bucket("persisted").key("app/v1 ü.zip")).asByteArray())
          .isEqualTo(big);
      assertThat(s3.getObjectAsBytes(b -> b.bucket("persisted").key("over")).asUtf8String())
          .isEqualTo("new");
      assertThatThrownBy(() -> s3.headObject(b -> b.bucket("persisted").key("gone")))
          .isInstanceOf(NoSuchKeyException.class);
      assertThat(s3.listObjectsV2(b -> b.bucket("persisted")).contents())
          .extracting(S3Object::key)
          .containsExactly("app/v1 ü.zip", "over");
      s3.completeMultipartUpload(
          b ->
              b.bucket("persisted")
                  .key("mp")
                  .uploadId(uploadId)
                  .multipartUpload(
                      m ->
                          m.parts(
                              CompletedPart.builder()
                                  .partNumber(1)
                                  .eTag(partEtag)
                                  .checksumCRC32(partCrc)
                                  .build())));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("persisted").key("mp")).asUtf8String())
          .isEqualTo("part one");
      assertThat(sandbox.calls()).isNotEmpty();
    }
  }

  @Test
  void restart_afterConcurrentOverwrites_diskAgreesWithMemory() throws Exception {
    String last;
    try (LocalBeanstalk sandbox = start();
        S3Client s3 = S3Clients.client(sandbox.endpoint(), Region.US_EAST_1)) {
      s3.createBucket(b -> b.bucket("race"));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
          String body = "version-" + i;
          writes.add(
              pool.submit(
                  () ->
                      s3.putObject(
                          b -> b.bucket("race").key("hot"), RequestBody.fromString(body))));
        }
        for (Future<?> f : writes) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      last = s3.getObjectAsBytes(b -> b.bucket("race").key("hot")).asUtf8String();
    }

    try (LocalBeanstalk sandbox = start();
        S3Client s3 = S3Clients.client(sandbox.endpoint(), Region.US_EAST_1)) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket("race").key("hot")).asUtf8String())
          .isEqualTo(last);
    }
    try (Stream<Path> files = Files.walk(state.resolve("s3/buckets/race/data"))) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
    }
  }

  @Test
  void restart_afterOverwritesAndDeletes_leavesNoOrphanDataFiles() throws Exception {
    try (LocalBeanstalk sandbox = start();
        S3Client s3 = S3Clients.client(sandbox.endpoint(), Region.US_EAST_1)) {
      s3.createBucket(b -> b.bucket("tidy"));
      for (int i = 0; i < 3; i++) {
        s3.putObject(b -> b.bucket("tidy").key("k"), RequestBody.fromString("v"));
      }
      s3.putObject(b -> b.bucket("tidy").key("d"), RequestBody.fromString("v"));
      s3.deleteObject(b -> b.bucket("tidy").key("d"));
      s3.createBucket(b -> b.bucket("removed"));
      s3.deleteBucket(b -> b.bucket("removed"));
    }
    // A crash between writing a data file and its metadata leaves an orphan behind.
    Path orphan = state.resolve("s3/buckets/tidy/data/zz/orphan");
    Files.createDirectories(orphan.getParent());
    Files.writeString(orphan, "leftover");

    try (LocalBeanstalk sandbox = start();
        S3Client s3 = S3Clients.client(sandbox.endpoint(), Region.US_EAST_1)) {
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("tidy");
    }
    List<Path> data;
    try (Stream<Path> files = Files.walk(state.resolve("s3/buckets/tidy/data"))) {
      data = files.filter(Files::isRegularFile).toList();
    }
    assertThat(data).hasSize(1);
    assertThat(state.resolve("s3/buckets/removed")).doesNotExist();
  }
}
