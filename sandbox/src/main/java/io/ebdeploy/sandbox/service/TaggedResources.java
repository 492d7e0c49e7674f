package io.ebdeploy.sandbox.service;

import java.util.List;

/** A service whose resources the Resource Groups Tagging API lists. */
public interface TaggedResources {
  /** The region's tagged resources, in the order the Tagging API lists them. */
  List<TaggedResource> taggedResources(String region);
}
