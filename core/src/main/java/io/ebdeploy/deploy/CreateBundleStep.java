package io.ebdeploy.deploy;

import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;

/**
 * Resolves the label and writes the bundle, once for the whole group. The bundle's object key is
 * {@code <application>/<label>-<sha8>.zip}; its bucket is known only at upload.
 */
final class CreateBundleStep {
  /** What Beanstalk accepts in a version label. */
  static final int MAX_LABEL = 100;

  private CreateBundleStep() {}

  static DeployContext run(DeployContext ctx) {
    String label = ctx.source().label();
    checkLabel(label);
    SourceBundle.Built built = ctx.source().bundle(label);
    BundleInfo bundle =
        new BundleInfo(
            built.path(),
            built.sha256(),
            built.size(),
            built.entries().size(),
            "",
            DeployContext.bundleKey(ctx.group().application(), label, built.contentSha256()));
    ctx.events().emit(new DeployEvent.BundleCreated(ctx.events().now(), bundle, label));
    return ctx.withBundle(label, bundle, built.entries());
  }

  static void checkLabel(String label) {
    if (label == null || label.isBlank()) {
      throw EbDeployException.invalidInput("the version label is empty: pass --label v1.2");
    }
    if (label.length() > MAX_LABEL) {
      throw EbDeployException.invalidInput(
          "the version label is "
              + label.length()
              + " characters, over Beanstalk's "
              + MAX_LABEL
              + ": pass a shorter --label");
    }
    if (label.contains("/") || label.chars().anyMatch(Character::isISOControl)) {
      throw EbDeployException.invalidInput(
          "the version label \""
              + label
              + "\" has a slash or a control character: pass --label without them");
    }
  }
}
