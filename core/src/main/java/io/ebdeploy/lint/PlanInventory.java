package io.ebdeploy.lint;

import io.ebdeploy.bundle.BundlePlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The bundle eb-deploy would write for a git project, from {@link BundlePlan}. */
final class PlanInventory implements Inventory {
  private final Path dir;
  private final BundlePlan plan;
  private final List<Item> files;
  private final Map<String, Item> byName;

  PlanInventory(Path dir, BundlePlan plan) {
    this.dir = dir;
    this.plan = plan;
    this.files =
        plan.files().stream()
            .map(f -> new Item(f.name(), f.size(), f.executable(), f.symlink()))
            .toList();
    this.byName = files.stream().collect(Collectors.toMap(Item::name, i -> i));
  }

  @Override
  public String describe() {
    return "the bundle of " + dir + " (git-tracked files, .ebignore and bundle.* applied)";
  }

  @Override
  public List<Item> files() {
    return files;
  }

  @Override
  public Optional<Item> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public byte[] read(String name) throws IOException {
    return plan.read(name);
  }

  @Override
  public boolean complete() {
    return true;
  }

  @Override
  public int entryCount() {
    return plan.fileCount();
  }

  @Override
  public Optional<Long> zipSize() {
    return Optional.empty();
  }
}
