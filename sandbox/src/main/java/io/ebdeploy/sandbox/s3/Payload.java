package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * A request body as S3 takes it: aws-chunked decoded, and every digest the client sent checked.
 *
 * @param checksum the algorithm of the checksum the client sent or asked for, or CRC64NVME by
 *     default, or null
 * @param fromClient whether the client chose the checksum
 */
record Payload(
    byte[] data, byte[] md5, S3Checksum checksum, String checksumValue, boolean fromClient) {
  static Payload of(SandboxRequest r, boolean defaultChecksum) {
    byte[] raw = r.body();
    String sha = r.header("x-amz-content-sha256");
    boolean chunked =
        (sha != null && sha.startsWith("STREAMING-"))
            || hasToken(r.header("content-encoding"), "aws-chunked");
    byte[] data = raw;
    Map<String, String> trailers = Map.of();
    if (chunked) {
      String decoded = r.header("x-amz-decoded-content-length");
      long expected = -1;
      if (decoded != null) {
        try {
          expected = Long.parseLong(decoded.trim());
        } catch (NumberFormatException e) {
          throw S3Errors.invalidArgument(
              "x-amz-decoded-content-length is not a number",
              "x-amz-decoded-content-length",
              decoded);
        }
      }
      S3Wire.Chunked c = S3Wire.decodeAwsChunked(raw, expected < 0 ? raw.length : expected);
      data = c.payload();
      trailers = c.trailers();
      if (expected >= 0 && expected != data.length) {
        throw S3Wire.incompleteBody();
      }
    } else if (sha != null && sha.length() == 64 && sha.matches("[0-9a-fA-F]+")) {
      String actual = S3Checksum.hex(S3Checksum.sha256(raw));
      if (!actual.equalsIgnoreCase(sha)) {
        throw S3Errors.error(
            400,
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            "ClientComputedContentSHA256",
            sha,
            "S3ComputedContentSHA256",
            actual);
      }
    }
    byte[] md5 = S3Checksum.md5(data);
    String contentMd5 = r.header("content-md5");
    if (contentMd5 != null) {
      byte[] expected;
      try {
        expected = Base64.getDecoder().decode(contentMd5.trim());
      } catch (IllegalArgumentException e) {
        expected = new byte[0];
      }
      if (expected.length != 16) {
        throw S3Errors.error(
            400,
            "InvalidDigest",
            "The Content-MD5 you specified was invalid.",
            "Content-MD5",
            contentMd5);
      }
      if (!Arrays.equals(expected, md5)) {
        throw S3Errors.error(
            400,
            "BadDigest",
            "The Content-MD5 you specified did not match what we received.",
            "ExpectedDigest",
            contentMd5,
            "CalculatedDigest",
            Base64.getEncoder().encodeToString(md5));
      }
    }
    Map<S3Checksum, String> given = new EnumMap<>(S3Checksum.class);
    r.headers()
        .forEach(
            (name, values) -> {
              S3Checksum c = S3Checksum.ofHeader(name);
              if (c != null && !values.isEmpty()) {
                given.put(c, values.get(0));
              }
            });
    trailers.forEach(
        (name, value) -> {
          S3Checksum c = S3Checksum.ofHeader(name);
          if (c != null) {
            given.put(c, value);
          }
        });
    String sdk = r.header("x-amz-sdk-checksum-algorithm");
    S3Checksum sdkAlgorithm = null;
    if (sdk != null) {
      sdkAlgorithm = S3Checksum.of(sdk);
      if (sdkAlgorithm == null) {
        throw S3Errors.invalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.");
      }
    }
    if (given.size() > 1) {
      throw S3Errors.invalidRequest(
          "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    }
    if (given.size() == 1) {
      Map.Entry<S3Checksum, String> e = given.entrySet().iterator().next();
      S3Checksum c = e.getKey();
      String value = e.getValue().trim();
      if (sdkAlgorithm != null && sdkAlgorithm != c) {
        throw S3Errors.invalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.");
      }
      if (!c.wellFormed(value)) {
        throw S3Errors.invalidRequest("Value for " + c.header() + " header is invalid.");
      }
      if (!c.base64(data).equals(value)) {
        throw S3Errors.badDigest(c);
      }
      return new Payload(data, md5, c, value, true);
    }
    if (r.header("x-amz-trailer") != null
        && S3Checksum.ofHeader(r.header("x-amz-trailer").trim()) != null) {
      throw S3Errors.error(
          400,
          "MalformedTrailerError",
          "The request contained trailing data that was not well-formed or did not conform to our"
              + " published schema.");
    }
    if (sdkAlgorithm != null) {
      return new Payload(data, md5, sdkAlgorithm, sdkAlgorithm.base64(data), true);
    }
    if (defaultChecksum) {
      return new Payload(data, md5, S3Checksum.CRC64NVME, S3Checksum.CRC64NVME.base64(data), false);
    }
    return new Payload(data, md5, null, null, false);
  }

  /** Operations that need an integrity header (DeleteObjects, PutBucketTagging...). */
  static void requireChecksum(SandboxRequest r) {
    if (r.header("content-md5") != null || r.header("x-amz-trailer") != null) {
      return;
    }
    for (String name : r.headers().keySet()) {
      if (S3Checksum.ofHeader(name) != null) {
        return;
      }
    }
    throw S3Errors.invalidRequest(
        "Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
  }

  private static boolean hasToken(String headerValue, String token) {
    if (headerValue == null) {
      return false;
    }
    for (String t : headerValue.split(",")) {
      if (t.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }
}
