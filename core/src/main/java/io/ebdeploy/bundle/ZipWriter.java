package io.ebdeploy.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The zip format, in two halves: {@link #localHeader} (written by the thread that compressed the
 * entry, next to its data: nothing in it depends on where it lands in the zip) and the writer
 * proper, which takes those bytes in order and adds the central directory at the end.
 *
 * <p>Every local header carries the entry's CRC and sizes, so no entry has a data descriptor
 * (general purpose bit 3): Java's {@code ZipInputStream} refuses a stored entry with one ("only
 * DEFLATED entries can have EXT descriptor"), and readers that stream the local headers need the
 * sizes there.
 *
 * <p>Nothing in the output depends on the machine, the clock or the order in which entries were
 * compressed: no extra fields, no comments, the given DOS time and Unix mode only, "made by" Unix
 * (3) and format 3.0, the UTF-8 flag only for names that are not ASCII. With more than 65,535
 * entries the end of the central directory gets its Zip64 record and locator. Entries and offsets
 * never need Zip64 fields: the bundle is refused long before 4 GiB, and so is any file that large.
 */
final class ZipWriter {
  /** The largest size or offset a zip field holds without Zip64. */
  static final long MAX_32 = 0xFFFF_FFFFL;

  /**
   * What the headers say about one entry.
   *
   * @param name the entry name, UTF-8
   * @param mode the Unix mode with its file type
   * @param deflated whether the data is a raw deflate stream (else stored as it is)
   */
  record Header(byte[] name, int mode, boolean deflated, int crc, long size, long compressedSize) {
    static Header of(
        String name, int mode, boolean deflated, long crc, long size, long compressedSize) {
      return new Header(
          name.getBytes(StandardCharsets.UTF_8), mode, deflated, (int) crc, size, compressedSize);
    }

    int localLength() {
      return LOCAL_FIXED + name.length;
    }

    private int flags() {
      for (byte b : name) {
        if (b < 0) {
          return UTF8_NAMES;
        }
      }
      return 0;
    }

    private int needed() {
      return deflated ? 20 : 10;
    }

    private int method() {
      return deflated ? 8 : 0;
    }
  }

  /** The local header's size before the name. */
  static final int LOCAL_FIXED = 30;

  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int END = 0x06054b50;
  private static final int ZIP64_END = 0x06064b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int MADE_BY_UNIX_30 = (3 << 8) | 30;
  private static final int UTF8_NAMES = 1 << 11;

  private final OutputStream out;
  private final int dosTime;
  private final ByteArrayOutputStream central = new ByteArrayOutputStream(1 << 16);
  private final byte[] record = new byte[46];
  private long offset;
  private long entries;

  /**
   * @param dosTime every entry's DOS date and time ({@link Bundler#dosTime})
   */
  ZipWriter(OutputStream out, long dosTime) {
    this.out = out;
    this.dosTime = (int) dosTime;
  }

  /**
   * Writes the local header of {@code h} into {@code b} at {@code at}, {@link Header#localLength}
   * bytes; its data follows it.
   */
  static void localHeader(byte[] b, int at, Header h, long dosTime) {
    at = int32(b, at, LOCAL_HEADER);
    at = int16(b, at, h.needed());
    at = int16(b, at, h.flags());
    at = int16(b, at, h.method());
    at = int32(b, at, (int) dosTime);
    at = int32(b, at, h.crc());
    at = int32(b, at, (int) h.compressedSize());
    at = int32(b, at, (int) h.size());
    at = int16(b, at, h.name.length);
    at = int16(b, at, 0); // no extra field
    System.arraycopy(h.name, 0, b, at, h.name.length);
  }

  /** Bytes written so far: where the next local header starts. */
  long offset() {
    return offset;
  }

  /** Writes bytes of the zip: local headers and data, as {@link #localHeader} laid them out. */
  void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    offset += len;
  }

  /** Records the central directory entry of {@code h}, whose local header is at {@code local}. */
  void central(Header h, long local) {
    int at = 0;
    at = int32(record, at, CENTRAL_HEADER);
    at = int16(record, at, MADE_BY_UNIX_30);
    at = int16(record, at, h.needed());
    at = int16(record, at, h.flags());
    at = int16(record, at, h.method());
    at = int32(record, at, dosTime);
    at = int32(record, at, h.crc());
    at = int32(record, at, (int) h.compressedSize());
    at = int32(record, at, (int) h.size());
    at = int16(record, at, h.name.length);
    at = int16(record, at, 0); // extra field
    at = int16(record, at, 0); // comment
    at = int16(record, at, 0); // disk number
    at = int16(record, at, 0); // internal attributes
    // The Unix mode (type and permissions) in the high 16 bits: unzip restores it from there, so
    // .platform hooks stay executable and symlinks stay links.
    at = int32(record, at, h.mode() << 16);
    at = int32(record, at, (int) local);
    central.write(record, 0, at);
    central.write(h.name, 0, h.name.length);
    entries++;
  }

  /** Writes the central directory and its end record(s); the stream is left open. */
  void finish() throws IOException {
    long centralOffset = offset;
    long centralSize = central.size();
    central.writeTo(out);
    offset += centralSize;
    byte[] end = new byte[56 + 20 + 22];
    int at = 0;
    if (entries > 0xFFFF) {
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
