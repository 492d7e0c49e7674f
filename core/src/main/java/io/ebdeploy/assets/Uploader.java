package io.ebdeploy.assets;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.assets.LocalScan.LocalFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads files with bounded concurrency: every request of a phase is a task on the sync's pool
 * (one sync {@link S3Client}, which is thread-safe). Each object gets its Content-Type,
 * Cache-Control and Content-Encoding, {@code x-amz-meta-md5} (the content's MD5, also for multipart
 * objects, whose ETag is not one) and Content-MD5, so S3 refuses bytes that are not the ones hashed
 * (a file rewritten during the sync fails with BadDigest instead of being stored half-new). No ACL
 * is ever sent.
 *
 * <p>A phase stops starting new uploads at the first failure, waits for those in flight, and throws
 * naming the file.
 */
final class Uploader {
  private final S3Client s3;
  private final String bucket;
  private final Layout layout;
  private final long partSize;
  private final ExecutorService pool;

  /** ETag of each object written, by relative path. */
  final Map<String, String> etags = new ConcurrentHashMap<>();

  final AtomicInteger done = new AtomicInteger();
  final AtomicLong bytes = new AtomicLong();

  Uploader(S3Client s3, String bucket, Layout layout, long partSize, ExecutorService pool) {
    this.s3 = s3;
    this.bucket = bucket;
    this.layout = layout;
    this.partSize = partSize;
    this.pool = pool;
  }

  /** Uploads every file; files above the part size go in parts, one part at a time. */
  void upload(List<LocalFile> files) {
    run(files, f -> f.size() > partSize ? multipart(f) : put(f), true);
  }

  /** Replaces the headers of objects whose content is already right (server-side copy). */
  void updateHeaders(List<LocalFile> files, Map<String, String> remoteEtags) {
    run(files, f -> copyHeaders(f, remoteEtags.get(f.rel())), false);
  }

  private void run(List<LocalFile> files, Function<LocalFile, String> op, boolean countBytes) {
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<?>> futures = new ArrayList<>(files.size());
    for (LocalFile f : files) {
      futures.add(
          pool.submit(
              () -> {
                if (stop.get() || Thread.currentThread().isInterrupted()) {
                  return;
                }
                try {
                  etags.put(f.rel(), op.apply(f));
                  done.incrementAndGet();
                  if (countBytes) {
                    bytes.addAndGet(f.size());
                  }
                } catch (RuntimeException e) {
                  stop.set(true);
                  throw failure(f, e);
                }
              }));
    }
    RuntimeException first = null;
    try {
      for (Future<?> future : futures) {
        try {
          Parallel.get(future);
        } catch (EbDeployException e) {
          if (e.kind() == EbDeployException.Kind.INTERRUPTED
              && Thread.currentThread().isInterrupted()) {
            throw e;
          }
          if (first == null) {
            first = e;
          }
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          }
        }
      }
    } catch (EbDeployException interrupted) {
      futures.forEach(f -> f.cancel(true));
      throw interrupted;
    }
    if (first != null) {
      throw first;
    }
  }

  private RuntimeException failure(LocalFile f, RuntimeException e) {
    String key = layout.key(f.rel());
    if (e instanceof SdkException sdk) {
      if (S3Failures.isInterrupt(sdk)) {
        return new EbDeployException(
            EbDeployException.Kind.INTERRUPTED, "upload of " + key + " interrupted", sdk);
      }
      if (S3Failures.denied(sdk) && done.get() == 0) {
        return S3Failures.noWritePermission(bucket, layout.prefix(), "PutObject " + key, sdk);
      }
      String hint =
          sdk instanceof AwsServiceException a
                  && a.awsErrorDetails() != null
                  && "BadDigest".equals(a.awsErrorDetails().errorCode())
              ? "; " + f.path() + " changed while it was uploaded: run again once it is written"
              : "";
      return new EbDeployException(
          EbDeployException.Kind.AWS_ERROR,
          "uploading "
              + f.path()
              + " to s3://"
              + bucket
              + "/"
              + key
              + " failed ("
              + S3Failures.detail(sdk)
              + ")"
              + hint
              + "; "
              + done.get()
              + " file(s) were uploaded before it, nothing was deleted",
          sdk);
    }
    if (e instanceof UncheckedIOException io) {
      return new EbDeployException(
          EbDeployException.Kind.INVALID_INPUT,
          "reading " + f.path() + " failed: " + io.getCause().getMessage(),
          io);
    }
    return e;
  }

  private String put(LocalFile f) {
    PutObjectRequest.Builder b =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(layout.key(f.rel()))
            .contentType(f.contentType())
            .contentMD5(base64(f.md5()))
            .metadata(Map.of("md5", f.md5()));
    if (f.cacheControl() != null) {
      b.cacheControl(f.cacheControl());
    }
    if (f.contentEncoding() != null) {
      b.contentEncoding(f.contentEncoding());
    }
    return Remote.unquote(s3.putObject(b.build(), RequestBody.fromFile(f.path())).eTag());
  }

  private String multipart(LocalFile f) {
    String key = layout.key(f.rel());
    String uploadId =
        s3.createMultipartUpload(
                b -> {
                  b.bucket(bucket)
                      .key(key)
                      .contentType(f.contentType())
                      .metadata(Map.of("md5", f.md5()))
                      .checksumAlgorithm(ChecksumAlgorithm.CRC32);
                  if (f.cacheControl() != null) {
                    b.cacheControl(f.cacheControl());
                  }
                  if (f.contentEncoding() != null) {
                    b.contentEncoding(f.contentEncoding());
                  }
                })
            .uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long offset = 0;
      for (int number = 1; offset < f.size(); number++) {
        long length = Math.min(partSize, f.size() - offset);
        String md5 = Base64.getEncoder().encodeToString(LocalScan.md5(f.path(), offset, length));
        int n = number;
        long from = offset;
        UploadPartResponse r =
            s3.uploadPart(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(n)
                        .contentLength(length)
                        .contentMD5(md5)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromContentProvider(
                    region(f.path(), from, length), length, f.contentType()));
        // S3 wants each part's checksum back in the Complete request.
        parts.add(
            CompletedPart.builder()
                .partNumber(n)
                .eTag(r.eTag())
                .checksumCRC32(r.checksumCRC32())
                .build());
        offset += length;
      }
      return Remote.unquote(
          s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts)))
              .eTag());
    } catch (IOException e) {
      abort(key, uploadId);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      abort(key, uploadId);
      throw e;
    }
  }

  private void abort(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // best effort: a lifecycle rule for incomplete uploads cleans up what remains
    }
  }

  private String copyHeaders(LocalFile f, String etag) {
    String key = layout.key(f.rel());
    return Remote.unquote(
        s3.copyObject(
                b -> {
                  b.sourceBucket(bucket)
                      .sourceKey(key)
                      .destinationBucket(bucket)
                      .destinationKey(key)
                      .metadataDirective(MetadataDirective.REPLACE)
                      .contentType(f.contentType())
                      .metadata(Map.of("md5", f.md5()))
                      // Only the content that was compared: a concurrent change fails instead.
                      .copySourceIfMatch("\"" + etag + "\"");
                  if (f.cacheControl() != null) {
                    b.cacheControl(f.cacheControl());
                  }
                  if (f.contentEncoding() != null) {
                    b.contentEncoding(f.contentEncoding());
                  }
                })
            .copyObjectResult()
            .eTag());
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  /** A part of a file, opened afresh for each attempt (the SDK retries re-read it). */
  private static ContentStreamProvider region(Path path, long offset, long length) {
    return () -> {
      try {
        FileChannel ch = FileChannel.open(path);
        ch.position(offset);
        return new InputStream() {
          long left = length;
          final ByteBuffer one = ByteBuffer.allocate(1);

          @Override
          public int read() throws IOException {
            one.clear();
            int n = read(one.array(), 0, 1);
            return n < 0 ? -1 : one.array()[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
              return -1;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)));
            if (n > 0) {
              left -= n;
            }
            return n;
          }

          @Override
          public void close() throws IOException {
            ch.close();
          }
        };
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
