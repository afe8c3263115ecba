package io.phantomdb.server.pgwire;

import io.phantomdb.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * A bound statement (Bind): the statement, its parameter values and the result formats, plus the open
 * {@link Cursor} once a row-limited Execute suspended it. Confined to its connection's stream stage.
 */
final class Portal {
    final PgStatement statement;
    final Object[] parameters;
    final List<Backend.Field> fields;
    Cursor cursor;
    /** The tag of a command that already ran: a second Execute repeats it instead of running it again. */
    String completedTag;

    Portal(PgStatement statement, Object[] parameters, int[] resultFormats) {
        this.statement = statement;
        this.parameters = parameters;
        this.fields = statement.fields(resultFormats);
    }

    /** RowDescription fields for {@code columns}: one format for all, one each, or none (all text). */
    static List<Backend.Field> fields(List<Column> columns, int[] formats) {
        List<Backend.Field> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            int format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
            Column c = columns.get(i);
            out.add(new Backend.Field(c.name(), c.type(), format));
        }
        return out;
    }

    /** Cancels the open result stream, if any. */
    void close() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }
}
