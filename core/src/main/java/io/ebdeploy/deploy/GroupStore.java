package io.ebdeploy.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The small JSON objects eb-deploy keeps per group in Beanstalk's storage bucket, under {@code
 * eb-deploy/<application>/<group>/}: {@code lock.json} (the deploy lock), {@code deploy.json} (the
 * record of the run in progress) and {@code history.json}. Writes can be conditional ({@code
 * If-None-Match: *} to create, {@code If-Match: ETAG} to replace or delete), so that of two writers
 * exactly one wins.
 */
final class GroupStore {
  static final String LOCK = "lock.json";
  static final String RECORD = "deploy.json";
  static final String HISTORY = "history.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  GroupStore(S3Client s3, String bucket, String application, String group) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix(application, group);
  }

  /**
   * {@code eb-deploy/<application>/<group>/}; the group lower-cased, as tag values match
   * case-insensitively.
   */
  static String prefix(String application, String group) {
    return "eb-deploy/" + application + "/" + group.toLowerCase(Locale.ROOT) + "/";
  }

  /**
   * Beanstalk's storage bucket, as CreateStorageLocation names it: {@code
   * elasticbeanstalk-<region>-<account>}, the account taken from an environment's ARN. Lets
   * read-only commands look without CreateStorageLocation, which may create the bucket.
   */
  static Optional<String> bucketFromArn(String environmentArn) {
    if (environmentArn == null) {
      return Optional.empty();
    }
    String[] parts = environmentArn.split(":", 6);
    if (parts.length < 6 || parts[3].isEmpty() || parts[4].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("elasticbeanstalk-" + parts[3] + "-" + parts[4]);
  }

  String bucket() {
    return bucket;
  }

  String key(String name) {
    return prefix + name;
  }

  /** An object as read: its JSON, ETag and time. */
  record Versioned(Map<String, Object> body, String etag, Instant lastModified) {}

  /** Another writer won: the object exists (create) or changed (replace, delete). */
  static final class Conflict extends RuntimeException {
    Conflict(String message) {
      super(message);
    }
  }

  /** The object, or empty when it (or the bucket) does not exist. */
  Optional<Versioned> read(String name) {
    try {
      ResponseBytes<GetObjectResponse> r =
          s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key(name)).build());
      Map<String, Object> body;
      try {
        body = JSON.readValue(r.asByteArray(), MAP);
      } catch (IOException e) {
        body = new LinkedHashMap<>();
        body.put("unreadable", e.getMessage());
      }
      Instant modified =
          r.response().lastModified() == null ? Instant.EPOCH : r.response().lastModified();
      return Optional.of(new Versioned(body, r.response().eTag(), modified));
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      return Optional.empty();
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Creates the object only if absent ({@code If-None-Match: *}); returns its ETag. */
  String create(String name, Map<String, Object> body) {
    return write(name, body, null, true);
  }

  /** Replaces the object only if its ETag is still {@code etag} ({@code If-Match}). */
  String replace(String name, Map<String, Object> body, String etag) {
    return write(name, body, etag, false);
  }

  /** Writes the object whatever is there (only the lock holder writes the record). */
  String put(String name, Map<String, Object> body) {
    return write(name, body, null, false);
  }

  /** Deletes the object; with an ETag, only if it is still that version. */
  void delete(String name, Optional<String> etag) {
    DeleteObjectRequest.Builder b = DeleteObjectRequest.builder().bucket(bucket).key(key(name));
    etag.ifPresent(b::ifMatch);
    try {
      s3.deleteObject(b.build());
    } catch (NoSuchKeyException e) {
      if (etag.isPresent()) {
        throw new Conflict(name + " is gone");
      }
    } catch (AwsServiceException e) {
      if (conflict(e)) {
        throw new Conflict(name + " changed: " + e.getMessage());
      }
      throw e;
    }
  }

  private String write(String name, Map<String, Object> body, String ifMatch, boolean ifAbsent) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PutObjectRequest.Builder b =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key(name))
            .contentType("application/json")
            .cacheControl("no-store");
    if (ifAbsent) {
      b.ifNoneMatch("*");
    }
    if (ifMatch != null) {
      b.ifMatch(ifMatch);
    }
    try {
      return s3.putObject(b.build(), RequestBody.fromBytes(bytes)).eTag();
    } catch (NoSuchKeyException e) {
      throw new Conflict(name + " is gone");
    } catch (AwsServiceException e) {
      if (conflict(e)) {
        throw new Conflict(name + ": " + e.getMessage());
      }
      throw e;
    }
  }

  /** 412 PreconditionFailed, or 409 ConditionalRequestConflict (S3's answer to a write race). */
  private static boolean conflict(AwsServiceException e) {
    return e.statusCode() == 412 || e.statusCode() == 409;
  }

  static String json(Object shape) {
    try {
      return JSON.writeValueAsString(shape);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
