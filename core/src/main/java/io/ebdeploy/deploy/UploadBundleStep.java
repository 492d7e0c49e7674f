package io.ebdeploy.deploy;

import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads the bundle once to Beanstalk's storage bucket (CreateStorageLocation), skipped when the
 * object is there already with the same size (HeadObject) or the version is reused. Above {@link
 * #MULTIPART_THRESHOLD} it uploads in parts of that size, {@link #PARALLEL_PARTS} at a time.
 */
final class UploadBundleStep {
  static final long MULTIPART_THRESHOLD = 8L * 1024 * 1024;
  static final int PARALLEL_PARTS = 4;

  private UploadBundleStep() {}

  static DeployContext run(DeployContext ctx) {
    BundleInfo b = ctx.bundle();
    if (ctx.versionExists()) {
      ctx.events()
          .emit(
              new DeployEvent.UploadSkipped(
                  ctx.events().now(),
                  b.bucket(),
                  b.key(),
                  "application version " + ctx.label() + " exists with this bundle"));
      return ctx.withUpload(b, true);
    }
    S3Client s3 = ctx.aws().s3();
    String bucket =
        Aws.call("CreateStorageLocation", () -> ctx.aws().eb().createStorageLocation()).s3Bucket();
    BundleInfo withBucket =
        new BundleInfo(b.path(), b.sha256(), b.size(), b.fileCount(), bucket, b.key());
    if (exists(s3, bucket, b.key(), b.size())) {
      ctx.events()
          .emit(
              new DeployEvent.UploadSkipped(
                  ctx.events().now(), bucket, b.key(), "already in s3://" + bucket));
      return ctx.withUpload(withBucket, true);
    }
    Instant start = ctx.events().now();
    int parts = upload(s3, bucket, b.key(), b.path(), b.size(), b.sha256());
    ctx.events()
        .emit(
            new DeployEvent.UploadDone(
                ctx.events().now(),
                bucket,
                b.key(),
                b.size(),
                Duration.between(start, ctx.events().now()),
                parts));
    return ctx.withUpload(withBucket, false);
  }

  static boolean exists(S3Client s3, String bucket, String key, long size) {
    try {
      HeadObjectResponse head =
          s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
      return head.contentLength() == null || head.contentLength() == size;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw Aws.awsError("HeadObject s3://" + bucket + "/" + key, e);
    } catch (SdkException e) {
      throw Aws.awsError("HeadObject s3://" + bucket + "/" + key, e);
    }
  }

  /** Uploads; returns the number of parts (1 for a single PutObject). */
  static int upload(S3Client s3, String bucket, String key, Path file, long size, String sha256) {
    if (size <= MULTIPART_THRESHOLD) {
      Aws.call(
          "PutObject s3://" + bucket + "/" + key,
          () ->
              s3.putObject(
                  PutObjectRequest.builder()
                      .bucket(bucket)
                      .key(key)
                      .contentType("application/zip")
                      .metadata(java.util.Map.of("sha256", sha256))
                      .build(),
                  RequestBody.fromFile(file)));
      return 1;
    }
    String uploadId =
        Aws.call(
                "CreateMultipartUpload s3://" + bucket + "/" + key,
                () ->
                    s3.createMultipartUpload(
                        CreateMultipartUploadRequest.builder()
                            .bucket(bucket)
                            .key(key)
                            .contentType("application/zip")
                            .metadata(java.util.Map.of("sha256", sha256))
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                            .build()))
            .uploadId();
    int count = (int) ((size + MULTIPART_THRESHOLD - 1) / MULTIPART_THRESHOLD);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_PARTS, count));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      List<Future<CompletedPart>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int number = i + 1;
        long offset = i * MULTIPART_THRESHOLD;
        int length = (int) Math.min(MULTIPART_THRESHOLD, size - offset);
        futures.add(
            pool.submit(
                () -> {
                  ByteBuffer buf = ByteBuffer.allocate(length);
                  while (buf.hasRemaining()) {
                    if (ch.read(buf, offset + buf.position()) < 0) {
                      throw new IOException(file + " shrank while uploading");
                    }
                  }
                  buf.flip();
                  UploadPartResponse r =
                      s3.uploadPart(
                          UploadPartRequest.builder()
                              .bucket(bucket)
                              .key(key)
                              .uploadId(uploadId)
                              .partNumber(number)
                              .contentLength((long) length)
                              .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                              .build(),
                          RequestBody.fromByteBuffer(buf));
                  // S3 wants each part's checksum back in the Complete request.
                  return CompletedPart.builder()
                      .partNumber(number)
                      .eTag(r.eTag())
                      .checksumCRC32(r.checksumCRC32())
                      .build();
                }));
      }
      List<CompletedPart> done = new ArrayList<>();
      for (Future<CompletedPart> f : futures) {
        done.add(f.get());
      }
      done.sort(Comparator.comparing(CompletedPart::partNumber));
      Aws.call(
          "CompleteMultipartUpload s3://" + bucket + "/" + key,
          () ->
              s3.completeMultipartUpload(
                  CompleteMultipartUploadRequest.builder()
                      .bucket(bucket)
                      .key(key)
                      .uploadId(uploadId)
                      .multipartUpload(CompletedMultipartUpload.builder().parts(done).build())
                      .build()));
      return count;
    } catch (IOException | ExecutionException | InterruptedException | RuntimeException e) {
      abort(s3, bucket, key, uploadId);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new EbDeployException(EbDeployException.Kind.INTERRUPTED, "upload interrupted", e);
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof EbDeployException ebe) {
        throw ebe;
      }
      if (cause instanceof SdkException sdk) {
        throw Aws.awsError("UploadPart s3://" + bucket + "/" + key, sdk);
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException("reading " + file + ": " + io.getMessage(), io);
      }
      throw new EbDeployException(
          EbDeployException.Kind.AWS_ERROR,
          "uploading s3://" + bucket + "/" + key + " failed",
          cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void abort(S3Client s3, String bucket, String key, String uploadId) {
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
    } catch (SdkException ignored) {
      // best effort: a lifecycle rule on the bucket cleans up what remains
    }
  }
}
