package io.ebdeploy.sandbox.tagging;

import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.Json;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.ServiceApi;
import io.ebdeploy.sandbox.service.TaggedResource;
import io.ebdeploy.sandbox.service.TaggedResources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Resource Groups Tagging API (JSON 1.1, {@code X-Amz-Target:
 * ResourceGroupsTaggingAPI_20170126.GetResources}) over what the other services list as {@link
 * TaggedResources}: Elastic Beanstalk applications and environments (recently terminated
 * environments included, as on AWS) and S3 buckets. Read-only: GetResources, GetTagKeys,
 * GetTagValues.
 */
public final class TaggingApi implements ServiceApi {
  private static final String TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126.";
  private static final String ERROR_PREFIX = "com.amazonaws.resourcegroupstaggingapi#";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  private final List<TaggedResources> sources;

  /** Lists the tagged resources of these services, in this order. */
  public TaggingApi(List<TaggedResources> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public String service() {
    return "tagging";
  }

  @Override
  public String action(SandboxRequest request) {
    String target = request.header("x-amz-target");
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw ApiException.badRequest(
          "UnknownOperationException",
          "X-Amz-Target must be " + TARGET_PREFIX + "<Operation>, not " + target);
    }
    return target.substring(TARGET_PREFIX.length());
  }

  @Override
  public Map<String, Object> params(SandboxRequest request) {
    return Json.object(request.body());
  }

  @Override
  public SandboxResponse handle(SandboxRequest request, String action) {
    Map<String, Object> body = Json.object(request.body());
    List<TaggedResource> resources = resources(request.region());
    Map<String, Object> out =
        switch (action) {
          case "GetResources" -> getResources(body, resources);
          case "GetTagKeys" -> getTagKeys(body, resources);
          case "GetTagValues" -> getTagValues(body, resources);
          default ->
              throw ApiException.badRequest(
                  "UnknownOperationException",
                  "The sandbox's Tagging API answers GetResources, GetTagKeys and GetTagValues,"
                      + " not "
                      + action);
        };
    return SandboxResponse.json(200, CONTENT_TYPE, Json.write(out));
  }

  @Override
  public SandboxResponse error(SandboxRequest request, ApiException error, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("__type", ERROR_PREFIX + error.code());
    body.put("Message", error.getMessage());
    return SandboxResponse.json(error.status(), CONTENT_TYPE, Json.write(body));
  }

  private List<TaggedResource> resources(String region) {
    List<TaggedResource> out = new ArrayList<>();
    for (TaggedResources source : sources) {
      out.addAll(source.taggedResources(region));
    }
    return out;
  }

  private Map<String, Object> getResources(Map<String, Object> body, List<TaggedResource> all) {
    List<Map<String, Object>> filters = objectList(body, "TagFilters", 50);
    List<String> types = stringList(body, "ResourceTypeFilters", 100);
    List<String> arns = stringList(body, "ResourceARNList", 100);
    if (!arns.isEmpty() && (!filters.isEmpty() || !types.isEmpty())) {
      throw invalid(
          "ResourceARNList cannot be used together with TagFilters or ResourceTypeFilters.");
    }
    for (String t : types) {
      if (!t.matches("[a-z0-9-]+(:[A-Za-z0-9-]+)?")) {
        throw invalid("Unsupported resource type filter: " + t);
      }
    }
    List<Map<String, Object>> matched = new ArrayList<>();
    for (TaggedResource r : all) {
      if (!arns.isEmpty() && !arns.contains(r.arn())) {
        continue;
      }
      if (!types.isEmpty() && types.stream().noneMatch(t -> typeMatches(t, r))) {
        continue;
      }
      if (!filters.stream().allMatch(f -> filterMatches(f, r.tags()))) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ResourceARN", r.arn());
      List<Map<String, String>> tags = new ArrayList<>();
      r.tags().forEach((k, v) -> tags.add(Map.of("Key", k, "Value", v)));
      m.put("Tags", tags);
      matched.add(m);
    }
    int perPage = 50;
    Object rpp = body.get("ResourcesPerPage");
    if (rpp != null) {
      if (!(rpp instanceof Number n) || n.intValue() < 1 || n.intValue() > 100) {
        throw invalid("ResourcesPerPage must be between 1 and 100.");
      }
      perPage = ((Number) rpp).intValue();
    }
    return page(body, matched, perPage, "ResourceTagMappingList");
  }

  private static boolean typeMatches(String filter, TaggedResource r) {
    int colon = filter.indexOf(':');
    if (colon < 0) {
      return filter.equals(r.service());
    }
    return filter.substring(0, colon).equals(r.service())
        && filter.substring(colon + 1).equals(r.type());
  }

  private static boolean filterMatches(Map<String, Object> filter, Map<String, String> tags) {
    Object key = filter.get("Key");
    if (!(key instanceof String k) || k.isEmpty()) {
      throw invalid("Each TagFilter needs a Key.");
    }
    if (!tags.containsKey(k)) {
      return false;
    }
    Object values = filter.get("Values");
    if (values == null) {
      return true;
    }
    if (!(values instanceof List<?> list)) {
      throw invalid("TagFilter Values must be a list of strings.");
    }
    if (list.size() > 20) {
      throw invalid("A TagFilter can have at most 20 Values.");
    }
    return list.isEmpty() || list.contains(tags.get(k));
  }

  private Map<String, Object> getTagKeys(Map<String, Object> body, List<TaggedResource> all) {
    TreeSet<String> keys = new TreeSet<>();
    for (TaggedResource r : all) {
      keys.addAll(r.tags().keySet());
    }
    return page(body, new ArrayList<>(keys), 1000, "TagKeys");
  }

  private Map<String, Object> getTagValues(Map<String, Object> body, List<TaggedResource> all) {
    Object key = body.get("Key");
    if (!(key instanceof String k) || k.isEmpty()) {
      throw invalid("Key is required.");
    }
    TreeSet<String> values = new TreeSet<>();
    for (TaggedResource r : all) {
      String v = r.tags().get(k);
      if (v != null) {
        values.add(v);
      }
    }
    return page(body, new ArrayList<>(values), 1000, "TagValues");
  }

  /** One page; the last page carries {@code "PaginationToken":""}, as the real API does. */
  private static Map<String, Object> page(
      Map<String, Object> body, List<?> items, int perPage, String member) {
    int from = 0;
    Object token = body.get("PaginationToken");
    if (token != null && !(token instanceof String)) {
      throw invalid("PaginationToken must be a string.");
    }
    if (token != null && !((String) token).isEmpty()) {
      try {
        String decoded =
            new String(Base64.getUrlDecoder().decode((String) token), StandardCharsets.UTF_8);
        if (!decoded.startsWith("offset:")) {
          throw new IllegalArgumentException();
        }
        from = Integer.parseInt(decoded.substring("offset:".length()));
      } catch (IllegalArgumentException e) {
        throw invalid("The PaginationToken is not valid.");
      }
      if (from < 0 || from > items.size()) {
        throw invalid("The PaginationToken is not valid.");
      }
    }
    int to = Math.min(items.size(), from + perPage);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "PaginationToken",
        to < items.size()
            ? Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8))
            : "");
    out.put(member, new ArrayList<>(items.subList(from, to)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> objectList(
      Map<String, Object> body, String name, int max) {
    Object v = body.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list) || !list.stream().allMatch(o -> o instanceof Map)) {
      throw invalid(name + " must be a list of objects.");
    }
    if (list.size() > max) {
      throw invalid(name + " can have at most " + max + " members.");
    }
    return (List<Map<String, Object>>) v;
  }

  private static List<String> stringList(Map<String, Object> body, String name, int max) {
    Object v = body.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list) || !list.stream().allMatch(o -> o instanceof String)) {
      throw invalid(name + " must be a list of strings.");
    }
    if (list.size() > max) {
      throw invalid(name + " can have at most " + max + " members.");
    }
    List<String> out = new ArrayList<>();
    list.forEach(o -> out.add((String) o));
    return out;
  }

  private static ApiException invalid(String message) {
    return ApiException.badRequest("InvalidParameterException", message);
  }
}
