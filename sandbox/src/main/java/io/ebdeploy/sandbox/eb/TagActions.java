package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.eb.EbEnvironment.Step;
import io.ebdeploy.sandbox.eb.EbModel.EbApplication;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.eb.EbModel.EbVersion;
import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.TaggedResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ListTagsForResource and UpdateTagsForResource over application, version and environment ARNs,
 * Beanstalk's rules on tags, and the tagged resources the Tagging API lists.
 */
final class TagActions {
  private static final Pattern RESOURCE_ARN =
      Pattern.compile("arn:aws:elasticbeanstalk:([^:]+):(\\d+):([a-z]+)/(.+)");

  static final int MAX_USER_ENV_TAGS = 47;

  static final int MAX_TAGS = 50;

  private final Timeline timeline;

  TagActions(Timeline timeline) {
    this.timeline = timeline;
  }

  /** What an ARN of ListTagsForResource / UpdateTagsForResource names. */
  private record Tagged(Map<String, String> tags, EbEnvironment environment, int limit) {}

  private Tagged tagged(String arn, EbRegion r, String region) {
    Matcher m = RESOURCE_ARN.matcher(arn);
    if (!m.matches()) {
      throw EbErrors.invalid("ARN '" + arn + "' is not a valid Elastic Beanstalk resource ARN.");
    }
    String type = m.group(3);
    String[] path = m.group(4).split("/", 2);
    boolean here = m.group(1).equals(region) && m.group(2).equals(SandboxContext.ACCOUNT_ID);
    ApiException notFound =
        ApiException.badRequest(
            "ResourceNotFoundException", "Resource with ARN " + arn + " not found.");
    switch (type) {
      case "environment" -> {
        if (!here || path.length != 2) {
          throw notFound;
        }
        EbEnvironment e = r.liveEnvironment(path[1]);
        if (e == null || !e.application.equals(path[0])) {
          throw notFound;
        }
        return new Tagged(e.tags, e, MAX_USER_ENV_TAGS);
      }
      case "application" -> {
        EbApplication a = here ? r.applications.get(m.group(4)) : null;
        if (a == null) {
          throw notFound;
        }
        return new Tagged(a.tags, null, MAX_TAGS);
      }
      case "applicationversion" -> {
        EbApplication a = here && path.length == 2 ? r.applications.get(path[0]) : null;
        EbVersion v = a == null ? null : a.versions.get(path[1]);
        if (v == null) {
          throw notFound;
        }
        return new Tagged(v.tags, null, MAX_TAGS);
      }
      default ->
          throw ApiException.badRequest(
              "ResourceTypeNotSupportedException",
              "The resource type '" + type + "' is not supported by the sandbox's tagging.");
    }
  }

  QueryResult listTagsForResource(QueryParams p, EbRegion r, String region) {
    String arn = p.required("ResourceArn");
    Tagged t = tagged(arn, r, region);
    Map<String, String> tags = t.environment != null ? t.environment.allTags() : t.tags;
    return QueryResult.read(
        x -> {
          x.element("ResourceArn", arn);
          x.open("ResourceTags");
          tags.forEach(
              (k, v) -> x.open("member").element("Key", k).element("Value", v).close("member"));
          x.close("ResourceTags");
        });
  }

  QueryResult updateTagsForResource(
      QueryParams p, EbRegion r, String region, String requestId, long now) {
    String arn = p.required("ResourceArn");
    Tagged t = tagged(arn, r, region);
    Map<String, String> add = p.tags("TagsToAdd");
    List<String> remove = p.list("TagsToRemove");
    checkTags(add, MAX_TAGS);
    for (String k : remove) {
      if (reserved(k)) {
        throw EbErrors.invalid(
            "Tag key '" + k + "' is reserved by Elastic Beanstalk and cannot be removed.");
      }
    }
    EbEnvironment e = t.environment;
    if (e != null && !"Ready".equals(e.status)) {
      throw ApiException.badRequest(
          "OperationInProgressFailure",
          "Unable to update tags of environment "
              + e.name
              + ": an operation is already in progress, please retry again shortly.");
    }
    Map<String, String> next = new LinkedHashMap<>(t.tags);
    remove.forEach(next::remove);
    next.putAll(add);
    if (next.size() > t.limit) {
      throw ApiException.badRequest(
          "TooManyTagsException",
          "The number of tags in the resource would exceed the number of tags that each resource"
              + " can have.");
    }
    t.tags.clear();
    t.tags.putAll(next);
    if (e != null) {
      // Beanstalk applies environment tags through an environment update.
      e.begin("tags", requestId, now, "Updating");
      e.steps.add(new Step(now).event("INFO", "Environment update is starting."));
      e.steps.add(
          new Step(timeline.at(now, Timeline.TAG_UPDATE_SECONDS))
              .event("INFO", "Environment tag update completed successfully.")
              .status("Ready")
              .end());
    }
    return QueryResult.changed(null);
  }

  private static boolean reserved(String key) {
    return key.equals("Name") || key.startsWith("aws:") || key.startsWith("elasticbeanstalk:");
  }

  static void checkTags(Map<String, String> tags, int limit) {
    if (tags.size() > limit) {
      throw ApiException.badRequest(
          "TooManyTagsException",
          "The number of tags in the resource would exceed the number of tags that each resource"
              + " can have.");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (reserved(t.getKey())) {
        throw EbErrors.invalid(
            "Tag key '" + t.getKey() + "' is reserved by Elastic Beanstalk and cannot be set.");
      }
      if (t.getKey().isEmpty() || t.getKey().length() > 128) {
        throw EbErrors.invalid("Tag key '" + t.getKey() + "' must be 1 to 128 characters long.");
      }
      if (t.getValue().length() > 256) {
        throw EbErrors.invalid(
            "The value of tag '" + t.getKey() + "' must be at most 256 characters long.");
      }
    }
  }

  /**
   * The region's tagged applications and environments, recently terminated environments included
   * (the Tagging API keeps returning them for a while, as it does on AWS).
   */
  List<TaggedResource> taggedResources(EbRegion r, String region, long now) {
    List<TaggedResource> out = new ArrayList<>();
    for (EbApplication a : r.applications.values()) {
      if (!a.tags.isEmpty()) {
        out.add(
            new TaggedResource(
                a.arn(region), "elasticbeanstalk", "application", Map.copyOf(a.tags)));
      }
    }
    for (EbEnvironment e : r.environments) {
      if (!"Terminated".equals(e.status) || timeline.recentlyTerminated(e, now)) {
        out.add(new TaggedResource(e.arn(), "elasticbeanstalk", "environment", e.allTags()));
      }
    }
    return out;
  }
}
