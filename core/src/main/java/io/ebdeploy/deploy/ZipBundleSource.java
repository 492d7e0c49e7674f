package io.ebdeploy.deploy;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.bundle.Bundler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A zip built elsewhere: no build, the label must be given. */
final class ZipBundleSource implements SourceBundle {
  private final Path zip;
  private final Optional<String> label;

  ZipBundleSource(Path zip, Optional<String> label) {
    this.zip = zip;
    this.label = label;
  }

  @Override
  public String label() {
    return label.orElseThrow(
        () ->
            EbDeployException.invalidInput(
                "a prebuilt bundle needs a label: pass one (--label v1.2)"));
  }

  @Override
  public void build(Consumer<String> lines) {}

  @Override
  public Built bundle(String label) {
    if (!Files.isRegularFile(zip)) {
      throw EbDeployException.invalidInput("bundle " + zip + " does not exist or is not a file");
    }
    List<String> entries = new ArrayList<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      z.stream().map(ZipEntry::getName).forEach(entries::add);
    } catch (IOException e) {
      throw EbDeployException.invalidInput(
          "bundle " + zip + " is not a readable zip (" + e.getMessage() + "): rebuild it");
    }
    if (entries.isEmpty()) {
      throw EbDeployException.invalidInput("bundle " + zip + " is empty: nothing to deploy");
    }
    try {
      long size = Files.size(zip);
      if (size > Bundler.MAX_BUNDLE_BYTES) {
        throw EbDeployException.invalidInput(
            "bundle "
                + zip
                + " is "
                + size
                + " bytes, over Beanstalk's limit of "
                + Bundler.MAX_BUNDLE_BYTES
                + " bytes: exclude build caches or large data");
      }
      String sha256 = sha256(zip);
      return new Built(zip, sha256, sha256, size, entries);
    } catch (IOException e) {
      throw EbDeployException.invalidInput("bundle " + zip + " cannot be read: " + e.getMessage());
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
