package io.batchyard.launcher.unattended;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sns.SnsClient;

import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.runner.RunnerProperties;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

/**
 * Unattended operation: the restart policy and the notification outbox, decided with each
 * execution's end ({@link ExecutionEnds}) and carried out by pollers on every server
 * node.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UnattendedProperties.class)
class UnattendedConfiguration {

	@Bean
	ExecutionEnds executionEnds(JdbcTemplate jdbcTemplate, UnattendedProperties properties,
			ObjectProvider<JobRegistry> jobRegistry, ObjectProvider<JobRepository> jobRepository, Clock clock) {
		return new ExecutionEnds(jdbcTemplate, properties, jobRegistry, jobRepository, clock);
	}

	@Bean
	AutomaticRestarts automaticRestarts(JdbcTemplate jdbcTemplate, JobLaunchService launchService, RunnerNode node,
			UnattendedProperties properties, ExecutionEnds ends, MeterRegistry meters, Clock clock) {
		return new AutomaticRestarts(jdbcTemplate, launchService, node, properties, ends, meters, clock);
	}

	@Bean
	NotificationOutbox notificationOutbox(JdbcTemplate jdbcTemplate, UnattendedProperties properties,
			ObjectProvider<SnsClient> sns, RunnerNode node, ExecutionEnds ends, Clock clock) {
		return new NotificationOutbox(jdbcTemplate, properties, sns, node, ends, clock);
	}

	@Bean
	UnattendedPollers unattendedPollers(AutomaticRestarts restarts, NotificationOutbox outbox,
			UnattendedProperties properties, RunnerProperties runner, TaskScheduler scheduler) {
		return new UnattendedPollers(restarts, outbox, properties, runner, scheduler);
	}

	/**
	 * Polls for due restarts and notifications on server nodes (a command-line run leaves
	 * its notifications in the outbox for them).
	 */
	static final class UnattendedPollers implements SmartLifecycle {

		private static final Log logger = LogFactory.getLog(UnattendedPollers.class);

		private final AutomaticRestarts restarts;

		private final NotificationOutbox outbox;

		private final UnattendedProperties properties;

		private final RunnerProperties runner;

		private final TaskScheduler scheduler;

		private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

		private volatile boolean running;

		UnattendedPollers(AutomaticRestarts restarts, NotificationOutbox outbox, UnattendedProperties properties,
				RunnerProperties runner, TaskScheduler scheduler) {
			this.restarts = restarts;
			this.outbox = outbox;
			this.properties = properties;
			this.runner = runner;
			this.scheduler = scheduler;
		}

		@Override
		public void start() {
			if (!this.runner.isCommandLine()) {
				this.tasks.add(this.scheduler.scheduleWithFixedDelay(
						() -> quietly("automatic restarts", this.restarts::runDue),
						this.properties.automaticRestarts().pollInterval()));
				this.tasks.add(this.scheduler.scheduleWithFixedDelay(() -> quietly("notifications", () -> {
					this.outbox.announceLongRunning();
					this.outbox.deliverDue();
				}), this.properties.notifications().pollInterval()));
			}
			this.running = true;
		}

		private static void quietly(String what, Runnable task) {
			try {
				task.run();
			}
			catch (DataAccessException ex) {
				logger.warn("Polling " + what + " failed, tried again at the next poll: " + ex.getMessage());
			}
		}

		@Override
		public void stop() {
			// First of the runner's parts to stop: no restart starts once shutdown began.
			this.tasks.forEach((task) -> task.cancel(false));
			this.tasks.clear();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
