package io.phantomdb.exec;

import java.util.HashMap;
import java.util.Map;

/**
 * Bindings of one execution: the statement's parameter values and the correlation variables the correlate
 * operator binds while it runs its inner side. Not thread-safe: a correlate binds a variable, then runs its
 * inner side to completion before binding the next row, so one execution never binds concurrently.
 */
public final class ExecBindings implements Bindings {
    private final Object[] parameters;
    private final Map<Integer, Object[]> correlated = new HashMap<>();

    public ExecBindings(Object[] parameters) {
        this.parameters = parameters.clone();
    }

    @Override
    public Object parameter(int index) {
        if (index < 0 || index >= parameters.length) {
            throw new io.phantomdb.error.PhantomSqlException(io.phantomdb.error.SqlState.INVALID_PARAMETER_VALUE,
                    "no value for parameter $" + (index + 1) + " (" + parameters.length + " given)");
        }
        return parameters[index];
    }

    @Override
    public Object[] correlated(int id) {
        Object[] row = correlated.get(id);
        if (row == null) {
            throw new IllegalStateException("correlation variable $cor" + id + " is not bound");
        }
        return row;
    }

    @Override
    public void bindCorrelated(int id, Object[] row) {
        correlated.put(id, row);
    }
}
