package io.phantomdb.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared isolation corpus ({@code ../shared/conformance/isolation/anomalies.json}, Hermitage's PostgreSQL
 * scripts, CC BY 4.0, Martin Kleppmann) read into records. The file is read in place, never copied into the
 * repository; its README defines every field used here.
 */
record HermitageCases(List<String> setup, List<String> levels, Map<String, String> levelSql, List<Case> cases) {

    /** Where the corpus lives: the shared directory next to the project (Surefire runs in the project dir). */
    static Path corpus() {
        return Path.of(System.getProperty("user.dir")).resolve("../shared/conformance/isolation/anomalies.json").normalize();
    }

    /** One Hermitage scenario; {@code postgres} maps each level to "prevented" or "anomaly". */
    record Case(String id, String name, String anomalyIf, Map<String, String> postgres, List<Variant> variants) {
        /** The variant Hermitage scripted at {@code level}, or null. */
        Variant scriptedAt(String level) {
            for (Variant v : variants) {
                if (v.level().equals(level)) {
                    return v;
                }
            }
            return null;
        }
    }

    record Variant(String level, String postgresResult, List<Step> steps) {}

    /** {@code releases}: the step number of the blocked step this one releases, or 0. */
    record Step(int n, String session, String sql, Expect expect, int releases) {}

    /**
     * {@code type}: ok, rows, blocks or error. {@code rows} for rows; {@code then} and {@code releasedBy} for
     * blocks; {@code error} ("serialization") for error.
     */
    record Expect(String type, List<List<Long>> rows, Expect then, int releasedBy, String error) {
        boolean serializationError() {
            return type.equals("error") && "serialization".equals(error);
        }

        /** The outcome finally expected: the {@code then} of a blocking step, else itself. */
        Expect outcome() {
            return type.equals("blocks") ? then : this;
        }
    }

    static HermitageCases load() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(corpus()));
        List<String> setup = strings(root.get("setup"));
        List<String> levels = strings(root.get("levels"));
        Map<String, String> levelSql = new LinkedHashMap<>();
        root.get("level_sql").fields().forEachRemaining(e -> levelSql.put(e.getKey(), e.getValue().asText()));
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            Map<String, String> postgres = new LinkedHashMap<>();
            c.get("postgres").fields().forEachRemaining(e -> postgres.put(e.getKey(), e.getValue().get("result").asText()));
            List<Variant> variants = new ArrayList<>();
            for (JsonNode v : c.get("variants")) {
                List<Step> steps = new ArrayList<>();
                for (JsonNode s : v.get("steps")) {
                    steps.add(new Step(s.get("n").asInt(), s.get("session").asText(), s.get("sql").asText(),
                            expect(s.get("expect")), s.path("releases").asInt(0)));
                }
                variants.add(new Variant(v.get("level").asText(), v.get("postgres_result").asText(), List.copyOf(steps)));
            }
            cases.add(new Case(c.get("id").asText(), c.get("name").asText(), c.get("anomaly_if").asText(), postgres,
                    List.copyOf(variants)));
        }
        return new HermitageCases(setup, levels, levelSql, List.copyOf(cases));
    }

    private static Expect expect(JsonNode e) {
        if (e == null || e.isMissingNode()) {
            return null;
        }
        List<List<Long>> rows = null;
        if (e.has("rows")) {
            rows = new ArrayList<>();
            for (JsonNode row : e.get("rows")) {
                List<Long> values = new ArrayList<>();
                row.forEach(v -> values.add(v.isNull() ? null : v.asLong()));
                rows.add(values);
            }
        }
        return new Expect(e.get("type").asText(), rows, expect(e.get("then")), e.path("released_by").asInt(0),
                e.path("error").asText(null));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
