package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's S3 on the wire, byte for byte, for what the SDK hides: error documents, HEAD
 * answers, hand-made aws-chunked bodies, listing encodings, host-style addressing.
 */
class S3RawHttpTest {
  private static LocalBeanstalk sandbox;

  @BeforeAll
  static void start() throws IOException {
    sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
    assertThat(send("PUT", "/raw", Map.of(), new byte[0]).status).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  /** One HTTP exchange on its own connection. */
  private record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static Response send(String method, String path, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sandbox.port())) {
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      Map<String, String> all = new LinkedHashMap<>();
      all.put("Host", "127.0.0.1:" + sandbox.port());
      all.putAll(headers);
      all.put("Content-Length", String.valueOf(body.length));
      all.put("Connection", "close");
      all.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      in.transferTo(raw);
      String text = raw.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        h.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), h, text.substring(end + 4));
    }
  }

  private static Response send(String method, String path) throws IOException {
    return send(method, path, Map.of(), new byte[0]);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void getObject_missingKey_s3ErrorDocument() throws IOException {
    Response r = send("GET", "/raw/no%20such/key");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("content-type")).isEqualTo("application/xml");
    assertThat(r.body())
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .contains("<Error><Code>NoSuchKey</Code>")
        .contains("<Message>The specified key does not exist.</Message>")
        .contains("<Key>no such/key</Key>")
        .contains("<Resource>/raw/no such/key</Resource>")
        .contains("<RequestId>" + r.header("x-amz-request-id") + "</RequestId>")
        .contains("<HostId>");
  }

  @Test
  void headObject_missingAndPresent_noBodyButGetHeaders() throws IOException {
    send("PUT", "/raw/head.txt", Map.of("x-amz-meta-Owner", "ops"), utf8("twelve bytes"));

    Response missing = send("HEAD", "/raw/absent");
    Response present = send("HEAD", "/raw/head.txt");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEmpty();
    assertThat(present.status()).isEqualTo(200);
    assertThat(present.body()).isEmpty();
    assertThat(present.header("content-length")).isEqualTo("12");
    assertThat(present.header("etag")).isEqualTo("\"" + "c91fa94e14cf2fa5474beceff788c0dc" + "\"");
    assertThat(present.header("x-amz-meta-owner")).isEqualTo("ops");
    assertThat(present.header("last-modified")).endsWith(" GMT");
    assertThat(present.header("accept-ranges")).isEqualTo("bytes");
    assertThat(present.header("content-type")).isEqualTo("binary/octet-stream");
  }

  @Test
  void putObject_unsignedChunkedWithTrailer_decodedAndChecked() throws IOException {
    String good =
        "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"; // CRC32 of the payload
    String bad = "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    Map<String, String> headers =
        Map.of(
            "Content-Encoding", "aws-chunked",
            "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "x-amz-decoded-content-length", "11",
            "x-amz-trailer", "x-amz-checksum-crc32");

    Response ok = send("PUT", "/raw/chunked.txt", headers, utf8(good));
    Response rejected = send("PUT", "/raw/rejected.txt", headers, utf8(bad));
    Response got = send("GET", "/raw/chunked.txt");

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("x-amz-checksum-crc32")).isEqualTo("DUoRhQ==");
    assertThat(got.body()).isEqualTo("hello world");
    assertThat(got.header("content-encoding")).isNull();
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.body()).contains("<Code>BadDigest</Code>");
    assertThat(send("HEAD", "/raw/rejected.txt").status()).isEqualTo(404);
  }

  @Test
  void putObject_contentSha256Mismatch_rejected() throws IOException {
    Response r =
        send(
            "PUT", "/raw/sha.txt", Map.of("x-amz-content-sha256", "0".repeat(64)), utf8("payload"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>XAmzContentSHA256Mismatch</Code>");
  }

  @Test
  void listObjectsV2_urlEncoding_keysFormEncoded() throws IOException {
    send("PUT", "/raw/enc/a%20b%2Bc%25.txt", Map.of(), utf8("x"));

    Response r = send("GET", "/raw?list-type=2&prefix=enc/&encoding-type=url");

    assertThat(r.body())
        .contains("<EncodingType>url</EncodingType>")
        .contains("<Key>enc/a+b%2Bc%25.txt</Key>")
        .contains("<Prefix>enc/</Prefix>");
  }

  @Test
  void hostStyle_bucketLocalhost_addressesTheBucket() throws IOException {
    send("PUT", "/raw/vh.txt", Map.of(), utf8("virtual"));

    Response r =
        send("GET", "/vh.txt", Map.of("Host", "raw.localhost:" + sandbox.port()), new byte[0]);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("virtual");
  }

  @Test
  void deleteObjects_withoutIntegrityHeader_invalidRequest() throws IOException {
    Response r =
        send(
            "POST",
            "/raw?delete",
            Map.of(),
            utf8("<Delete><Object><Key>k</Key></Object></Delete>"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>InvalidRequest</Code>").contains("Content-MD5");
  }

  @Test
  void completeMultipartUpload_notXml_malformedXml() throws IOException {
    Response created = send("POST", "/raw/mp?uploads");
    String id = created.body().replaceAll("(?s).*<UploadId>(.*)</UploadId>.*", "$1");

    Response r = send("POST", "/raw/mp?uploadId=" + id, Map.of(), utf8("<not-closed"));

    assertThat(created.status()).isEqualTo(200);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>MalformedXML</Code>");
  }

  @Test
  void getObject_rangeOnEmptyObject_invalidRangeWithContentRange() throws IOException {
    send("PUT", "/raw/empty", Map.of(), new byte[0]);

    Response r = send("GET", "/raw/empty", Map.of("Range", "bytes=0-"), new byte[0]);
    Response whole = send("GET", "/raw/empty");

    assertThat(r.status()).isEqualTo(416);
    assertThat(r.header("content-range")).isEqualTo("bytes */0");
    assertThat(r.body()).contains("<Code>InvalidRange</Code>");
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("content-length")).isEqualTo("0");
  }

  @Test
  void listObjectsV2_injectedThrottle_slowDownDocument() throws IOException {
    sandbox.inject(Fault.throttle(1.0).onService("s3").times(1));
    try {
      Response r = send("GET", "/raw?list-type=2");

      assertThat(r.status()).isEqualTo(503);
      assertThat(r.body())
          .contains("<Code>SlowDown</Code>")
          .contains("<Message>Please reduce your request rate.</Message>");
    } finally {
      sandbox.clearFaults();
    }
  }
}
