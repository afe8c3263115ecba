package io.phantomdb.node;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The rule every {@code phantom.*} block follows: a key the code does not know is a typo, and stops the node. */
public final class KnownKeys {
    private KnownKeys() {}

    /** Throws naming the first unknown key under {@code path} (sorted), with the known ones. */
    public static void require(Config block, String path, Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, ?> e : block.root().entrySet()) {
            if (!known.contains(e.getKey())) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException(path + "." + unknown.iterator().next(), "unknown key (known: " + new TreeSet<>(known) + ")");
        }
    }
}
