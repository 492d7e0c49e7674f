package io.ebdeploy.bundle;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A project holding every shape of bundle entry: deflated text, stored formats (real png, jpg and
 * gif images; webp and woff2 headers over random bytes), incompressible files that deflate cannot
 * shrink, empty files, files above {@link Compressor#IN_MEMORY} (compressible and not), a symlink,
 * an executable hook, and non-ASCII names. Seeded: the same bytes every time.
 */
final class BundleShapes {
  /** Above {@link Compressor#IN_MEMORY}: compressed through a spill file. */
  static final int LARGE = Compressor.IN_MEMORY + 123_457;

  private BundleShapes() {}

  /** Writes the files into the repository and commits them. */
  static TestRepo write(TestRepo repo) {
    Random random = new Random(16);
    repo.write("app.py", text(random, 20_000))
        .write("README.md", "# shapes\n")
        .executable(".platform/hooks/predeploy/01_migrate.sh", "#!/bin/sh\necho migrate\n")
        .write("empty.txt", "")
        .write("static/empty.png", "")
        .write("données/été.txt", "accents\n")
        .write("name with spaces.txt", "spaces\n")
        .symlink("static/current.css", "site.css")
        .write("static/site.css", text(random, 3_000));
    bytes(repo, "static/logo.png", image("png"));
    bytes(repo, "static/photo.jpg", image("jpg"));
    bytes(repo, "static/anim.gif", image("gif"));
    bytes(repo, "static/hero.webp", magic(random, "RIFF\0\0\0\0WEBPVP8 ", 30_000));
    bytes(repo, "static/font.woff2", magic(random, "wOF2", 20_000));
    bytes(repo, "data/noise.bin", magic(random, "", 50_000));
    bytes(repo, "data/large.csv", text(random, LARGE).getBytes(StandardCharsets.US_ASCII));
    bytes(repo, "data/large-noise.dat", magic(random, "", LARGE));
    bytes(repo, "static/large.png", magic(random, "\u0089PNG\r\n\u001a\n", LARGE));
    return repo.commit("every shape");
  }

  private static void bytes(TestRepo repo, String path, byte[] content) {
    try {
      Path file = repo.dir().resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] image(String format) {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 64; x++) {
      for (int y = 0; y < 48; y++) {
        image.setRGB(x, y, new Color(x * 4, y * 5, (x * y) % 256).getRGB());
      }
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A header (Latin-1) then random bytes, {@code size} in all. */
  private static byte[] magic(Random random, String header, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(h, 0, bytes, 0, h.length);
    return bytes;
  }

  /** Source-like text that deflates to about a third. */
  static String text(Random random, int size) {
    String[] words = {"def", "return", "self", "import", "class", "(", ")", ":", "=", "0", "42"};
    StringBuilder b = new StringBuilder(size + 16);
    while (b.length() < size) {
      b.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? '\n' : ' ');
    }
    b.setLength(size);
    return b.toString();
  }
}
