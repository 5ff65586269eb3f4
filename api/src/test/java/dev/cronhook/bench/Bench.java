package dev.cronhook.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark of BENCHMARKS.md: drives the packaged server on PostgreSQL with the HTTP target in another process,
 * runs the scenarios asked for (S1–S9, and T0, the target's own capacity), prints one JSON object per scenario run
 * and a table of medians at the end.
 *
 * <pre>
 * Bench [--quick] [--runs N] [--builtin-loop off] [--connections N] [--s1-jobs N] [--warm-ups N]
 *       [--keep-db] [--jar path]
 *       [--work dir] [T0 S1 S2 ...]
 * </pre>
 */
public final class Bench {
    /** The server's setting for connections per destination; scenarios run at the default unless they say why not. */
    static final String CONNECTIONS = "CRONHOOK_CONNECTIONS_PER_DESTINATION";
    private static final List<String> ALL = List.of("T0", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9");

    /** What the command line asked for. */
    record Options(List<String> scenarios, boolean quick, int runs, boolean builtinLoop, boolean keepDatabases,
                   Path jar, Path work, List<String> serverJvmOptions, Map<String, String> serverEnv, int s1Jobs,
                   int warmUpRounds) {
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        // Stopped early (Ctrl-C): the server and the target go too.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
                .forEach(ProcessHandle::destroy), "bench-stop-children"));
        Files.createDirectories(options.work());
        Path results = options.work().resolve("results.jsonl");
        System.out.println("# cronhook benchmark: " + options.scenarios() + (options.quick() ? " (quick)" : "")
                + ", " + options.runs() + " run(s) each, built-in incident loop " + (options.builtinLoop() ? "on" : "off")
                + "; work folder " + options.work());
        System.out.println("# " + machine());
        List<Map<String, Object>> all = new ArrayList<>();
        try (TargetProcess target = new TargetProcess(options.work())) {
            for (String scenario : options.scenarios()) {
                for (int run = 1; run <= options.runs(); run++) {
                    Map<String, Object> result;
                    try {
                        result = runScenario(scenario, options, target);
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                        result = new LinkedHashMap<>();
                        result.put("scenario", scenario);
                        result.put("ok", false);
                        result.put("error", e.toString());
                    }
                    result.put("run", run);
                    String line = ScenarioRun.JSON.writeValueAsString(result);
                    System.out.println(line);
                    Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    all.add(result);
                }
            }
        }
        System.out.println();
        System.out.println(Table.render(all));
        System.exit(all.stream().allMatch(r -> Boolean.TRUE.equals(r.get("ok"))) ? 0 : 1);
    }

    private static Map<String, Object> runScenario(String scenario, Options options, TargetProcess target) {
        return switch (scenario) {
            case "T0" -> TargetCapacity.run(options, target);
            case "S1" -> Saturation.run(options, target);
            case "S2" -> Lag.runS2(options, target);
            case "S3" -> Backlog.run(options, target);
            case "S4" -> SlowTarget.run(options, target);
            case "S5" -> ManyJobs.run(options, target);
            case "S6" -> Lag.runS6(options, target);
            case "S7" -> Intake.run(options, target);
            case "S8" -> Checks.run(options, target);
            case "S9" -> BurstAtDefaults.run(options, target);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    private static Options parse(String[] args) {
        List<String> scenarios = new ArrayList<>();
        boolean quick = false;
        boolean loop = true;
        boolean keep = false;
        int runs = 1;
        String connections = null;
        int s1Jobs = -1;
        int warmUps = WarmUp.ROUNDS;
        Path jar = Path.of("api/target/cronhook.jar");
        Path work = Path.of("api/target/bench/" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()
                .replace(":", ""));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--builtin-loop" -> loop = !args[++i].equals("off");
                case "--keep-db" -> keep = true;
                case "--connections" -> connections = args[++i];
                case "--s1-jobs" -> s1Jobs = Integer.parseInt(args[++i]);
                // --s1-warm-ups: its name from when only S1 warmed up, kept for the commands written with it
                case "--warm-ups", "--s1-warm-ups" -> warmUps = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> {
                    String name = args[i].toUpperCase(Locale.ROOT);
                    if (!ALL.contains(name)) {
                        throw new IllegalArgumentException("unknown argument " + args[i] + "; scenarios are " + ALL);
                    }
                    scenarios.add(name);
                }
            }
        }
        String opts = System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", "").trim();
        List<String> jvm = opts.isEmpty() ? List.of() : Arrays.asList(opts.split("\\s+"));
        return new Options(scenarios.isEmpty() ? ALL : scenarios, quick, runs, loop, keep, jar.toAbsolutePath(),
                work.toAbsolutePath(), jvm,
                connections == null ? Map.of() : Map.of(CONNECTIONS, connections),
                s1Jobs > 0 ? s1Jobs : quick ? 5_000 : 10_000, warmUps);
    }

    static String machine() {
        long memoryKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + Math.round(memoryKb / 1048576.0) + " GiB, JDK "
                + Runtime.version() + ", PostgreSQL " + Pg.serverVersion() + ", " + Instant.now();
    }

    static String onceJob(String name, String url, Instant runAt) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"run_at\":\"" + runAt.truncatedTo(ChronoUnit.MILLIS)
                + "\"}";
    }

    /** The connections per destination a scenario's server runs with, as reported. */
    static String connections(Map<String, String> serverEnv) {
        return serverEnv.getOrDefault(CONNECTIONS, "default");
    }

    static String cronJob(String name, String url, String cron) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"cron\":\"" + cron + "\"}";
    }

    /** A scenario's result, in the order it is printed. */
    static Map<String, Object> result(String scenario, String what) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", scenario);
        result.put("what", what);
        return result;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis, int nanos) {
        try {
            Thread.sleep(millis, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleepUntil(Instant when) {
        long millis = when.toEpochMilli() - System.currentTimeMillis();
        if (millis > 0) {
            sleep(millis);
        }
    }

    static String pretty(Object value) {
        try {
            return ScenarioRun.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
