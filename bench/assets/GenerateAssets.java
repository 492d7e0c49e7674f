import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * Writes a static-files tree like a built front end: FILES files (default 5,000) in 50 folders,
 * ~10 KB each on average (1-19 KiB, so ~50 MB in all), half with fingerprinted names
 * (app.3f2c9e1a.js), extensions of a real build (js, css, map, svg, png, woff2, json). Seeded: the
 * same bytes every run.
 *
 *   java GenerateAssets.java DIR [FILES]
 */
public final class GenerateAssets {
  private static final String[] EXT = {"js", "css", "map", "svg", "png", "woff2", "json", "js"};

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Random random = new Random(42);
    byte[] text =
        "function render(props){return props.items.map(i=>`<li>${i.name}</li>`).join('')}\n"
            .getBytes();
    long total = 0;
    for (int i = 0; i < files; i++) {
      Path dir = root.resolve("dir" + (i % 50));
      Files.createDirectories(dir);
      String ext = EXT[i % EXT.length];
      String name =
          i % 2 == 0
              ? "file" + i + "." + HexFormat.of().toHexDigits(random.nextInt()) + "." + ext
              : "file" + i + "." + ext;
      int size = 1024 + random.nextInt(18 * 1024);
      byte[] bytes = new byte[size];
      if (ext.equals("png") || ext.equals("woff2")) {
        random.nextBytes(bytes); // already compressed formats
      } else {
        for (int j = 0; j < size; j++) {
          bytes[j] = text[(j + i) % text.length];
        }
        bytes[0] = (byte) ('a' + random.nextInt(26)); // every file distinct
      }
      Files.write(dir.resolve(name), bytes);
      total += size;
    }
    System.out.println(files + " files, " + total + " bytes in " + root);
  }
}
