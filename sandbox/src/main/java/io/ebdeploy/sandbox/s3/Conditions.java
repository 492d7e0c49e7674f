package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import java.time.Instant;

/**
 * S3's conditional requests ({@code If-Match}, {@code If-None-Match}, the dates, their {@code
 * x-amz-copy-source-} twins) and byte ranges, with S3's precedence and errors.
 */
final class Conditions {
  private Conditions() {}

  static boolean etagMatches(String condition, String etag) {
    for (String c : condition.split(",")) {
      String v = c.trim();
      if (v.equals("*") || unquote(v).equals(unquote(etag))) {
        return true;
      }
    }
    return false;
  }

  static String unquote(String etag) {
    String e = etag.trim();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")
        ? e.substring(1, e.length() - 1)
        : e;
  }

  /**
   * S3 supports conditional writes with {@code If-None-Match: *} (and {@code If-Match: ETAG}); any
   * other If-None-Match value is not implemented.
   */
  static boolean writeCondition(SandboxRequest r) {
    String inm = r.header("if-none-match");
    if (inm == null) {
      return false;
    }
    if (!inm.trim().equals("*")) {
      throw S3Errors.error(
          501,
          "NotImplemented",
          "A header you provided implies functionality that is not implemented",
          "Header",
          "If-None-Match");
    }
    return true;
  }

  /**
   * GET/HEAD conditions in S3's precedence: If-Match (412) wins over If-Unmodified-Since;
   * If-None-Match (304) wins over If-Modified-Since. Returns the 304 answer, or null to go on.
   */
  static SandboxResponse checkReadConditions(SandboxRequest r, S3Object o) {
    String ifMatch = r.header("if-match");
    String ifNoneMatch = r.header("if-none-match");
    Instant unmodifiedSince = S3Wire.parseHttpDate(r.header("if-unmodified-since"));
    Instant modifiedSince = S3Wire.parseHttpDate(r.header("if-modified-since"));
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, o.etag())) {
        throw S3Errors.preconditionFailed("If-Match");
      }
    } else if (unmodifiedSince != null && o.lastModified().isAfter(unmodifiedSince)) {
      throw S3Errors.preconditionFailed("If-Unmodified-Since");
    }
    boolean notModified;
    if (ifNoneMatch != null) {
      notModified = etagMatches(ifNoneMatch, o.etag());
    } else {
      notModified = modifiedSince != null && !o.lastModified().isAfter(modifiedSince);
    }
    if (notModified) {
      return SandboxResponse.empty(304)
          .header("ETag", o.etag())
          .header("Last-Modified", S3Wire.httpDate(o.lastModified()));
    }
    return null;
  }

  static void checkCopyConditions(SandboxRequest r, S3Object o) {
    String ifMatch = r.header("x-amz-copy-source-if-match");
    String ifNoneMatch = r.header("x-amz-copy-source-if-none-match");
    Instant unmodifiedSince =
        S3Wire.parseHttpDate(r.header("x-amz-copy-source-if-unmodified-since"));
    Instant modifiedSince = S3Wire.parseHttpDate(r.header("x-amz-copy-source-if-modified-since"));
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, o.etag())) {
        throw S3Errors.preconditionFailed("x-amz-copy-source-If-Match");
      }
    } else if (unmodifiedSince != null && o.lastModified().isAfter(unmodifiedSince)) {
      throw S3Errors.preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
    }
    if (ifNoneMatch != null) {
      if (etagMatches(ifNoneMatch, o.etag())) {
        throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
      }
    } else if (modifiedSince != null && !o.lastModified().isAfter(modifiedSince)) {
      throw S3Errors.preconditionFailed("x-amz-copy-source-If-Modified-Since");
    }
  }

  /**
   * Parses a single byte range against an object size: {first, last}, or null when the header is to
   * be ignored (not a bytes range, or several ranges, or a suffix range of an empty object);
   * InvalidRange (416) when unsatisfiable.
   */
  static long[] parseRange(String header, long size) {
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      if (dash == 0) {
        long n = Long.parseLong(spec.substring(1).trim());
        if (n <= 0) {
          throw invalidRange(header, size);
        }
        if (size == 0) {
          return null;
        }
        return new long[] {Math.max(0, size - n), size - 1};
      }
      long first = Long.parseLong(spec.substring(0, dash).trim());
      String lastText = spec.substring(dash + 1).trim();
      long last = lastText.isEmpty() ? Long.MAX_VALUE : Long.parseLong(lastText);
      if (last < first) {
        return null; // syntactically invalid: ignored, as HTTP says
      }
      if (first >= size) {
        throw invalidRange(header, size);
      }
      return new long[] {first, Math.min(last, size - 1)};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ApiException invalidRange(String header, long size) {
    return S3Errors.error(
        416,
        "InvalidRange",
        "The requested range is not satisfiable",
        "RangeRequested",
        header,
        "ActualObjectSize",
        String.valueOf(size),
        "header:Content-Range",
        "bytes */" + size);
  }

  static long[] copyRange(String header, long size) {
    String h = header.trim();
    String spec = h.regionMatches(true, 0, "bytes=", 0, 6) ? h.substring(6) : null;
    int dash = spec == null ? -1 : spec.indexOf('-');
    try {
      if (dash > 0) {
        long first = Long.parseLong(spec.substring(0, dash).trim());
        long last = Long.parseLong(spec.substring(dash + 1).trim());
        if (first <= last) {
          if (last >= size) {
            throw S3Errors.error(
                400,
                "InvalidRange",
                "The requested range is not satisfiable",
                "RangeRequested",
                header,
                "ActualObjectSize",
                String.valueOf(size));
          }
          return new long[] {first, last};
        }
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw S3Errors.invalidArgument(
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and"
            + " last are the zero-based offsets of the first and last bytes to copy",
        "x-amz-copy-source-range",
        header);
  }
}
