package io.ebdeploy.sandbox.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The additional checksum algorithms of S3 ({@code x-amz-checksum-*}), each as S3 sends it: the
 * Base64 of the big-endian digest.
 */
enum S3Checksum {
  CRC32(4),
  CRC32C(4),
  CRC64NVME(8),
  SHA1(20),
  SHA256(32);

  /** Full-object checksums: FULL_OBJECT; multipart checksums of checksums: COMPOSITE. */
  static final String FULL_OBJECT = "FULL_OBJECT";

  static final String COMPOSITE = "COMPOSITE";

  private final int length;

  S3Checksum(int length) {
    this.length = length;
  }

  /** The digest length in bytes. */
  int length() {
    return length;
  }

  /** The header: x-amz-checksum-crc32... */
  String header() {
    return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
  }

  /** The XML element and SDK member: ChecksumCRC32... */
  String member() {
    return "Checksum" + name();
  }

  /** The lower-case name S3 uses in its error messages: crc32, sha256... */
  String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** CRC-based algorithms can be combined into a full-object checksum of a multipart upload. */
  boolean isCrc() {
    return this == CRC32 || this == CRC32C || this == CRC64NVME;
  }

  /** The algorithm with this name, in any case; null when S3 knows no such algorithm. */
  static S3Checksum of(String name) {
    if (name == null) {
      return null;
    }
    for (S3Checksum c : values()) {
      if (c.name().equalsIgnoreCase(name.trim())) {
        return c;
      }
    }
    return null;
  }

  /** The algorithm a header (x-amz-checksum-crc32...) carries; null for any other header. */
  static S3Checksum ofHeader(String header) {
    String h = header.toLowerCase(Locale.ROOT);
    if (!h.startsWith("x-amz-checksum-")) {
      return null;
    }
    return switch (h.substring("x-amz-checksum-".length())) {
      case "crc32" -> CRC32;
      case "crc32c" -> CRC32C;
      case "crc64nvme" -> CRC64NVME;
      case "sha1" -> SHA1;
      case "sha256" -> SHA256;
      default -> null;
    };
  }

  /** An incremental digest of this algorithm. */
  Hasher hasher() {
    return switch (this) {
      case CRC32 -> new CrcHasher(new CRC32(), 4);
      case CRC32C -> new CrcHasher(new CRC32C(), 4);
      case CRC64NVME -> new Crc64Hasher();
      case SHA1 -> new DigestHasher("SHA-1");
      case SHA256 -> new DigestHasher("SHA-256");
    };
  }

  byte[] digest(byte[] data) {
    Hasher h = hasher();
    h.update(data, 0, data.length);
    return h.finish();
  }

  String base64(byte[] data) {
    return Base64.getEncoder().encodeToString(digest(data));
  }

  /** True when the value is the Base64 of a digest of this algorithm's length. */
  boolean wellFormed(String value) {
    try {
      return value != null && Base64.getDecoder().decode(value.trim()).length == length;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** An incremental digest. */
  interface Hasher {
    void update(byte[] b, int off, int len);

    byte[] finish();
  }

  private static final class CrcHasher implements Hasher {
    private final Checksum crc;
    private final int bytes;

    CrcHasher(Checksum crc, int bytes) {
      this.crc = crc;
      this.bytes = bytes;
    }

    @Override
    public void update(byte[] b, int off, int len) {
      crc.update(b, off, len);
    }

    @Override
    public byte[] finish() {
      return bigEndian(crc.getValue(), bytes);
    }
  }

  private static final class DigestHasher implements Hasher {
    private final MessageDigest digest;

    DigestHasher(String algorithm) {
      digest = messageDigest(algorithm);
    }

    @Override
    public void update(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }

    @Override
    public byte[] finish() {
      return digest.digest();
    }
  }

  /**
   * CRC-64/NVME (poly 0xad93d23594c93659, reflected, init and xorout all ones), the checksum S3
   * adds to every object uploaded without one. Slicing-by-8.
   */
  private static final class Crc64Hasher implements Hasher {
    private static final long[][] TABLES = tables();
    private long crc = -1L;

    @Override
    public void update(byte[] b, int off, int len) {
      long c = crc;
      long[] t0 = TABLES[0];
      while (len >= 8) {
        long x =
            c
                ^ ((b[off] & 0xffL)
                    | (b[off + 1] & 0xffL) << 8
                    | (b[off + 2] & 0xffL) << 16
                    | (b[off + 3] & 0xffL) << 24
                    | (b[off + 4] & 0xffL) << 32
                    | (b[off + 5] & 0xffL) << 40
                    | (b[off + 6] & 0xffL) << 48
                    | (b[off + 7] & 0xffL) << 56);
        c =
            TABLES[7][(int) (x & 0xff)]
                ^ TABLES[6][(int) ((x >>> 8) & 0xff)]
                ^ TABLES[5][(int) ((x >>> 16) & 0xff)]
                ^ TABLES[4][(int) ((x >>> 24) & 0xff)]
                ^ TABLES[3][(int) ((x >>> 32) & 0xff)]
                ^ TABLES[2][(int) ((x >>> 40) & 0xff)]
                ^ TABLES[1][(int) ((x >>> 48) & 0xff)]
                ^ t0[(int) (x >>> 56)];
        off += 8;
        len -= 8;
      }
      while (len-- > 0) {
        c = t0[(int) ((c ^ b[off++]) & 0xff)] ^ (c >>> 8);
      }
      crc = c;
    }

    @Override
    public byte[] finish() {
      return bigEndian(~crc, 8);
    }

    private static long[][] tables() {
      long poly = Long.reverse(0xad93d23594c93659L);
      long[][] t = new long[8][256];
      for (int n = 0; n < 256; n++) {
        long c = n;
        for (int k = 0; k < 8; k++) {
          c = (c & 1) != 0 ? (c >>> 1) ^ poly : c >>> 1;
        }
        t[0][n] = c;
      }
      for (int n = 0; n < 256; n++) {
        long c = t[0][n];
        for (int k = 1; k < 8; k++) {
          c = t[0][(int) (c & 0xff)] ^ (c >>> 8);
          t[k][n] = c;
        }
      }
      return t;
    }
  }

  private static byte[] bigEndian(long value, int bytes) {
    byte[] out = new byte[bytes];
    for (int i = bytes - 1; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] md5(byte[] data) {
    return messageDigest("MD5").digest(data);
  }

  static byte[] sha256(byte[] data) {
    return messageDigest("SHA-256").digest(data);
  }

  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder(bytes.length * 2);
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return b.toString();
  }

  static byte[] unhex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
