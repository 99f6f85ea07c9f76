package io.batchyard.launcher.trigger.schedule;

import java.util.Map;

import io.batchyard.launcher.trigger.schedule.ScheduleProperties.Schedule;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties.Scheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SchedulePropertiesTests {

	@Test
	void aDashDisablesASchedule() {
		assertThat(new Schedule("-", "repositoryPurgeJob", null, true).enabled()).isFalse();
		assertThat(new Schedule(" ", "repositoryPurgeJob", null, true).enabled()).isFalse();
		assertThat(new Schedule("0 30 3 * * *", "repositoryPurgeJob", null, true).enabled()).isTrue();
	}

	@Test
	void anInvalidCronExpressionStopsStartUpNamingTheSchedule() {
		ScheduleProperties properties = new ScheduleProperties(
				Map.of("nightly", new Schedule("0 30 3 * *", "repositoryPurgeJob", null, true)),
				new Scheduler(true, null));
		assertThatIllegalStateException()
			.isThrownBy(() -> new ScheduledLaunches(properties, null, null, null, null, null))
			.withMessageStartingWith("Schedule 'nightly' has an invalid cron expression '0 30 3 * *'");
	}

	@Test
	void aParameterTypeOutsideTheAllowListStopsStartUp() {
		ScheduleProperties properties = new ScheduleProperties(
				Map.of("nightly",
						new Schedule("0 30 3 * * *", "repositoryPurgeJob",
								Map.of("x", "/tmp/evil,java.io.FileOutputStream,false"), true)),
				new Scheduler(true, null));
		assertThatIllegalStateException()
			.isThrownBy(() -> new ScheduledLaunches(properties, null, null, null, null, null))
			.withMessageStartingWith("Schedule 'nightly' has invalid parameters: Parameter 'x': type "
					+ "'java.io.FileOutputStream' is not allowed; use one of java.lang.String");
	}

	@Test
	void aScheduleWithoutJobStopsStartUp() {
		ScheduleProperties properties = new ScheduleProperties(
				Map.of("nightly", new Schedule("0 30 3 * * *", null, null, true)), new Scheduler(true, null));
		assertThatIllegalStateException()
			.isThrownBy(() -> new ScheduledLaunches(properties, null, null, null, null, null))
			.withMessage("Schedule 'nightly' needs batchyard.schedules.nightly.job");
	}

}
