package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import java.util.Map;

/** A parsed {@code x-amz-copy-source}: the source object, read now. */
record CopySource(S3Bucket bucket, S3Object object, byte[] data) {
  static CopySource read(S3Store store, SandboxRequest r) {
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
    S3Bucket sb = store.bucket(bucket);
    if (sb == null) {
      throw S3Errors.noSuchBucket(bucket);
    }
    for (int attempt = 0; ; attempt++) {
      S3Object so = store.get(sb, key);
      if (so == null) {
        throw S3Errors.noSuchKey(key);
      }
      Conditions.checkCopyConditions(r, so);
      try {
        return new CopySource(sb, so, so.blob().readAll());
      } catch (S3Blob.Gone e) {
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }
}
