package io.phantomdb.client;

import io.phantomdb.Row;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.Publisher;

/**
 * An HTTP session of a {@link PhantomClient} ({@code POST /v1/sessions}): its statements share one server-side
 * session, so {@code BEGIN ... COMMIT} spans them. One statement at a time (a second one fails with 25000);
 * {@link #close} rolls back an open block. The server closes it after {@code phantom.http.session-idle-timeout}
 * without a statement.
 */
public final class ClientSession implements AutoCloseable {
    private final PhantomClient client;
    private final String id;

    ClientSession(PhantomClient client, String id) {
        this.client = client;
        this.id = id;
    }

    /** The server's id of this session. */
    public String id() {
        return id;
    }

    public Source<Row, NotUsed> sql(String sql, Object... params) {
        return client.frames(sql, params.clone(), id).mapConcat(f -> {
            if (f instanceof Frame.Error e) {
                throw e.error();
            }
            return f instanceof Frame.RowFrame r ? List.of(r.row()) : List.<Row>of();
        });
    }

    public Publisher<Row> publisher(String sql, Object... params) {
        return sql(sql, params).runWith(Sink.asPublisher(org.apache.pekko.stream.javadsl.AsPublisher.WITHOUT_FANOUT), client.system());
    }

    public CompletionStage<Long> execute(String sql, Object... params) {
        return client.count(client.frames(sql, params.clone(), id));
    }

    public CompletionStage<List<Row>> query(String sql, Object... params) {
        return sql(sql, params).runWith(Sink.seq(), client.system());
    }

    /** Runs a statement in this session and collects at most {@code maxRows} rows, with columns and command tag. */
    public CompletionStage<StatementResult> run(String sql, int maxRows, Object... params) {
        return client.collect(client.frames(sql, params.clone(), id), maxRows);
    }

    /** Closes the server-side session (rolling back an open block); completes when the server confirmed. */
    public CompletionStage<Void> closeAsync() {
        return client.delete("/v1/sessions/" + id);
    }

    /** Closes without waiting for the server's answer. */
    @Override
    public void close() {
        closeAsync();
    }
}
