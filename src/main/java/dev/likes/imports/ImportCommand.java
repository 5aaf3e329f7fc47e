package dev.likes.imports;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * The import command (deploy/import.sh, docs/import.md): when {@code likes.import.csv} or
 * {@code likes.import.source-url} is set, this process runs that import on a thread of its own once
 * it has started, prints the progress and the report on standard output, and exits: 0 when the
 * drift check found nothing, 1 when it found drift or the import failed (bad rows alone are reported,
 * not failures). Without either setting it does nothing: the process is the service. An import
 * command never becomes the leader (dev.likes.ha.Leadership): the replicas keep their background jobs.
 */
@ApplicationScoped
public class ImportCommand {

    private static final Logger LOG = Logger.getLogger(ImportCommand.class);

    void run(@Observes StartupEvent start, LikesConfig config, Importer importer) {
        LikesConfig.Import asked = config.imports();
        if (!asked.asked()) {
            return;
        }
        Thread thread = new Thread(() -> Quarkus.asyncExit(importAndReport(asked, importer)), "likes-import");
        thread.setDaemon(true);
        thread.start();
    }

    private static int importAndReport(LikesConfig.Import asked, Importer importer) {
        try {
            if (asked.csv().isPresent() && asked.sourceUrl().isPresent()) {
                throw new IllegalArgumentException("set likes.import.csv or likes.import.source-url, not both");
            }
            Columns columns = new Columns(asked.itemColumn(), asked.userColumn(), asked.timeColumn());
            ImportReport report;
            if (asked.csv().isPresent()) {
                Path file = Path.of(asked.csv().get());
                String name = asked.name().orElse(file.getFileName().toString());
                report = importer.fromCsv(name, file, columns, asked.batchSize(), System.out::println);
            } else {
                String name = asked.name().orElse(asked.sourceTable());
                report = importer.fromTable(name, asked.sourceUrl().get(), asked.sourceTable(), columns, asked.batchSize(), System.out::println);
            }
            System.out.print(report.text());
            System.out.flush();
            return report.drifted() == 0 ? 0 : 1;
        } catch (RuntimeException e) {
            LOG.error("The import failed", e);
            System.out.println("import failed: " + e.getMessage());
            return 1;
        }
    }
}
