package io.ebdeploy.sandbox.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.sandbox.service.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S3's wire details that no client shows directly: checksums, aws-chunked, encodings, order. */
class S3WireTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  @Test
  void crc64Nvme_checkString_matchesCatalogueValue() {
    assertThat(HexFormat.of().formatHex(S3Checksum.CRC64NVME.digest(CHECK)))
        .isEqualTo("ae8b14860a799888");
  }

  @Test
  void crc64Nvme_incrementalUpdates_sameAsOneShot() {
    byte[] data = new byte[1000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    S3Checksum.Hasher h = S3Checksum.CRC64NVME.hasher();
    h.update(data, 0, 3);
    h.update(data, 3, 500);
    h.update(data, 503, 497);

    assertThat(h.finish()).isEqualTo(S3Checksum.CRC64NVME.digest(data));
  }

  @Test
  void crc32AndCrc32c_checkString_matchCatalogueValues() {
    assertThat(HexFormat.of().formatHex(S3Checksum.CRC32.digest(CHECK))).isEqualTo("cbf43926");
    assertThat(HexFormat.of().formatHex(S3Checksum.CRC32C.digest(CHECK))).isEqualTo("e3069283");
  }

  @Test
  void decodeAwsChunked_signedChunksWithTrailer_payloadAndTrailers() {
    String body =
        "5;chunk-signature=aaaa\r\nhello\r\n"
            + "6;chunk-signature=bbbb\r\n world\r\n"
            + "0;chunk-signature=cccc\r\n"
            + "x-amz-checksum-crc32:DUoRhQ==\r\n"
            + "x-amz-trailer-signature:dddd\r\n\r\n";

    S3Wire.Chunked c = S3Wire.decodeAwsChunked(body.getBytes(StandardCharsets.ISO_8859_1), 11);

    assertThat(new String(c.payload(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(c.trailers()).containsEntry("x-amz-checksum-crc32", "DUoRhQ==");
  }

  @Test
  void decodeAwsChunked_truncatedChunk_incompleteBody() {
    byte[] body = "10\r\nshort\r\n".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> S3Wire.decodeAwsChunked(body, 16))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("IncompleteBody"));
  }

  @Test
  void percentDecode_plusAndEscapes_plusStaysPlus() {
    assertThat(S3Wire.percentDecode("a+b%20c%2Bd%C3%BC")).isEqualTo("a+b c+dü");
    assertThat(S3Wire.percentDecode("bad%zz")).isNull();
    assertThat(S3Wire.percentDecode("bad%C3")).isNull();
  }

  @Test
  void urlEncode_listingKeys_formEncodedWithSlashesKept() {
    assertThat(S3Wire.urlEncode("dir/a b+c%ü")).isEqualTo("dir/a+b%2Bc%25%C3%BC");
  }

  @Test
  void keyOrder_supplementaryCharacters_utf8BinaryOrder() {
    // U+1F680 sorts after U+FFFD in UTF-8 (and code point) order, before it in UTF-16 order.
    List<String> keys = new ArrayList<>(List.of("\uD83D\uDE80", "\uFFFD", "a"));

    keys.sort(S3Wire.KEY_ORDER);

    assertThat(keys).containsExactly("a", "\uFFFD", "\uD83D\uDE80");
  }

  @Test
  void successor_prefix_firstStringPastAllExtensions() {
    assertThat(S3Wire.successor("logs/")).isEqualTo("logs0");
    assertThat(S3Wire.compareCodePoints("logs/\uDBFF\uDFFF", S3Wire.successor("logs/")))
        .isNegative();
  }

  @Test
  void parseRange_forms_asS3ReadsThem() {
    assertThat(Conditions.parseRange("bytes=0-0", 10)).containsExactly(0, 0);
    assertThat(Conditions.parseRange("bytes=5-", 10)).containsExactly(5, 9);
    assertThat(Conditions.parseRange("bytes=-4", 10)).containsExactly(6, 9);
    assertThat(Conditions.parseRange("bytes=3-1", 10)).isNull();
    assertThat(Conditions.parseRange("bytes=0-1,4-5", 10)).isNull();
    assertThat(Conditions.parseRange("items=0-1", 10)).isNull();
    assertThat(Conditions.parseRange("bytes=-5", 0)).isNull();
    assertThatThrownBy(() -> Conditions.parseRange("bytes=0-", 0)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> Conditions.parseRange("bytes=-0", 10))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void validBucketName_rules_matchS3() {
    assertThat(BucketOperations.validBucketName("elasticbeanstalk-eu-central-1-123456789012"))
        .isTrue();
    assertThat(BucketOperations.validBucketName("my.bucket-1")).isTrue();
    assertThat(BucketOperations.validBucketName("ab")).isFalse();
    assertThat(BucketOperations.validBucketName("Upper")).isFalse();
    assertThat(BucketOperations.validBucketName("a..b")).isFalse();
    assertThat(BucketOperations.validBucketName("192.168.1.1")).isFalse();
    assertThat(BucketOperations.validBucketName("-dash")).isFalse();
    assertThat(BucketOperations.validBucketName("xn--punycode")).isFalse();
    assertThat(BucketOperations.validBucketName("name-s3alias")).isFalse();
  }
}
