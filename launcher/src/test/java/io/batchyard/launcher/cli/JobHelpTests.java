package io.batchyard.launcher.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.jobs.launch.ValueFormat;
import io.batchyard.jobs.support.ReferenceTime;
import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.catalogue.JobTriggers;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@code help} and {@code help <job>}, from the jobs' declarations.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobHelpTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

	@Test
	void listsTheJobsWithOneLineEach() {
		String out = print((help) -> help.jobs(stream()));
		assertThat(out).contains("Jobs (java -jar batchyard.jar help <job> for its parameters):")
			.contains("  importJob  Imports one batch")
			.contains("  purgeJob   Purges what is old")
			.contains("  plainJob   (no description declared)")
			.contains("help [<job>]");
	}

	@Test
	void printsAJobsDeclaredParametersSchedulesQueuesAndAnExample() {
		String purge = print((help) -> help.job("purgeJob", stream()));
		assertThat(purge).contains("purgeJob: Purges what is old")
			.contains("  asOf      String (an ISO-8601 instant), required unless fireTime is given, identifying,"
					+ " default now (the launch time, when launched by hand), e.g. 2026-11-23T03:30:00Z")
			.contains("            the run's reference time; the same asOf names the same run")
			.contains("  fireTime  String (an ISO-8601 instant), optional, identifying, set by schedules")
			.contains("Schedules:\n  nightly  0 30 3 * * *  next 2026-11-24T03:30:00Z")
			.contains("Example: java -jar batchyard.jar start purgeJob asOf=2026-11-23T03:30:00Z");

		String importJob = print((help) -> help.job("importJob", stream()));
		assertThat(importJob).contains("  batchId  String (a UUID), required, identifying, e.g. ")
			.contains("  limit    Long, optional, not identifying, e.g. 100")
			.contains("Queue triggers: imports (import-queue)")
			.doesNotContain("Schedules:")
			.contains(
					"Example: java -jar batchyard.jar start importJob batchId=0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f\n");

		assertThat(print((help) -> help.job("plainJob", stream()))).contains("Parameters: none declared.");
		assertThatExceptionOfType(LaunchRefusedException.class).isThrownBy(() -> help().job("noSuchJob", stream()))
			.withMessage("No job named 'noSuchJob'; known jobs: [importJob, plainJob, purgeJob]");
	}

	@Test
	void theHelpVerbRunsOnTheCommandLineAndExitsZero(CapturedOutput output, @TempDir Path directory) {
		String[] settings = {
				"--spring.datasource.url=jdbc:h2:file:" + directory.resolve("cli").toAbsolutePath()
						+ ";MODE=PostgreSQL;AUTO_SERVER=TRUE",
				"--spring.datasource.username=sa", "--logging.level.root=WARN" };
		assertThat(CommandLine.run(BatchyardApplication.class, concat(new String[] { "help" }, settings))).isZero();
		assertThat(output.getOut()).contains("  repositoryPurgeJob         Deletes the job-repository metadata")
			.contains("  enhancementImportJob       Validates and imports a robot's result file");
		assertThat(CommandLine.run(BatchyardApplication.class,
				concat(new String[] { "help", "manifestUpdateJob" }, settings)))
			.isZero();
		assertThat(output.getOut()).contains("  customer  Long, required, identifying, e.g. 2")
			.contains("Queue triggers: batch-completion");
		assertThat(CommandLine.run(BatchyardApplication.class, concat(new String[] { "help", "noSuchJob" }, settings)))
			.isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: No job named 'noSuchJob'");
	}

	private static String[] concat(String[] a, String[] b) {
		return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
	}

	private ByteArrayOutputStream bytes;

	private PrintStream stream() {
		return new PrintStream(this.bytes, true, StandardCharsets.UTF_8);
	}

	private String print(java.util.function.Consumer<JobHelp> printing) {
		this.bytes = new ByteArrayOutputStream();
		printing.accept(help());
		return this.bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
	}

	@SuppressWarnings("unchecked")
	private static JobHelp help() {
		JobRegistry registry = mock(JobRegistry.class);
		given(registry.getJobNames()).willReturn(Set.of("purgeJob", "importJob", "plainJob"));
		for (String name : Set.of("purgeJob", "importJob", "plainJob")) {
			given(registry.getJob(name)).willReturn(mock(Job.class));
		}
		ObjectProvider<JobDescription> descriptions = mock(ObjectProvider.class);
		given(descriptions.orderedStream())
			.willReturn(Stream.of(ReferenceTime.declare(JobDescription.of("purgeJob", "Purges what is old")).build(),
					JobDescription.of("importJob", "Imports one batch")
						.parameter(ParameterDeclaration.named("batchId", String.class)
							.required()
							.format(ValueFormat.UUID)
							.description("the batch")
							.example("0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f"))
						.parameter(ParameterDeclaration.named("limit", Long.class)
							.notIdentifying()
							.description("at most")
							.example("100"))
						.build()));
		ObjectProvider<QueueTrigger> queues = mock(ObjectProvider.class);
		given(queues.orderedStream()).willAnswer((invocation) -> Stream.of(
				new QueueTrigger("imports", "import-queue", (body, attributes) -> null, Set.of("importJob")),
				new QueueTrigger("launch", "launch-queue", (body, attributes) -> null)));
		ScheduleProperties schedules = new ScheduleProperties(
				Map.of("nightly", new ScheduleProperties.Schedule("0 30 3 * * *", "purgeJob", Map.of(), true)),
				new ScheduleProperties.Scheduler(false, ZoneOffset.UTC));
		return new JobHelp(new JobCatalogue(registry, descriptions, CLOCK),
				new JobTriggers(schedules, mock(ObjectProvider.class), queues, mock(ObjectProvider.class), CLOCK));
	}

}
