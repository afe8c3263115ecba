package io.phantomdb.sql.ddl;

import io.phantomdb.error.SqlState;
import java.util.ArrayList;
import java.util.List;

/**
 * The rest of {@code DROP TABLE | INDEX | VIEW} after those words:
 * {@code [IF EXISTS] name [, name]* [CASCADE | RESTRICT]}. DROP INDEX CONCURRENTLY is refused with 0A000.
 */
final class DropParser {
    private DropParser() {}

    /** @param kind "table", "index" or "view" (already consumed) */
    static DdlStatement parse(TokenCursor c, String kind) {
        if (kind.equals("index") && c.peekWord("concurrently")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "DROP INDEX CONCURRENTLY is not supported", c.peek());
        }
        boolean ifExists = c.acceptIfExists();
        List<String> names = new ArrayList<>();
        do {
            names.add(c.objectName("a " + kind + " name"));
        } while (c.acceptPunct(','));
        boolean cascade = c.acceptWord("cascade");
        if (!cascade) {
            c.acceptWord("restrict");
        }
        c.expectEnd();
        switch (kind) {
            case "table":
                return new DropTable(names, ifExists, cascade);
            case "index":
                return new DropIndex(names, ifExists, cascade);
            default:
                return new DropView(names, ifExists, cascade);
        }
    }
}
