package dev.likes.imports;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

/**
 * A table of another PostgreSQL database (a Django-style {@code likes} table, say), read through a
 * cursor in one read-only transaction, ordered by (user, item, time) so that every run sees the same
 * order; a run that goes on from a position skips that many rows. Ids are read as text (integer
 * keys become "42"), times as timestamptz (a timestamp without time zone is read as UTC).
 */
final class TableSource implements LikeSource {

    private static final Duration WAIT = Duration.ofMinutes(5);

    private final PgConnection connection;
    private final Cursor cursor;
    private final long total;
    private long row;
    private boolean ended;

    TableSource(Vertx vertx, String url, String table, Columns columns, long position) {
        String quotedTable = Columns.quotedTable(table);
        String item = Columns.quoted(columns.item());
        String user = Columns.quoted(columns.user());
        String time = Columns.quoted(columns.time());
        this.connection = PgConnection.connect(vertx, PgConnectOptions.fromUri(url)).await().atMost(WAIT);
        try {
            connection.query("SET TIME ZONE 'UTC'").execute().await().atMost(WAIT);
            connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").execute().await().atMost(WAIT);
            this.total = connection.query("SELECT count(*) FROM " + quotedTable).execute().await().atMost(WAIT)
                    .iterator().next().getLong(0);
            String select = "SELECT " + item + "::text, " + user + "::text, " + time + "::timestamptz FROM " + quotedTable
                    + " ORDER BY " + user + ", " + item + ", " + time + " OFFSET $1";
            this.cursor = connection.prepare(select).await().atMost(WAIT).cursor(Tuple.of(position));
            this.row = position;
        } catch (RuntimeException e) {
            connection.closeAndAwait();
            throw e;
        }
    }

    @Override
    public List<SourceRow> next(int max) {
        if (ended) {
            return List.of();
        }
        RowSet<Row> rows = cursor.read(max).await().atMost(WAIT);
        ended = !cursor.hasMore();
        List<SourceRow> read = new ArrayList<>(rows.size());
        for (Row r : rows) {
            row++;
            OffsetDateTime at = r.getOffsetDateTime(2);
            read.add(new SourceRow.Fields("row " + row, r.getString(0), r.getString(1), at == null ? null : at.toString()));
        }
        return read;
    }

    @Override
    public double readFraction() {
        return total == 0 ? 1.0 : Math.min(1.0, (double) row / total);
    }

    @Override
    public void close() {
        connection.closeAndAwait();
    }
}
