package io.ebdeploy.assets;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Content-Type by file extension, for what a web front end serves. Text types carry {@code
 * charset=utf-8} (browsers otherwise guess, and a guessed charset breaks non-ASCII in CSS and JS).
 * Not the JDK's {@code Files.probeContentType}, which depends on the machine's mime.types and knows
 * neither {@code .mjs}, {@code .map}, {@code .wasm} nor {@code .webmanifest} on most of them.
 * Unknown extensions are {@code application/octet-stream}, what S3 would assume anyway.
 */
final class ContentTypes {
  static final String DEFAULT = "application/octet-stream";

  private static final String UTF8 = "; charset=utf-8";

  private static final Map<String, String> BY_EXTENSION = new TreeMap<>();

  static {
    // Documents, scripts, styles, data.
    text("html", "text/html");
    text("htm", "text/html");
    text("xhtml", "application/xhtml+xml");
    text("css", "text/css");
    // RFC 9239: text/javascript is the one JavaScript type, for modules too.
    text("js", "text/javascript");
    text("mjs", "text/javascript");
    text("cjs", "text/javascript");
    text("json", "application/json");
    text("map", "application/json"); // source maps
    text("jsonld", "application/ld+json");
    text("webmanifest", "application/manifest+json");
    text("xml", "application/xml");
    text("rss", "application/rss+xml");
    text("atom", "application/atom+xml");
    text("txt", "text/plain");
    text("md", "text/markdown");
    text("csv", "text/csv");
    text("tsv", "text/tab-separated-values");
    text("ics", "text/calendar");
    text("vtt", "text/vtt");
    text("yaml", "application/yaml");
    text("yml", "application/yaml");
    binary("wasm", "application/wasm");
    binary("pdf", "application/pdf");
    binary("rtf", "application/rtf");
    // Images.
    binary("svg", "image/svg+xml");
    binary("svgz", "image/svg+xml");
    binary("png", "image/png");
    binary("apng", "image/apng");
    binary("jpg", "image/jpeg");
    binary("jpeg", "image/jpeg");
    binary("jfif", "image/jpeg");
    binary("pjpeg", "image/jpeg");
    binary("gif", "image/gif");
    binary("webp", "image/webp");
    binary("avif", "image/avif");
    binary("heic", "image/heic");
    binary("heif", "image/heif");
    binary("jxl", "image/jxl");
    binary("ico", "image/vnd.microsoft.icon");
    binary("cur", "image/x-icon");
    binary("bmp", "image/bmp");
    binary("tif", "image/tiff");
    binary("tiff", "image/tiff");
    // Fonts.
    binary("woff2", "font/woff2");
    binary("woff", "font/woff");
    binary("ttf", "font/ttf");
    binary("otf", "font/otf");
    binary("ttc", "font/collection");
    binary("eot", "application/vnd.ms-fontobject");
    // Audio and video.
    binary("mp3", "audio/mpeg");
    binary("m4a", "audio/mp4");
    binary("aac", "audio/aac");
    binary("oga", "audio/ogg");
    binary("ogg", "audio/ogg");
    binary("opus", "audio/ogg");
    binary("wav", "audio/wav");
    binary("flac", "audio/flac");
    binary("weba", "audio/webm");
    binary("mid", "audio/midi");
    binary("midi", "audio/midi");
    binary("mp4", "video/mp4");
    binary("m4v", "video/mp4");
    binary("webm", "video/webm");
    binary("ogv", "video/ogg");
    binary("mov", "video/quicktime");
    binary("avi", "video/x-msvideo");
    binary("mpeg", "video/mpeg");
    binary("mpg", "video/mpeg");
    binary("ts", "video/mp2t");
    binary("m3u8", "application/vnd.apple.mpegurl");
    binary("mpd", "application/dash+xml");
    // Archives and downloads.
    binary("zip", "application/zip");
    binary("gz", "application/gzip");
    binary("tgz", "application/gzip");
    binary("br", "application/x-brotli");
    binary("zst", "application/zstd");
    binary("bz2", "application/x-bzip2");
    binary("xz", "application/x-xz");
    binary("7z", "application/x-7z-compressed");
    binary("tar", "application/x-tar");
    binary("rar", "application/vnd.rar");
    binary("jar", "application/java-archive");
    binary("apk", "application/vnd.android.package-archive");
    binary("epub", "application/epub+zip");
    binary("doc", "application/msword");
    binary("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    binary("xls", "application/vnd.ms-excel");
    binary("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    binary("ppt", "application/vnd.ms-powerpoint");
    binary("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation");
    binary("odt", "application/vnd.oasis.opendocument.text");
    binary("ods", "application/vnd.oasis.opendocument.spreadsheet");
    // Geodata (tiles, shapes) and 3D, as mapping front ends serve them.
    text("geojson", "application/geo+json");
    text("topojson", "application/json");
    binary("pbf", "application/x-protobuf");
    binary("mvt", "application/vnd.mapbox-vector-tile");
    binary("kml", "application/vnd.google-earth.kml+xml");
    binary("kmz", "application/vnd.google-earth.kmz");
    binary("gpx", "application/gpx+xml");
    binary("glb", "model/gltf-binary");
    text("gltf", "model/gltf+json");
    binary("bin", DEFAULT);
  }

  private ContentTypes() {}

  private static void text(String extension, String type) {
    BY_EXTENSION.put(extension, type + UTF8);
  }

  private static void binary(String extension, String type) {
    BY_EXTENSION.put(extension, type);
  }

  /** The Content-Type for a file name, by its last extension (any case). */
  static String of(String fileName) {
    int slash = fileName.lastIndexOf('/');
    String name = fileName.substring(slash + 1);
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return DEFAULT; // no extension, or a dotfile such as .htaccess
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
  }

  /** Every extension in the table, lower-case, for docs and tests. */
  static Map<String, String> table() {
    return java.util.Collections.unmodifiableMap(BY_EXTENSION);
  }
}
