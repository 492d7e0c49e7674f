package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.Xml;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * S3's wire formats: path and listing encodings, dates, request XML, aws-chunked bodies, query
 * parameters, continuation tokens, ETags and XML answers.
 */
final class S3Wire {
  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  /** The canonical user id of the sandbox's one account (the AWS documentation's example). */
  static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

  /** S3 lists keys in UTF-8 binary order, which is code point order (not UTF-16 order). */
  static final Comparator<String> KEY_ORDER = S3Wire::compareCodePoints;

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final ThreadLocal<DocumentBuilder> XML_PARSER =
      ThreadLocal.withInitial(S3Wire::newParser);

  private S3Wire() {}

  static int compareCodePoints(String a, String b) {
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

  /**
   * The smallest string greater than every string that starts with {@code prefix}, or null when
   * there is none.
   */
  static String successor(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int cp = prefix.codePointBefore(end);
      int start = end - Character.charCount(cp);
      int next = cp + 1;
      if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
        next = Character.MAX_SURROGATE + 1;
      }
      if (next <= Character.MAX_CODE_POINT) {
        return prefix.substring(0, start) + new String(Character.toChars(next));
      }
      end = start;
    }
    return null;
  }

  /**
   * Decodes a percent-encoded path segment as S3 does: %XX are UTF-8 bytes, '+' stays '+'. Returns
   * null when the encoding is malformed.
   */
  static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 3 > raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 3;
      } else {
        int cp = raw.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Encodes a key for a listing answered with {@code encoding-type=url}: form encoding (a space
   * becomes '+', a '+' becomes %2B), leaving '/' readable as S3 does. Both the AWS CLI
   * (unquote_plus) and the Java SDK (URLDecoder) decode it back.
   */
  static String urlEncode(String s) {
    return percentEncode(s, "-_.*/", true);
  }

  /** Encodes a key for a URL path (RFC 3986 unreserved characters and '/' stay as they are). */
  static String pathEncode(String s) {
    return percentEncode(s, "-_.~/", false);
  }

  private static String percentEncode(String s, String safe, boolean spaceAsPlus) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || (c < 0x80 && safe.indexOf(c) >= 0)) {
        b.append((char) c);
      } else if (c == ' ' && spaceAsPlus) {
        b.append('+');
      } else {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  static String httpDate(Instant t) {
    return HTTP_DATE.format(t);
  }

  static String isoDate(Instant t) {
    return ISO_MILLIS.format(t);
  }

  /** Parses an HTTP date (RFC 1123); null when it is not one, as S3 then ignores the header. */
  static Instant parseHttpDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  // ---- request XML ----

  private static DocumentBuilder newParser() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The root element of a request body; MalformedXML when it is not XML or not {@code root}. */
  static Element parseXml(byte[] body, String root) {
    if (body.length == 0) {
      throw S3Errors.malformedXml();
    }
    DocumentBuilder parser = XML_PARSER.get();
    try {
      parser.reset();
      Element e = parser.parse(new java.io.ByteArrayInputStream(body)).getDocumentElement();
      if (!root.equals(localName(e))) {
        throw S3Errors.malformedXml();
      }
      return e;
    } catch (SAXException | IOException e) {
      throw S3Errors.malformedXml();
    }
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(localName(e))) {
        out.add(e);
      }
    }
    return out;
  }

  /** The text of the first child element with this name, or null when there is none. */
  static String childText(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0).getTextContent();
  }

  private static String localName(Element e) {
    return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
  }

  // ---- aws-chunked ----

  /** A decoded aws-chunked body: the payload and the trailing headers (lower-case names). */
  record Chunked(byte[] payload, Map<String, String> trailers) {}

  /**
   * Decodes {@code Content-Encoding: aws-chunked}: {@code hex-size[;chunk-signature=...]\r\n data
   * \r\n} chunks, a zero-size chunk, then optional trailers ({@code x-amz-checksum-crc32:...}) and
   * an empty line. Signatures are not checked: the sandbox takes any credentials.
   */
  static Chunked decodeAwsChunked(byte[] body, long decodedLengthHint) {
    // Decode straight into an array of the announced size; grow only if the body holds more.
    byte[] out = new byte[(int) Math.max(0, Math.min(body.length, decodedLengthHint))];
    int written = 0;
    int pos = 0;
    while (true) {
      int eol = indexOfCrlf(body, pos);
      if (eol < 0) {
        throw incompleteBody();
      }
      String header = new String(body, pos, eol - pos, StandardCharsets.ISO_8859_1);
      pos = eol + 2;
      int semi = header.indexOf(';');
      String hex = (semi < 0 ? header : header.substring(0, semi)).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw incompleteBody();
      }
      if (size < 0 || size > body.length - pos) {
        throw incompleteBody();
      }
      if (size == 0) {
        break;
      }
      if (written + size > out.length) {
        out = java.util.Arrays.copyOf(out, (int) Math.min(body.length, 2L * (written + size)));
      }
      System.arraycopy(body, pos, out, written, (int) size);
      written += (int) size;
      pos += (int) size;
      if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') {
        throw incompleteBody();
      }
      pos += 2;
    }
    Map<String, String> trailers = new LinkedHashMap<>();
    while (pos < body.length) {
      int eol = indexOfCrlf(body, pos);
      int end = eol < 0 ? body.length : eol;
      String line = new String(body, pos, end - pos, StandardCharsets.ISO_8859_1);
      pos = eol < 0 ? body.length : eol + 2;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return new Chunked(
        written == out.length ? out : java.util.Arrays.copyOf(out, written), trailers);
  }

  static ApiException incompleteBody() {
    return S3Errors.error(
        400,
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header.");
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  // ---- query parameters and answers ----

  /** An opaque continuation token that resumes a listing after {@code last}. */
  static String encodeToken(String last) {
    return Base64.getEncoder().encodeToString(("1:" + last).getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      String s = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
      if (s.startsWith("1:")) {
        return s.substring(2);
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw S3Errors.invalidArgument(
        "The continuation token provided is incorrect", "continuation-token", token);
  }

  /** An integer query parameter within [min, max], or S3's InvalidArgument naming it. */
  static int parseInt(String value, String name, int min, int max) {
    long v;
    try {
      v = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw S3Errors.invalidArgument(
          "Provided " + name + " not an integer or within integer range", name, value);
    }
    if (v < min || v > max) {
      throw S3Errors.invalidArgument(
          "Argument " + name + " must be an integer between " + min + " and " + max, name, value);
    }
    return (int) v;
  }

  static int partNumber(String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 10000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw S3Errors.invalidArgument(
        "Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);
  }

  /** The ETag of a single-part object or a part: its quoted hex MD5. */
  static String quotedMd5(byte[] md5) {
    return "\"" + S3Checksum.hex(md5) + "\"";
  }

  static SandboxResponse xml(int status, Xml x) {
    return SandboxResponse.of(
        status, "application/xml", x.toString().getBytes(StandardCharsets.UTF_8));
  }
}
