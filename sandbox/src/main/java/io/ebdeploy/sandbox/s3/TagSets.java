package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.Xml;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * S3's tag sets: the {@code <Tagging>} XML and the {@code x-amz-tagging} header, checked as S3
 * checks them (counts, lengths, duplicate and system keys).
 */
final class TagSets {
  private TagSets() {}

  static Xml tagging(Map<String, String> tags) {
    Xml x = new Xml().open("Tagging", S3Wire.NAMESPACE).open("TagSet");
    tags.forEach((k, v) -> x.open("Tag").element("Key", k).element("Value", v).close("Tag"));
    return x.close("TagSet").close("Tagging");
  }

  /** Parses {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...}, checked as S3 checks it. */
  static Map<String, String> parseTagging(byte[] body, int max, boolean bucket) {
    Element root = S3Wire.parseXml(body, "Tagging");
    List<Element> sets = S3Wire.children(root, "TagSet");
    if (sets.size() != 1) {
      throw S3Errors.malformedXml();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Element tag : S3Wire.children(sets.get(0), "Tag")) {
      String k = S3Wire.childText(tag, "Key");
      String v = S3Wire.childText(tag, "Value");
      if (k == null || v == null) {
        throw S3Errors.malformedXml();
      }
      addTag(tags, k, v);
    }
    checkTags(tags, max, bucket);
    return tags;
  }

  static Map<String, String> tagsHeader(SandboxRequest r) {
    String header = r.header("x-amz-tagging");
    if (header == null || header.isEmpty()) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : header.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k =
          java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v =
          eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      addTag(tags, k, v);
    }
    checkTags(tags, 10, false);
    return tags;
  }

  private static void addTag(Map<String, String> tags, String k, String v) {
    if (tags.containsKey(k)) {
      throw S3Errors.error(400, "InvalidTag", "Cannot provide multiple Tags with the same key");
    }
    tags.put(k, v);
  }

  private static void checkTags(Map<String, String> tags, int max, boolean bucket) {
    if (tags.size() > max) {
      throw bucket
          ? S3Errors.error(400, "InvalidTag", "Bucket tag count cannot be greater than " + max)
          : S3Errors.error(400, "BadRequest", "Object tags cannot be greater than " + max);
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String k = e.getKey();
      if (k.isEmpty() || k.codePointCount(0, k.length()) > 128) {
        throw S3Errors.error(
            400, "InvalidTag", "The TagKey you have provided is invalid", "TagKey", k);
      }
      if (e.getValue().codePointCount(0, e.getValue().length()) > 256) {
        throw S3Errors.error(
            400, "InvalidTag", "The TagValue you have provided is too long, max 256", "TagKey", k);
      }
      if (k.startsWith("aws:")) {
        throw S3Errors.error(
            400, "InvalidTag", "System tags cannot be added/updated by requester", "TagKey", k);
      }
    }
  }
}
