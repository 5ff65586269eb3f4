package dev.cronhook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The goals of BENCHMARKS.md as metrics, and the closing table of medians over the runs of each scenario. */
final class Table {
    private Table() {
    }

    /** Adds a metric with its goal to a result; {@code atLeast} says whether the goal is a floor or a ceiling. */
    @SuppressWarnings("unchecked")
    static void metric(Map<String, Object> result, String name, double value, String unit, Double goal, boolean atLeast) {
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) result.computeIfAbsent("metrics",
                k -> new ArrayList<Map<String, Object>>());
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("name", name);
        metric.put("value", Window.round(value, 2));
        metric.put("unit", unit);
        if (goal != null) {
            metric.put("goal", (atLeast ? ">= " : "<= ") + format(goal));
            metric.put("meets_goal", atLeast ? value >= goal : value <= goal);
        }
        metrics.add(metric);
    }

    /** Records the correctness checks and whether they all hold. */
    static void correctness(Map<String, Object> result, Map<String, Object> checks, boolean ok) {
        result.put("ok", ok);
        result.put("correctness", checks);
    }

    @SuppressWarnings("unchecked")
    static String render(List<Map<String, Object>> results) {
        Map<String, List<Map<String, Object>>> byScenario = new LinkedHashMap<>();
        for (Map<String, Object> r : results) {
            byScenario.computeIfAbsent((String) r.get("scenario"), k -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder();
        out.append("| scenario | metric | median | runs | goal | meets goal | correct runs |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (var entry : byScenario.entrySet()) {
            List<Map<String, Object>> runs = entry.getValue();
            long correct = runs.stream().filter(r -> Boolean.TRUE.equals(r.get("ok"))).count();
            Map<String, List<Map<String, Object>>> byMetric = new LinkedHashMap<>();
            for (Map<String, Object> r : runs) {
                for (Map<String, Object> m : (List<Map<String, Object>>) r.getOrDefault("metrics", List.of())) {
                    byMetric.computeIfAbsent((String) m.get("name"), k -> new ArrayList<>()).add(m);
                }
            }
            if (byMetric.isEmpty()) {
                out.append("| ").append(entry.getKey()).append(" | (failed: ").append(runs.getFirst().get("error"))
                        .append(") | | ").append(runs.size()).append(" | | | ").append(correct).append('/')
                        .append(runs.size()).append(" |\n");
            }
            for (var metric : byMetric.entrySet()) {
                List<Double> values = metric.getValue().stream().map(m -> ((Number) m.get("value")).doubleValue())
                        .sorted().toList();
                double median = values.size() % 2 == 1 ? values.get(values.size() / 2)
                        : (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
                Map<String, Object> first = metric.getValue().getFirst();
                String goal = (String) first.get("goal");
                String meets = "";
                if (goal != null) {
                    double g = Double.parseDouble(goal.substring(3).replace(",", ""));
                    meets = (goal.startsWith(">") ? median >= g : median <= g) ? "yes" : "NO";
                }
                String spread = values.size() > 1 ? " (" + format(values.getFirst()) + "–" + format(values.getLast()) + ")"
                        : "";
                out.append("| ").append(entry.getKey()).append(" | ").append(metric.getKey()).append(" | ")
                        .append(format(median)).append(' ').append(first.get("unit")).append(spread).append(" | ")
                        .append(values.size()).append(" | ").append(goal == null ? "" : goal + " " + first.get("unit"))
                        .append(" | ").append(meets).append(" | ").append(correct).append('/').append(runs.size())
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    static String format(double value) {
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
