import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Group deploy wall time: eb-deploy's one group deploy of 1 web + 3 workers (policy parallel)
 * against the per-environment sequential loop (one single-environment deploy after the other, each
 * with its own bundle, upload, version, update and wait), on one sandbox, alternating in the same
 * run. See bench/README.md.
 *
 * <p>Usage: {@code GroupDeployBench RUNS TIME_SCALE DEPLOY_SECONDS WORK_DIR [TARGET]}. Exit 0 when
 * the ratio of the medians is at most TARGET (default 0.35), 1 when it is not, 2 on any error.
 */
public final class GroupDeployBench {
  static final List<String> PHASES =
      List.of("discovery", "bundle", "upload", "version", "update", "wait", "finish");

  /** One deploy, or one loop of deploys: wall seconds and seconds per phase (summed for a loop). */
  record Timing(
      double wall, double[] phases, Map<String, Double> envTook, Map<String, Double> envWall) {}

  public static void main(String[] args) {
    int runs = Integer.parseInt(args[0]);
    double scale = Double.parseDouble(args[1]);
    double deploySeconds = Double.parseDouble(args[2]);
    Path work = Path.of(args[3]);
    double target = args.length > 4 ? Double.parseDouble(args[4]) : 0.35;
    // eb-deploy's defaults (2 s growing to 15 s) are for Beanstalk's pace: scaled like the deploys.
    Duration pollInitial = Duration.ofMillis(Math.round(2000 * scale));
    Duration pollMax = Duration.ofMillis(Math.round(15000 * scale));
    System.out.printf(
        Locale.ROOT,
        "settings: %d runs, time scale %s, deploySeconds %s simulated = %s s real per environment,"
            + " poll %d ms -> %d ms (both sides), policy parallel%n",
        runs,
        scale,
        deploySeconds,
        BenchSandbox.secs(deploySeconds * scale),
        pollInitial.toMillis(),
        pollMax.toMillis());
    System.out.println("load average at start: " + BenchSandbox.loadAverage());
    try (BenchSandbox s = new BenchSandbox(scale)) {
      List<String> envs = s.group(4, deploySeconds);
      Path project = BenchSandbox.project(work);
      System.out.println("group staging: " + envs + "; project " + project);
      Bench b = new Bench(s, envs, project, pollInitial, pollMax);
      // Warm-up (class loading, JIT, the sandbox's first bucket): one of each, not counted.
      b.group("warmup");
      b.loop("warmup");
      List<Timing> groups = new ArrayList<>();
      List<Timing> loops = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        Timing g;
        Timing l;
        // Alternate which side goes first, so that a drift in the machine's load hits both.
        if (i % 2 == 1) {
          g = b.group("r" + i);
          l = b.loop("r" + i);
        } else {
          l = b.loop("r" + i);
          g = b.group("r" + i);
        }
        groups.add(g);
        loops.add(l);
        ratios.add(g.wall / l.wall);
        System.out.printf(
            Locale.ROOT,
            "run %d: group deploy %6.2f s | per-environment loop %6.2f s (%s) | ratio %.2f"
                + " | load %s%n",
            i,
            g.wall,
            l.wall,
            String.join(" + ", l.envWall.values().stream().map(BenchSandbox::secs).toList()),
            g.wall / l.wall,
            BenchSandbox.loadAverage());
      }
      double gm = BenchSandbox.median(groups.stream().map(Timing::wall).toList());
      double lm = BenchSandbox.median(loops.stream().map(Timing::wall).toList());
      double ratio = gm / lm;
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "step timings from the deploy's events, median of %d (seconds; the loop's are summed"
              + " over its %d deploys):%n",
          runs,
          envs.size());
      System.out.printf(Locale.ROOT, "  %-10s %12s %12s%n", "step", "group", "loop");
      for (int p = 0; p < PHASES.size(); p++) {
        int q = p;
        System.out.printf(
            Locale.ROOT,
            "  %-10s %12s %12s%n",
            PHASES.get(p),
            BenchSandbox.secs(BenchSandbox.median(groups.stream().map(t -> t.phases[q]).toList())),
            BenchSandbox.secs(BenchSandbox.median(loops.stream().map(t -> t.phases[q]).toList())));
      }
      System.out.printf(
          Locale.ROOT, "  %-10s %12s %12s%n", "wall", BenchSandbox.secs(gm), BenchSandbox.secs(lm));
      System.out.println("  per environment, request to success (median), group | loop:");
      for (String env : envs) {
        System.out.printf(
            Locale.ROOT,
            "    %-16s %6s | %6s%n",
            env,
            BenchSandbox.secs(
                BenchSandbox.median(groups.stream().map(t -> t.envTook.get(env)).toList())),
            BenchSandbox.secs(
                BenchSandbox.median(loops.stream().map(t -> t.envTook.get(env)).toList())));
      }
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "== median of %d: group deploy %s s, per-environment loop %s s%n",
          runs,
          BenchSandbox.secs(gm),
          BenchSandbox.secs(lm));
      System.out.printf(
          Locale.ROOT,
          "per-run ratios: %s%n",
          String.join(
              ", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
      System.out.println("load average at end: " + BenchSandbox.loadAverage());
      boolean ok = ratio <= target;
      System.out.printf(
          Locale.ROOT,
          "ratio (group / loop, medians): %.2f   target <= %.2f   %s%n",
          ratio,
          target,
          ok ? "OK" : "MISSED");
      System.exit(ok ? 0 : 1);
    } catch (EbDeployException e) {
      System.err.println("deploy failed: " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(2);
    }
  }

  /** The two sides, on one sandbox and one project. */
  static final class Bench {
    final BenchSandbox s;
    final List<String> envs;
    final Path project;
    final Duration pollInitial;
    final Duration pollMax;

    Bench(BenchSandbox s, List<String> envs, Path project, Duration pollInitial, Duration pollMax) {
      this.s = s;
      this.envs = envs;
      this.project = project;
      this.pollInitial = pollInitial;
      this.pollMax = pollMax;
    }

    /** eb-deploy: one deploy of the whole group (tag env=staging). */
    Timing group(String label) {
      List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());
      Instant t0 = Instant.now();
      long n0 = System.nanoTime();
      DeployResult r =
          s.deploy(project, BenchSandbox.TAG, label, pollInitial, pollMax)
              .listener(events::add)
              .deploy();
      double wall = (System.nanoTime() - n0) / 1e9;
      Instant t1 = Instant.now();
      check(r, label, envs);
      Map<String, Double> took = new LinkedHashMap<>();
      for (EnvironmentResult e : r.environments()) {
        took.put(e.name(), e.duration().toNanos() / 1e9);
      }
      return new Timing(wall, phases(t0, events, t1), took, Map.of());
    }

    /**
     * The peer: for each environment in turn, a whole deploy of that one environment (group = its
     * exact name) with its own label: bundle, upload, version, update, wait.
     */
    Timing loop(String label) {
      double[] sum = new double[PHASES.size()];
      Map<String, Double> took = new LinkedHashMap<>();
      Map<String, Double> walls = new LinkedHashMap<>();
      long n0 = System.nanoTime();
      for (String env : envs) {
        List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());
        Instant t0 = Instant.now();
        long e0 = System.nanoTime();
        String own = label + "-" + env;
        DeployResult r =
            s.deploy(project, env, own, pollInitial, pollMax).listener(events::add).deploy();
        Instant t1 = Instant.now();
        walls.put(env, (System.nanoTime() - e0) / 1e9);
        check(r, own, List.of(env));
        took.put(env, r.environments().get(0).duration().toNanos() / 1e9);
        double[] p = phases(t0, events, t1);
        for (int i = 0; i < sum.length; i++) {
          sum[i] += p[i];
        }
      }
      return new Timing((System.nanoTime() - n0) / 1e9, sum, took, walls);
    }

    private void check(DeployResult r, String label, List<String> expected) {
      List<String> names = r.environments().stream().map(EnvironmentResult::name).toList();
      if (!r.succeeded() || !names.containsAll(expected) || names.size() != expected.size()) {
        throw new IllegalStateException("unexpected result for " + label + ": " + r.toJson());
      }
      for (String env : expected) {
        if (!label.equals(s.labelOf(env))) {
          throw new IllegalStateException(env + " is not on " + label + " after its deploy");
        }
      }
    }
  }

  /**
   * The deploy's steps from its events, in seconds: discovery (to DiscoveryDone), bundle (build and
   * zip, to BundleCreated), upload (version check and upload, to UploadDone), version (created and
   * processed), update (to the last UpdateRequested), wait (to the last environment's success),
   * finish (to the return of deploy()).
   */
  static double[] phases(Instant t0, List<DeployEvent> events, Instant t1) {
    Instant discovered = last(events, DeployEvent.DiscoveryDone.class, t0);
    Instant bundled = last(events, DeployEvent.BundleCreated.class, discovered);
    Instant uploaded =
        latest(
            last(events, DeployEvent.UploadDone.class, bundled),
            last(events, DeployEvent.UploadSkipped.class, bundled));
    Instant versioned = last(events, DeployEvent.VersionProcessing.class, uploaded);
    Instant requested = last(events, DeployEvent.UpdateRequested.class, versioned);
    Instant succeeded = last(events, DeployEvent.EnvironmentSucceeded.class, requested);
    Instant[] marks = {t0, discovered, bundled, uploaded, versioned, requested, succeeded, t1};
    double[] out = new double[PHASES.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Duration.between(marks[i], marks[i + 1]).toNanos() / 1e9;
    }
    return out;
  }

  private static Instant last(List<DeployEvent> events, Class<?> type, Instant otherwise) {
    synchronized (events) {
      return events.stream()
          .filter(type::isInstance)
          .map(DeployEvent::time)
          .max(Instant::compareTo)
          .orElse(otherwise);
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
