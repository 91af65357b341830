package io.pando.aggregator.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Provisions the tasks of {@code pando.task-file} (a JSON array of task definitions, the same
 * shape the admin API takes) at start-up. A file that does not parse stops the start-up with a
 * clear message.
 */
@ApplicationScoped
public class TaskFileLoader {
  private static final Logger LOG = Logger.getLogger(TaskFileLoader.class);

  @Inject PandoConfig config;
  @Inject TaskService tasks;
  @Inject ObjectMapper json;

  void onStart(@Observes StartupEvent e) {
    config.taskFile().filter(f -> !f.isBlank()).ifPresent(this::load);
  }

  void load(String file) {
    List<TaskDefinition> defs;
    try {
      defs = json.readValue(Files.readString(Path.of(file)),
          new TypeReference<List<TaskDefinition>>() {});
    } catch (IOException ex) {
      throw new IllegalStateException("pando.task-file " + file + " is not a JSON array of task"
          + " definitions: " + ex.getMessage(), ex);
    }
    for (TaskDefinition d : defs) {
      try {
        tasks.put(d);
      } catch (IllegalArgumentException ex) {
        throw new IllegalStateException("pando.task-file " + file + ": task " + d.taskId()
            + ": " + ex.getMessage(), ex);
      }
    }
    LOG.infof("provisioned %d task(s) from %s", defs.size(), file);
  }
}
