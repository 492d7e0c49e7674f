package io.ebdeploy.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the zip format around entries whose CRC and sizes are known before their data is written
 * ({@link Compressed}), so that every local header carries them and no entry has a data descriptor
 * (general purpose bit 3). Java's {@code ZipInputStream} refuses a stored entry with a descriptor
 * ("only DEFLATED entries can have EXT descriptor"), and some unzip implementations stream the
 * local headers only; with the sizes up front every reader takes every entry.
 *
 * <p>Nothing in the output depends on the machine, the clock or the order in which entries were
 * compressed: no extra fields, no comments, the given DOS time and Unix mode only, "made by" Unix
 * (3) and format 3.0, the UTF-8 flag only for names that are not ASCII. With more than 65,535
 * entries the end of the central directory gets its Zip64 record and locator (the entry fields
 * never need Zip64: the bundle is refused long before 4 GiB, and so is any file that large).
 */
final class ZipWriter {
  /** The largest size or offset a zip field holds without Zip64. */
  static final long MAX_32 = 0xFFFF_FFFFL;

  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int END = 0x06054b50;
  private static final int ZIP64_END = 0x06064b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int MADE_BY_UNIX_30 = (3 << 8) | 30;
  private static final int UTF8_NAMES = 1 << 11;

  private final OutputStream out;
  private final ByteArrayOutputStream central = new ByteArrayOutputStream(1 << 16);
  private final byte[] header = new byte[46];
  private long offset;
  private long entries;

  ZipWriter(OutputStream out) {
    this.out = out;
  }

  /** Bytes written so far. */
  long offset() {
    return offset;
  }

  /**
   * Writes the local header of {@code entry}; its data ({@link Compressed#compressedSize()} bytes)
   * must follow through {@link #data}.
   */
  void header(Compressed entry, long dosTime) throws IOException {
    byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
    int flags = isAscii(name) ? 0 : UTF8_NAMES;
    int needed = entry.deflated() ? 20 : 10;
    int method = entry.deflated() ? 8 : 0;

    int at = 0;
    at = int32(header, at, LOCAL_HEADER);
    at = int16(header, at, needed);
    at = int16(header, at, flags);
    at = int16(header, at, method);
    at = int32(header, at, (int) dosTime);
    at = int32(header, at, (int) entry.crc());
    at = int32(header, at, (int) entry.compressedSize());
    at = int32(header, at, (int) entry.size());
    at = int16(header, at, name.length);
    at = int16(header, at, 0); // no extra field
    long localOffset = offset;
    write(header, 0, at);
    write(name, 0, name.length);

    at = 0;
    at = int32(header, at, CENTRAL_HEADER);
    at = int16(header, at, MADE_BY_UNIX_30);
    at = int16(header, at, needed);
    at = int16(header, at, flags);
    at = int16(header, at, method);
    at = int32(header, at, (int) dosTime);
    at = int32(header, at, (int) entry.crc());
    at = int32(header, at, (int) entry.compressedSize());
    at = int32(header, at, (int) entry.size());
    at = int16(header, at, name.length);
    at = int16(header, at, 0); // extra field
    at = int16(header, at, 0); // comment
    at = int16(header, at, 0); // disk number
    at = int16(header, at, 0); // internal attributes
    // The Unix mode (type and permissions) in the high 16 bits: unzip restores it from there, so
    // .platform hooks stay executable and symlinks stay links.
    at = int32(header, at, entry.mode() << 16);
    at = int32(header, at, (int) localOffset);
    central.write(header, 0, at);
    central.write(name, 0, name.length);
    entries++;
  }

  /** Writes (part of) the current entry's data. */
  void data(byte[] b, int off, int len) throws IOException {
    write(b, off, len);
  }

  /** Writes the central directory and its end record(s); the stream is left open. */
  void finish() throws IOException {
    long centralOffset = offset;
    long centralSize = central.size();
    central.writeTo(out);
    offset += centralSize;
    byte[] end = new byte[56 + 20 + 22];
    int at = 0;
    // Offsets always fit in 32 bits: the bundle is refused long before 4 GiB.
    boolean zip64 = entries > 0xFFFF;
    if (zip64) {
      long zip64End = offset;
      at = int32(end, at, ZIP64_END);
      at = int64(end, at, 44); // the size of the rest of this record
      at = int16(end, at, 45); // made by: format 4.5, which brought Zip64
      at = int16(end, at, 45); // needed to extract
      at = int32(end, at, 0); // this disk
      at = int32(end, at, 0); // the disk where the central directory starts
      at = int64(end, at, entries); // on this disk
      at = int64(end, at, entries); // in all
      at = int64(end, at, centralSize);
      at = int64(end, at, centralOffset);
      at = int32(end, at, ZIP64_LOCATOR);
      at = int32(end, at, 0); // the disk with the Zip64 end record
      at = int64(end, at, zip64End);
      at = int32(end, at, 1); // disks in all
    }
    at = int32(end, at, END);
    at = int16(end, at, 0);
    at = int16(end, at, 0);
    at = int16(end, at, (int) Math.min(entries, 0xFFFF));
    at = int16(end, at, (int) Math.min(entries, 0xFFFF));
    at = int32(end, at, (int) centralSize);
    at = int32(end, at, (int) centralOffset);
    at = int16(end, at, 0); // no comment
    write(end, 0, at);
  }

  private void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    offset += len;
  }

  private static boolean isAscii(byte[] name) {
    for (byte b : name) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static int int16(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    return at + 2;
  }

  private static int int32(byte[] b, int at, int v) {
    int16(b, at, v);
    return int16(b, at + 2, v >>> 16);
  }

  private static int int64(byte[] b, int at, long v) {
    int32(b, at, (int) v);
    return int32(b, at + 4, (int) (v >>> 32));
  }
}
