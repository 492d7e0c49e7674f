package io.ebdeploy.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Whether this machine is an EC2 instance, from files the kernel exposes, without a network call:
 * the instance metadata service is asked for the region only where it can answer. Off EC2 the SDK's
 * own probe of {@code 169.254.169.254} costs about 2 s before it gives up.
 *
 * <p>The signals are the ones AWS documents ("Detect whether a host is an EC2 instance",
 * docs.aws.amazon.com/AWSEC2/latest/UserGuide/identify_ec2_instances.html) and that AWS's own
 * clock-bound daemon and Chef's ohai read: on Nitro instances the DMI system vendor is {@code
 * Amazon EC2} and the board asset tag is the instance id ({@code i-...}); on Xen instances the
 * hypervisor UUID, or the DMI product UUID, starts with {@code ec2}, and the BIOS version contains
 * {@code amazon}. Containers on an instance (ECS, EKS, Docker) see the same files. {@code
 * AWS_EC2_METADATA_DISABLED=true} turns the metadata service off, as in the SDKs and the AWS CLI.
 */
final class Ec2Host {
  private Ec2Host() {}

  /** True when {@code root} (the file system root, {@code /}) shows an EC2 instance. */
  static boolean detected(Map<String, String> env, Path root) {
    if ("true".equalsIgnoreCase(env.getOrDefault("AWS_EC2_METADATA_DISABLED", "").strip())) {
      return false;
    }
    Path dmi = root.resolve("sys/devices/virtual/dmi/id");
    return read(dmi.resolve("sys_vendor")).equals("amazon ec2")
        || read(dmi.resolve("board_asset_tag")).startsWith("i-")
        || read(root.resolve("sys/hypervisor/uuid")).startsWith("ec2")
        || read(dmi.resolve("product_uuid")).startsWith("ec2")
        || read(dmi.resolve("bios_version")).contains("amazon");
  }

  /** The file's first line, trimmed and lower-cased; empty when absent or unreadable. */
  private static String read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      int eol = text.indexOf('\n');
      return (eol < 0 ? text : text.substring(0, eol)).strip().toLowerCase(Locale.ROOT);
    } catch (IOException | RuntimeException e) {
      return ""; // absent (not Linux, not EC2) or root-only (product_uuid)
    }
  }
}
