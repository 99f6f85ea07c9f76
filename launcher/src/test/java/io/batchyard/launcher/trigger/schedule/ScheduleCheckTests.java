package io.batchyard.launcher.trigger.schedule;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties.Schedule;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties.Scheduler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Each configured schedule is checked against its job's declaration before anything
 * starts. The application's own schedules pass; the start-up failure itself is in
 * {@code JobCatalogueTests}.
 */
@BatchyardTest
class ScheduleCheckTests {

	private static final String CRON = "0 30 3 * * *";

	@Autowired
	JobCatalogue catalogue;

	@Autowired
	ScheduleCheck applicationCheck;

	@Autowired
	Clock clock;

	@Test
	void theConfiguredSchedulesPass() {
		assertThat(this.applicationCheck.problems()).isEmpty();
		assertThat(this.applicationCheck.isRunning()).isTrue();
	}

	@Test
	void aScheduleMissingARequiredParameterIsNamedWithTheJobAndTheDeclarationsMessage() {
		JobDescription imports = this.catalogue.description("enhancementImportJob").orElseThrow();
		assertThat(check("imports", new Schedule(CRON, "enhancementImportJob", Map.of(), true)).problems())
			.containsExactly(
					"Schedule 'imports' cannot launch enhancementImportJob (batchyard.schedules.imports.parameters.*): "
							+ imports.missing(imports.parameter("batchId").orElseThrow()));
		// Given, it passes.
		assertThat(check("imports", new Schedule(CRON, "enhancementImportJob",
				Map.of("batchId", "0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f"), true))
			.problems()).isEmpty();
	}

	@Test
	void aParameterOfTheWrongTypeOrFormatIsNamed() {
		assertThat(check("updates",
				new Schedule(CRON, "manifestUpdateJob", Map.of("customer", "two", "batchId", "1234"), true))
			.problems()).singleElement()
			.asString()
			.startsWith("Schedule 'updates' cannot launch manifestUpdateJob (batchyard.schedules.updates.parameters.*):"
					+ " Parameter 'customer'")
			.contains("'two'");
		assertThat(check("updates",
				new Schedule(CRON, "manifestUpdateJob", Map.of("customer", "2", "batchId", "1234", "finished", "today"),
						true))
			.problems())
			.containsExactly("Schedule 'updates' cannot launch manifestUpdateJob"
					+ " (batchyard.schedules.updates.parameters.*): Parameter 'finished' must be an ISO-8601 date-time"
					+ " such as 2026-11-23T03:30:00Z, not 'today'");
		// Explicit notation of another type than declared.
		assertThat(check("updates",
				new Schedule(CRON, "manifestUpdateJob",
						Map.of("customer", "2,java.lang.String,true", "batchId", "1234"), true))
			.problems())
			.containsExactly("Schedule 'updates' cannot launch manifestUpdateJob"
					+ " (batchyard.schedules.updates.parameters.*): Parameter 'customer' must be a java.lang.Long,"
					+ " not a java.lang.String");
	}

	@Test
	void theFireTimeStandsInForTheReferenceTimeAsWhenTheScheduleFires() {
		assertThat(check("purge", new Schedule(CRON, "repositoryPurgeJob", Map.of(), true)).problems()).isEmpty();
	}

	@Test
	void anEnabledScheduleOfAnUnregisteredJobStopsStartUpADisabledOneDoesNot() {
		assertThat(check("sweep", new Schedule(CRON, "postingestSweepJob", Map.of(), true)).problems()).singleElement()
			.asString()
			.startsWith("Schedule 'sweep' names the job 'postingestSweepJob', which is not registered (known jobs: [")
			.endsWith("): correct batchyard.schedules.sweep.job, or disable the schedule with"
					+ " batchyard.schedules.sweep.cron=-");
		assertThat(check("sweep", new Schedule("-", "postingestSweepJob", Map.of(), true)).problems()).isEmpty();
		// Switched off (the defaults tie the postingest schedules to
		// batchyard.jobs.postingest.enabled): not checked either.
		assertThat(check("sweep", new Schedule(CRON, "postingestSweepJob", Map.of(), false)).problems()).isEmpty();
	}

	@Test
	void startNamesEveryInvalidSchedule() {
		Map<String, Schedule> schedules = new LinkedHashMap<>();
		schedules.put("fine", new Schedule(CRON, "repositoryPurgeJob", Map.of(), true));
		schedules.put("imports", new Schedule(CRON, "enhancementImportJob", Map.of(), true));
		schedules.put("typo", new Schedule("-", "repositoryPurgeJbo", Map.of(), true));
		schedules.put("nothing", new Schedule(CRON, "noSuchJob", Map.of(), true));
		ScheduleCheck check = new ScheduleCheck(new ScheduleProperties(schedules, new Scheduler(false, null)),
				this.catalogue, this.clock);
		assertThatIllegalStateException().isThrownBy(check::start)
			.withMessageStartingWith("2 schedules are invalid: Schedule 'imports' cannot launch enhancementImportJob")
			.withMessageContaining("; Schedule 'nothing' names the job 'noSuchJob', which is not registered");
		assertThat(check.isRunning()).isFalse();
	}

	private ScheduleCheck check(String name, Schedule schedule) {
		return new ScheduleCheck(new ScheduleProperties(Map.of(name, schedule), new Scheduler(false, null)),
				this.catalogue, this.clock);
	}

}
