import io.ebdeploy.sandbox.SandboxCall;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Calls per polling tick: for groups of several sizes (1 web + N-1 workers, policy parallel), one
 * group deploy on a fresh sandbox, then the sandbox's call log of its wait phase (after the last
 * UpdateEnvironment) cut into ticks and counted. For contrast, the same environments deployed by N
 * per-environment loops side by side (one single-environment deploy per environment, concurrently).
 * See bench/README.md.
 *
 * <p>Usage: {@code CallsPerTickBench SIZES TIME_SCALE DEPLOY_SECONDS INTERVAL_MS WORK_DIR}, SIZES
 * like {@code 2,4,8}. Exit 0 when every tick of every group deploy made exactly one
 * DescribeEnvironments (for all the group's ids) and one DescribeEvents, 1 when not, 2 on error.
 */
public final class CallsPerTickBench {
  /** One size's numbers. */
  record Row(
      int size,
      int ticks,
      int minCalls,
      int maxCalls,
      double meanCalls,
      int badTicks,
      int minIds,
      int maxIds,
      List<String> otherCalls,
      long maxGapInTickMs,
      long minGapBetweenTicksMs,
      double loopCallsPerRound,
      double loopTicksMean) {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception e) {
      // Not a missed target: an error (exit 2).
      e.printStackTrace();
      System.exit(2);
    }
  }

  static void run(String[] args) throws Exception {
    List<Integer> sizes =
        java.util.Arrays.stream(args[0].split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    double scale = Double.parseDouble(args[1]);
    double deploySeconds = Double.parseDouble(args[2]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[3]));
    Path work = Path.of(args[4]);
    System.out.printf(
        Locale.ROOT,
        "settings: sizes %s, time scale %s, deploySeconds %s simulated = %s s real, fixed poll"
            + " interval %d ms (initial = max, so that ticks are cut by the sleep between them),"
            + " policy parallel%n",
        sizes,
        scale,
        deploySeconds,
        BenchSandbox.secs(deploySeconds * scale),
        interval.toMillis());
    System.out.println("load average at start: " + BenchSandbox.loadAverage());
    List<Row> rows = new ArrayList<>();
    for (int size : sizes) {
      rows.add(measure(size, scale, deploySeconds, interval, work));
      System.out.println("load average: " + BenchSandbox.loadAverage());
    }
    System.out.println();
    System.out.println(
        "| group size | ticks in the wait phase | calls per tick (min / mean / max) | ids per"
            + " DescribeEnvironments | other calls in the wait phase | N per-environment loops:"
            + " calls per round (2 x N) |");
    System.out.println("|---|---|---|---|---|---|");
    boolean ok = true;
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %d | %d | %d / %.2f / %d | %s | %s | %.2f (%d) |%n",
          r.size,
          r.ticks,
          r.minCalls,
          r.meanCalls,
          r.maxCalls,
          r.minIds == r.maxIds ? Integer.toString(r.minIds) : r.minIds + "-" + r.maxIds,
          r.otherCalls.isEmpty() ? "none" : String.join(", ", r.otherCalls),
          r.loopCallsPerRound,
          2 * r.size);
      boolean good =
          r.ticks > 0
              && r.badTicks == 0
              && r.minIds == r.size
              && r.maxIds == r.size
              && r.otherCalls.isEmpty();
      if (!good) {
        System.out.printf(
            Locale.ROOT,
            "MISSED for %d environments: %d of %d ticks were not exactly DescribeEnvironments (all"
                + " %d ids) + DescribeEvents%n",
            r.size,
            r.badTicks,
            r.ticks,
            r.size);
      }
      ok &= good;
    }
    System.out.println(
        "tick cut: the longest gap inside a tick and the shortest between ticks (ms), per size: "
            + String.join(
                ", ",
                rows.stream()
                    .map(r -> r.size + ": " + r.maxGapInTickMs + " / " + r.minGapBetweenTicksMs)
                    .toList()));
    System.out.println("load average at end: " + BenchSandbox.loadAverage());
    System.out.println(
        "calls per tick, group deploy: "
            + (ok ? "2 for every size   target = 2   OK" : "target = 2   MISSED"));
    System.exit(ok ? 0 : 1);
  }

  static Row measure(int size, double scale, double deploySeconds, Duration interval, Path work)
      throws Exception {
    try (BenchSandbox s = new BenchSandbox(scale)) {
      List<String> envs = s.group(size, deploySeconds);
      List<String> ids = s.ids(envs);
      Path project = BenchSandbox.project(work);

      // The group deploy.
      s.sandbox.clearCalls();
      s.deploy(project, BenchSandbox.TAG, "group", interval, interval).deploy();
      List<SandboxCall> calls = s.sandbox.calls();
      int lastUpdate = -1;
      int updates = 0;
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).action().equals("UpdateEnvironment")) {
          lastUpdate = i;
          updates++;
        }
      }
      if (updates != size) {
        throw new IllegalStateException(updates + " UpdateEnvironment calls for " + size);
      }
      List<SandboxCall> wait = calls.subList(lastUpdate + 1, calls.size());
      List<SandboxCall> polling = new ArrayList<>();
      List<String> other = new ArrayList<>();
      for (SandboxCall c : wait) {
        if (c.action().equals("DescribeEnvironments") || c.action().equals("DescribeEvents")) {
          polling.add(c);
        } else {
          other.add(c.action());
        }
      }
      // Cut into ticks where the gap is at least 90 % of the interval: between ticks the loop
      // sleeps the whole interval; inside one the calls follow each other at once.
      long cutNanos = interval.toNanos() * 9 / 10;
      List<List<SandboxCall>> ticks = new ArrayList<>();
      long maxIn = 0;
      long minBetween = Long.MAX_VALUE;
      Instant prev = null;
      for (SandboxCall c : polling) {
        long gap = prev == null ? Long.MAX_VALUE : Duration.between(prev, c.time()).toNanos();
        if (prev == null || gap >= cutNanos) {
          ticks.add(new ArrayList<>());
          if (prev != null) {
            minBetween = Math.min(minBetween, gap);
          }
        } else {
          maxIn = Math.max(maxIn, gap);
        }
        ticks.get(ticks.size() - 1).add(c);
        prev = c.time();
      }
      int min = Integer.MAX_VALUE;
      int max = 0;
      int bad = 0;
      int minIds = Integer.MAX_VALUE;
      int maxIds = 0;
      for (List<SandboxCall> t : ticks) {
        long de = t.stream().filter(c -> c.action().equals("DescribeEnvironments")).count();
        long ev = t.stream().filter(c -> c.action().equals("DescribeEvents")).count();
        min = Math.min(min, t.size());
        max = Math.max(max, t.size());
        if (de != 1 || ev != 1) {
          bad++;
        }
        for (SandboxCall c : t) {
          if (c.action().equals("DescribeEnvironments")) {
            minIds = Math.min(minIds, BenchSandbox.idCount(c));
            maxIds = Math.max(maxIds, BenchSandbox.idCount(c));
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%d environments, group deploy: %d ticks, calls per tick %s%n",
          size,
          ticks.size(),
          ticks.stream().map(t -> Integer.toString(t.size())).toList());

      // The contrast: one single-environment deploy per environment, all at once.
      s.sandbox.clearCalls();
      ExecutorService pool = Executors.newFixedThreadPool(size);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (String env : envs) {
          done.add(
              pool.submit(
                  () -> s.deploy(project, env, "loop-" + env, interval, interval).deploy()));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      List<SandboxCall> loopCalls = s.sandbox.calls();
      double ticksSum = 0;
      for (String id : ids) {
        Instant requested =
            loopCalls.stream()
                .filter(
                    c ->
                        c.action().equals("UpdateEnvironment")
                            && id.equals(c.params().get("EnvironmentId")))
                .map(SandboxCall::time)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no UpdateEnvironment for " + id));
        ticksSum +=
            loopCalls.stream()
                .filter(
                    c ->
                        c.action().equals("DescribeEnvironments")
                            && c.time().isAfter(requested)
                            && BenchSandbox.idCount(c) == 1
                            && id.equals(c.params().get("EnvironmentIds.member.1")))
                .count();
      }
      long events = loopCalls.stream().filter(c -> c.action().equals("DescribeEvents")).count();
      double ticksMean = ticksSum / size;
      double perRound = (ticksSum + events) / ticksMean;
      System.out.printf(
          Locale.ROOT,
          "%d environments, %d per-environment loops side by side: %.1f ticks each, %.0f"
              + " DescribeEnvironments + %d DescribeEvents = %.2f calls per round%n",
          size,
          size,
          ticksMean,
          ticksSum,
          events,
          perRound);
      return new Row(
          size,
          ticks.size(),
          ticks.isEmpty() ? 0 : min,
          max,
          ticks.isEmpty() ? 0 : (double) polling.size() / ticks.size(),
          bad,
          minIds == Integer.MAX_VALUE ? 0 : minIds,
          maxIds,
          other,
          maxIn / 1_000_000,
          minBetween == Long.MAX_VALUE ? 0 : minBetween / 1_000_000,
          perRound,
          ticksMean);
    }
  }
}
