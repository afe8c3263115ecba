package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.catalog.DataType;
import java.util.List;

/**
 * A statement {@link PgCatalog} claimed. Its result columns and parameter types are known before it runs, so
 * the wire layer can answer Describe; {@link #run} computes the rows from the catalog as it is at that moment.
 */
public interface CatalogQuery {
    /** The result columns; empty for statements without a result (SET, RESET). */
    List<Column> columns();

    /** The types of the {@code $n} parameters, in order; a parameter value is an instance of its type's javaClass. */
    List<DataType> parameterTypes();

    /**
     * Runs the statement. {@code parameters} holds one value per {@link #parameterTypes()} entry. Errors are
     * {@link io.phantomdb.error.PhantomSqlException}s (e.g. 42704 for an unknown setting); a failed SET changes
     * nothing.
     */
    CatalogResult run(Object[] parameters, PgSessionSettings settings);
}
