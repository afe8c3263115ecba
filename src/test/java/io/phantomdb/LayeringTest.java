package io.phantomdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Goal: keep the layer stack of STYLE.md section 2 true in code - imports point only down the stack,
 * {@code config}/{@code error}/{@code metrics} are leaves, and {@code storage} stays a plain-Java engine
 * that could be published on its own (CockroachDB's {@code dep_test.go} idea).
 *
 * <p>Method: every {@code .java} file under {@code src/main/java} is read; comments and string literals are
 * blanked out; its imports (static ones too) and any fully qualified names left in the code are the
 * references checked against {@link #LAYERS} and the library rules. Test methods prefixed {@code scanner}
 * and {@code checker} test the test on known inputs, so that a broken scanner cannot pass by finding
 * nothing.
 *
 * <p>To add a package: give it a row in {@link #LAYERS} (and in STYLE.md section 2 / docs/architecture.md);
 * a package in no row fails the build, because a class without an obvious home means the design is not
 * finished (STYLE.md item 9).
 */
class LayeringTest {

    static final String ROOT = "io.phantomdb";

    /**
     * Rank of each package (and its subpackages) in the stack: a package may import only packages of a
     * lower rank, its own subtree, or a leaf. The root package itself (the embedded API) ranks just below
     * the entry points, which build on it.
     */
    static final Map<String, Integer> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("server", 9);
        LAYERS.put("cli", 10); // the phantom command: starts servers (server) and talks to them (client)
        LAYERS.put("client", 9);
        LAYERS.put("", 8); // the root package io.phantomdb: the embedded API the servers build on (DESIGN.md "Interfaces")
        LAYERS.put("node", 7); // loads conf/ and turns it into each layer's options (docs/decisions.md)
        LAYERS.put("sql", 6);
        LAYERS.put("document", 6);
        LAYERS.put("exec", 5);
        LAYERS.put("security", 5); // roles, SCRAM verifiers, privileges; stored in the system partition
        LAYERS.put("txn.coordinator", 4);
        LAYERS.put("catalog", 4);
        LAYERS.put("partition", 3);
        LAYERS.put("txn.journal", 3); // Pekko Persistence journal + snapshot store on the storage engine
        LAYERS.put("txn.mvcc", 2);
        LAYERS.put("storage", 1);
    }

    /** Usable from every layer except storage; import only each other. */
    static final Set<String> LEAVES = Set.of("config", "error", "metrics");

    /** Same-rank imports that the design calls for (DESIGN.md "Documents": SQL/JSON functions, paths). */
    static final Set<String> SIDEWAYS_ALLOWED = Set.of("sql->document");

    /** All storage may reference outside io.phantomdb.storage (DESIGN.md: plain Java, publishable alone). */
    static final List<String> STORAGE_EXTERNAL_ALLOWED =
            List.of("java.", "javax.", "com.github.benmanes.caffeine.", "net.jpountz.", "org.slf4j.");

    /** Library prefixes each confined to the packages named (entry points own the terminal and logging). */
    static final Map<String, Set<String>> LIBRARY_OWNERS = Map.of(
            "picocli.", Set.of("cli"),
            "org.jline.", Set.of("cli"),
            "ch.qos.logback.", Set.of("cli", "server", "node"));

    /** Packages that must never import Pekko (STYLE.md section 2). */
    static final Set<String> PEKKO_FREE = Set.of("storage", "txn.mvcc");

    private static final Pattern PACKAGE_DECLARATION = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");
    /** A qualified name in code whose first segment is a well-known top-level domain of packages. */
    private static final Pattern QUALIFIED_NAME = Pattern.compile(
            "(?<![\\w.])((?:io|org|com|net|ch|info|picocli|kamon|java|javax|jdk|sun)(?:\\.[a-z_][\\w]*)+\\.[A-Z]\\w*)");

    /** One reference from a source file: the referenced name and the 1-based line. */
    record Reference(String name, int line) {}

    /** One parsed source file. */
    record SourceFile(Path path, String packageName, List<Reference> references) {}

    // ---------------------------------------------------------------- the real check

    @Test
    void mainSourcesImportOnlyDownTheLayerStack() throws IOException {
        List<SourceFile> files = scanMainSources();
        List<String> violations = new ArrayList<>();
        for (SourceFile file : files) {
            violations.addAll(check(file));
        }
        if (!violations.isEmpty()) {
            fail(violations.size() + " layering violation(s) (STYLE.md section 2; rules in LayeringTest):\n  "
                    + String.join("\n  ", violations));
        }
    }

    @Test
    void scannerReadsTheWholeMainTree() throws IOException {
        List<SourceFile> files = scanMainSources();
        Set<String> packages = files.stream().map(SourceFile::packageName).collect(Collectors.toSet());
        assertTrue(files.size() >= 10, "suspiciously few sources scanned: " + files.size());
        assertTrue(packages.contains("io.phantomdb.storage"), "storage not scanned: " + packages);
        assertTrue(packages.contains("io.phantomdb.cli"), "cli not scanned: " + packages);
    }

    @Test
    void scannerFindsKnownImportsInTheRealTree() throws IOException {
        Map<String, SourceFile> byName = scanMainSources().stream()
                .collect(Collectors.toMap(f -> f.path().getFileName().toString() + "@" + f.packageName(), f -> f, (a, b) -> a));
        SourceFile engine = byName.get("Engine.java@io.phantomdb.storage");
        assertTrue(engine != null, "storage/Engine.java not found");
        assertTrue(names(engine).contains("io.phantomdb.storage.fs.FileSystem"), "Engine imports FileSystem: " + names(engine));
        SourceFile main = byName.get("PhantomMain.java@io.phantomdb.cli");
        assertTrue(main != null, "cli/PhantomMain.java not found");
        assertTrue(names(main).contains("picocli.CommandLine"), "PhantomMain imports picocli: " + names(main));
        assertTrue(names(main).contains("io.phantomdb.storage.Engine"), "PhantomMain imports Engine: " + names(main));
    }

    // ---------------------------------------------------------------- tests of the test

    @Test
    void scannerSeesImportsAndQualifiedNamesButNotCommentsOrStrings() {
        String source = String.join("\n",
                "package io.phantomdb.storage.demo;",
                "// import org.apache.pekko.actor.ActorSystem;",
                "/* import com.typesafe.config.Config; */",
                "import java.util.List;",
                "import static io.phantomdb.storage.codec.ByteCoding.putInt;",
                "import io.phantomdb.storage.key.*;",
                "/** {@link org.apache.calcite.rel.RelNode} */",
                "class Demo {",
                "  String s = \"org.apache.pekko.actor.ActorSystem\";",
                "  String t = \"\"\"",
                "      io.kamon.Kamon",
                "      \"\"\";",
                "  char c = '\"';",
                "  Object o = new io.phantomdb.cli.PhantomMain();",
                "}");
        SourceFile file = parse(Path.of("Demo.java"), source);
        assertEquals("io.phantomdb.storage.demo", file.packageName());
        assertEquals(List.of("java.util.List", "io.phantomdb.storage.codec.ByteCoding.putInt", "io.phantomdb.storage.key.*",
                "io.phantomdb.cli.PhantomMain"), names(file));
        assertEquals(14, file.references().get(3).line(), "line of the qualified name");
    }

    @Test
    void checkerFlagsEachKindOfViolation() {
        assertViolation("io.phantomdb.storage", "org.apache.pekko.actor.typed.ActorRef");
        assertViolation("io.phantomdb.storage.wal", "com.typesafe.config.Config");
        assertViolation("io.phantomdb.storage", "io.kamon.Kamon");
        assertViolation("io.phantomdb.storage.segment", "org.apache.calcite.rel.RelNode");
        assertViolation("io.phantomdb.storage", "io.phantomdb.config.Limits"); // storage stands alone
        assertViolation("io.phantomdb.storage", "io.phantomdb.cli.PhantomMain");
        assertViolation("io.phantomdb.txn.mvcc", "org.apache.pekko.actor.typed.ActorRef");
        assertViolation("io.phantomdb.partition", "io.phantomdb.sql.Planner"); // upward
        assertViolation("io.phantomdb.server", "io.phantomdb.cli.PhantomMain"); // sideways
        assertViolation("io.phantomdb.document", "io.phantomdb.sql.Planner"); // sideways, not allowed this way
        assertViolation("io.phantomdb.config", "io.phantomdb.storage.EngineOptions"); // leaf importing a layer
        assertViolation("io.phantomdb.sql", "org.jline.reader.LineReader"); // terminal belongs to cli
        assertViolation("io.phantomdb.exec", "ch.qos.logback.classic.Logger"); // logging backend
        assertViolation("io.phantomdb.gadgets", "java.util.List"); // package in no layer
        assertViolation("io.phantomdb.exec", "io.phantomdb.txn.Thing"); // referenced package in no layer
        assertViolation("io.phantomdb", "io.phantomdb.server.HttpServer"); // embedded API below the servers
    }

    @Test
    void checkerAcceptsDownwardLeafAndAllowedImports() {
        assertNoViolation("io.phantomdb.cli", "io.phantomdb.storage.Engine");
        assertNoViolation("io.phantomdb.cli", "io.phantomdb.node.NodeConfig");
        assertNoViolation("io.phantomdb.cli", "picocli.CommandLine");
        assertNoViolation("io.phantomdb.node", "com.typesafe.config.Config");
        assertNoViolation("io.phantomdb.partition", "org.apache.pekko.actor.typed.ActorRef");
        assertNoViolation("io.phantomdb.partition", "io.phantomdb.txn.mvcc.Intent");
        assertNoViolation("io.phantomdb.sql", "io.phantomdb.document.json.JsonValue");
        assertNoViolation("io.phantomdb.exec", "io.phantomdb.error.ErrorCode");
        assertNoViolation("io.phantomdb.config", "io.phantomdb.error.ErrorCode");
        assertNoViolation("io.phantomdb.storage.wal", "io.phantomdb.storage.codec.Checksums");
        assertNoViolation("io.phantomdb.storage", "com.github.benmanes.caffeine.cache.Cache");
        assertNoViolation("io.phantomdb.storage", "net.jpountz.lz4.LZ4Factory");
        assertNoViolation("io.phantomdb.storage", "org.slf4j.Logger");
        assertNoViolation("io.phantomdb", "io.phantomdb.node.NodeConfig");
        assertNoViolation("io.phantomdb.server", "io.phantomdb.PhantomDb");
    }

    private static void assertViolation(String packageName, String reference) {
        SourceFile file = new SourceFile(Path.of("X.java"), packageName, List.of(new Reference(reference, 1)));
        assertFalse(check(file).isEmpty(), packageName + " -> " + reference + " should be a violation");
    }

    private static void assertNoViolation(String packageName, String reference) {
        SourceFile file = new SourceFile(Path.of("X.java"), packageName, List.of(new Reference(reference, 1)));
        assertEquals(List.of(), check(file), packageName + " -> " + reference + " should be allowed");
    }

    // ---------------------------------------------------------------- rules

    /** The violations of one file, each as "path:line: what". */
    static List<String> check(SourceFile file) {
        List<String> violations = new ArrayList<>();
        Optional<String> from = component(file.packageName());
        if (from.isEmpty()) {
            violations.add(file.path() + ": package " + file.packageName() + " is in no layer of the stack;"
                    + " add it to LayeringTest.LAYERS and STYLE.md section 2, or move the class");
            return violations;
        }
        for (Reference reference : file.references()) {
            String problem = problem(from.get(), reference.name());
            if (problem != null) {
                violations.add(file.path() + ":" + reference.line() + ": " + file.packageName() + " -> "
                        + reference.name() + ": " + problem);
            }
        }
        return violations;
    }

    /** Why {@code from} (a component) may not reference {@code name}, or null when it may. */
    static String problem(String from, String name) {
        boolean storage = from.equals("storage");
        if (storage && !name.startsWith(ROOT + ".storage.") && STORAGE_EXTERNAL_ALLOWED.stream().noneMatch(name::startsWith)) {
            return "storage may reference only io.phantomdb.storage.., " + String.join(", ", STORAGE_EXTERNAL_ALLOWED);
        }
        if (PEKKO_FREE.contains(from) && name.startsWith("org.apache.pekko.")) {
            return from + " must not import Pekko";
        }
        for (Map.Entry<String, Set<String>> owned : LIBRARY_OWNERS.entrySet()) {
            if (name.startsWith(owned.getKey()) && !owned.getValue().contains(from)) {
                return owned.getKey() + "* may be used only by " + owned.getValue();
            }
        }
        if (!name.startsWith(ROOT + ".")) {
            return null;
        }
        String packageName = packageOf(name);
        Optional<String> to = component(packageName);
        if (to.isEmpty()) {
            return "package " + packageName + " is in no layer of the stack";
        }
        return layerProblem(from, to.get());
    }

    private static String layerProblem(String from, String to) {
        if (from.equals(to)) {
            return null;
        }
        boolean fromLeaf = LEAVES.contains(from);
        boolean toLeaf = LEAVES.contains(to);
        if (fromLeaf) {
            return toLeaf ? null : "leaf package " + from + " may import only other leaves " + LEAVES;
        }
        if (toLeaf) {
            return null;
        }
        int fromRank = LAYERS.get(from);
        int toRank = LAYERS.get(to);
        if (fromRank > toRank) {
            return null;
        }
        if (fromRank == toRank) {
            return SIDEWAYS_ALLOWED.contains(from + "->" + to) ? null
                    : "sideways import between " + display(from) + " and " + display(to) + " (same layer)";
        }
        return "upward import: " + display(from) + " (rank " + fromRank + ") -> " + display(to) + " (rank " + toRank + ")";
    }

    private static String display(String component) {
        return component.isEmpty() ? ROOT : component;
    }

    /** The layer or leaf a package belongs to: the longest matching row, or empty for none. */
    static Optional<String> component(String packageName) {
        if (packageName.equals(ROOT)) {
            return Optional.of("");
        }
        if (!packageName.startsWith(ROOT + ".")) {
            return Optional.empty();
        }
        String relative = packageName.substring(ROOT.length() + 1);
        return Stream.concat(LAYERS.keySet().stream(), LEAVES.stream())
                .filter(row -> !row.isEmpty())
                .filter(row -> relative.equals(row) || relative.startsWith(row + "."))
                .max(Comparator.comparingInt(String::length));
    }

    /** The package part of a qualified name: the segments before the first capitalised one (or the '*'). */
    static String packageOf(String qualifiedName) {
        String[] segments = qualifiedName.split("\\.");
        List<String> packageSegments = new ArrayList<>();
        for (String segment : segments) {
            if (segment.equals("*") || Character.isUpperCase(segment.charAt(0))) {
                break;
            }
            packageSegments.add(segment);
        }
        return String.join(".", packageSegments);
    }

    // ---------------------------------------------------------------- scanner

    static List<SourceFile> scanMainSources() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java");
        assertTrue(Files.isDirectory(root), "no source tree at " + root.toAbsolutePath());
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                files.add(parse(root.relativize(path), Files.readString(path, StandardCharsets.UTF_8)));
            }
        }
        return files;
    }

    static SourceFile parse(Path path, String source) {
        String code = blankCommentsAndLiterals(source);
        Matcher packageMatcher = PACKAGE_DECLARATION.matcher(code);
        String packageName = packageMatcher.find() ? packageMatcher.group(1) : "";
        int bodyStart = packageMatcher.find(0) ? packageMatcher.end() : 0;
        List<Reference> references = new ArrayList<>();
        Matcher importMatcher = IMPORT.matcher(code);
        int lastImportEnd = bodyStart;
        while (importMatcher.find()) {
            references.add(new Reference(importMatcher.group(2), lineOf(code, importMatcher.start(2))));
            lastImportEnd = Math.max(lastImportEnd, importMatcher.end());
        }
        Matcher qualified = QUALIFIED_NAME.matcher(code);
        qualified.region(lastImportEnd, code.length());
        while (qualified.find()) {
            references.add(new Reference(qualified.group(1), lineOf(code, qualified.start(1))));
        }
        return new SourceFile(path, packageName, references);
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * Replaces comments, string literals (text blocks included) and char literals with spaces, keeping
     * newlines so that line numbers stay right.
     */
    static String blankCommentsAndLiterals(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, out);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                blank(source, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                blank(source, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String source, int start, int end, StringBuilder out) {
        for (int j = start; j < end; j++) {
            out.append(source.charAt(j) == '\n' ? '\n' : ' ');
        }
    }

    private static List<String> names(SourceFile file) {
        return file.references().stream().map(Reference::name).collect(Collectors.toList());
    }
}
