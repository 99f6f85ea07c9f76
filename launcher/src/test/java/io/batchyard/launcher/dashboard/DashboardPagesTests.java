package io.batchyard.launcher.dashboard;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard's other pages: launch forms, skipped items, step history, schedules,
 * triggers and runner nodes, as an OPERATOR.
 */
@BatchyardTest
@Import(JobRuns.class)
@TestPropertySource(properties = { "batchyard.runner.heartbeat-interval=1h", "batchyard.runner.heartbeat-timeout=1h" })
class DashboardPagesTests {

	private static final String PURGE = "repositoryPurgeJob";

	@Autowired
	MockMvc mvc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRuns jobRuns;

	@Autowired
	ImageBatches imageBatches;

	@Autowired
	@Qualifier("enhancementBlobStore")
	BlobStore enhancementBlobStore;

	private RepositoryFixture fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new RepositoryFixture(this.jobRepository);
	}

	@AfterEach
	void cleanUp() {
		this.jobRuns.reset();
	}

	@Test
	void listsTheJobsEachLinkedToItsPageWithTheLaunchForm() throws Exception {
		assertThat(html(get("/jobs"))).contains("href=\"/jobs/" + PURGE + "?window=7d\"")
			.contains("href=\"/jobs/" + PURGE + "#launch\"");
		assertThat(html(get("/jobs/" + PURGE))).contains("action=\"/jobs/" + PURGE + "/launch\"")
			.contains("data-confirm=\"Launch " + PURGE + "?\"")
			.contains("name=\"key\"")
			.contains("name=\"_csrf\"");
	}

	@Test
	void launchesFromTheFormAndOpensTheNewExecution() throws Exception {
		String location = this.mvc
			.perform(post("/jobs/" + PURGE + "/launch").with(csrf())
				.param("key", "asOf", "", "batch")
				.param("value", "2026-11-23T03:30:00Z", "ignored", "7,java.lang.Long,false"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrlPattern("/executions/*"))
			.andExpect(flash().attribute("flash", startsWith("Launched " + PURGE + " as execution")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		long id = Long.parseLong(location.substring("/executions/".length()));
		this.jobRuns.awaitEnd(id);
		assertThat(html(get(location))).contains("<td>asOf</td><td>2026-11-23T03:30:00Z</td>")
			.contains("<td>batch</td><td>7</td>")
			.contains("<td>Long</td><td>no</td>")
			.contains("status status-completed");

		// The same identifying parameters again: refused, and the page names the
		// execution.
		this.mvc
			.perform(post("/jobs/" + PURGE + "/launch").with(csrf())
				.param("key", "asOf")
				.param("value", "2026-11-23T03:30:00Z"))
			.andExpect(redirectedUrl(location))
			.andExpect(flash().attribute("flashKind", "error"))
			.andExpect(flash().attribute("flash", containsString("is already complete")));
	}

	@Test
	void refusesALaunchWithInvalidParametersOrAnUnknownJob() throws Exception {
		this.mvc.perform(post("/jobs/" + PURGE + "/launch").with(csrf()).param("key", "asOf").param("value", "soon"))
			.andExpect(redirectedUrl("/jobs/" + PURGE + "#launch"))
			.andExpect(flash().attribute("flashKind", "error"))
			.andExpect(flash().attribute("flash", startsWith("Not launched: ")));
		this.mvc.perform(post("/jobs/noSuchJob/launch").with(csrf()))
			.andExpect(redirectedUrl("/jobs"))
			.andExpect(flash().attribute("flash", containsString("No job named 'noSuchJob'")));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE", Long.class)).isZero();
	}

	@Test
	void listsSkippedItemsPerStepAndDownloadsThemAsCsv() throws Exception {
		JobExecution execution = this.fixture.execution(this.fixture.instance("importJob", "s"), BatchStatus.COMPLETED,
				LocalDateTime.now(), BatchStatus.COMPLETED, BatchStatus.COMPLETED);
		long[] steps = execution.getStepExecutions().stream().mapToLong((step) -> step.getId()).sorted().toArray();
		skip(execution.getId(), steps[0], "step1", "READ", "line 3", null, "Unparseable JSON: unexpected ','");
		skip(execution.getId(), steps[0], "step1", "PROCESS", "line 9", "obj-9", "Missing \"title\"");
		skip(execution.getId(), steps[1], "step2", "WRITE", "item 2", "=cmd()", "Conflict");

		assertThat(html(get("/executions/" + execution.getId() + "/skips")))
			.contains("step1 (step execution " + steps[0] + "): 2 items")
			.contains("step2 (step execution " + steps[1] + "): 1 items")
			.contains("<td>line 3</td>")
			.contains("Unparseable JSON: unexpected &#39;,&#39;")
			.contains("href=\"/executions/" + execution.getId() + "/skips.csv\"");
		String csv = this.mvc.perform(get("/executions/" + execution.getId() + "/skips.csv"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andExpect(header().string("Content-Disposition",
					containsString("attachment; filename=\"execution-" + execution.getId() + "-skipped-items.csv\"")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(csv.split("\r\n")).hasSize(4);
		assertThat(csv).startsWith("job_execution_id,step_execution_id,step,phase,position,key,reason,recorded_at\r\n")
			.contains(execution.getId() + "," + steps[0] + ",step1,READ,line 3,,\"Unparseable JSON: unexpected ','\",")
			.contains(",step1,PROCESS,line 9,obj-9,\"Missing \"\"title\"\"\",")
			// A key a spreadsheet would run as a formula is neutralised.
			.contains(",step2,WRITE,item 2,'=cmd(),Conflict,");
		assertThat(html(get("/executions/4242/skips"))).contains("No item was skipped.");
	}

	@Test
	void summarisesAStepAcrossExecutions() throws Exception {
		for (int i = 1; i <= 3; i++) {
			JobExecution execution = this.fixture.execution(this.fixture.instance("importJob", "h" + i),
					BatchStatus.COMPLETED, LocalDateTime.now());
			this.jdbc.update(
					"UPDATE BATCH_STEP_EXECUTION SET READ_COUNT = ?, WRITE_COUNT = ?, START_TIME = ?,"
							+ " END_TIME = ? WHERE JOB_EXECUTION_ID = ?",
					i * 100, i * 90, Timestamp.valueOf(LocalDateTime.of(2026, 11, 1, 10, 0)),
					Timestamp.valueOf(LocalDateTime.of(2026, 11, 1, 10, 0).plusSeconds(i * 10)), execution.getId());
		}
		this.fixture.execution(this.fixture.instance("exportJob", "other"), BatchStatus.COMPLETED, LocalDateTime.now());

		String page = html(get("/steps/history").param("job", "importJob").param("step", "step1"));
		String stats = page.substring(page.indexOf("id=\"stats\""),
				page.indexOf("</table>", page.indexOf("id=\"stats\"")));
		assertThat(stats.replaceAll("\\s+", ""))
			.contains("<th>Duration</th><td>3</td><td>10.000s</td><td>30.000s</td><td>20.000s</td>")
			.contains("<th>Itemsread</th><td>3</td><td>100</td><td>300</td><td>200.0</td>")
			.contains("<th>Itemswritten</th><td>3</td><td>90</td><td>270</td><td>180.0</td>");
	}

	@Test
	void showsTheSchedulesAndTriggersOneNow() throws Exception {
		assertThat(html(get("/schedules"))).contains("repository-purge")
			.contains(PURGE)
			.contains("0 30 3 * * *")
			.contains("action=\"/schedules/repository-purge/trigger\"")
			.contains("Trigger now");
		String location = this.mvc.perform(post("/schedules/repository-purge/trigger").with(csrf()))
			.andExpect(redirectedUrlPattern("/executions/*"))
			.andExpect(flash().attribute("flash", startsWith("Schedule 'repository-purge' launched execution")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		this.jobRuns.awaitEnd(Long.parseLong(location.substring("/executions/".length())));
		assertThat(html(get("/schedules"))).contains("href=\"" + location + "\">launched</a>");
		this.mvc.perform(post("/schedules/no-such/trigger").with(csrf()))
			.andExpect(redirectedUrl("/schedules"))
			.andExpect(flash().attribute("flash", containsString("No schedule named 'no-such'")));
	}

	@Test
	void saysWhenTheQueueTriggerIsOff() throws Exception {
		assertThat(html(get("/triggers"))).contains("The SQS trigger is disabled on this node");
	}

	@Test
	void listsTheRunnerNodesWithTheirRunningExecutions() throws Exception {
		long running = this.fixture.execution(this.fixture.instance(PURGE, "running"), BatchStatus.STARTED, null)
			.getId();
		String self = this.jdbc.queryForObject("SELECT NODE_ID FROM BATCHYARD_NODE WHERE STOPPED_AT IS NULL",
				String.class);
		this.jdbc.update(
				"INSERT INTO BATCHYARD_NODE_EXECUTION (JOB_EXECUTION_ID, NODE_ID, CLAIMED_AT) VALUES (?, ?, ?)",
				running, self, Timestamp.valueOf(LocalDateTime.now()));
		this.jdbc.update(
				"INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT, STOPPED_AT)"
						+ " VALUES ('gone-1', 'elsewhere', 1, 'server', ?, ?, ?)",
				Timestamp.valueOf(LocalDateTime.now()), Timestamp.valueOf(LocalDateTime.now()),
				Timestamp.valueOf(LocalDateTime.now()));
		Timestamp twoDaysAgo = Timestamp.valueOf(LocalDateTime.now().minusDays(2));
		this.jdbc.update(
				"INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT, STOPPED_AT)"
						+ " VALUES ('long-gone', 'elsewhere', 2, 'server', ?, ?, ?)",
				twoDaysAgo, twoDaysAgo, twoDaysAgo);
		try {
			String page = html(get("/nodes"));
			assertThat(page).contains(self + "</span> <small>(this node)</small>")
				.contains("status status-completed\">alive")
				.contains("href=\"/executions/" + running + "\">" + PURGE + " #" + running)
				.contains("gone-1")
				.contains("status status-abandoned\">stopped")
				.doesNotContain("long-gone")
				.contains("1 node(s) silent for more than a day are hidden.");
			assertThat(html(get("/nodes?all=true"))).contains("long-gone").contains("gone-1");
		}
		finally {
			this.jdbc.update("DELETE FROM BATCHYARD_NODE WHERE NODE_ID IN ('gone-1', 'long-gone')");
		}
	}

	@Test
	void jobsAddPagesThroughDashboardViews() throws Exception {
		assertThat(html(get("/executions"))).contains("href=\"/test-view\">Test view</a>");
	}

	@org.springframework.boot.test.context.TestConfiguration
	static class TestView {

		@org.springframework.context.annotation.Bean
		DashboardView testView() {
			return new DashboardView() {
				@Override
				public String title() {
					return "Test view";
				}

				@Override
				public String path() {
					return "/test-view";
				}
			};
		}

	}

	private void skip(long executionId, long stepId, String step, String phase, String position, String key,
			String reason) {
		this.jdbc.update(
				"INSERT INTO BATCHYARD_SKIPPED_ITEM (JOB_EXECUTION_ID, STEP_EXECUTION_ID, STEP_NAME, PHASE,"
						+ " ITEM_POSITION, ITEM_KEY, REASON, RECORDED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				executionId, stepId, step, phase, position, key, reason, Timestamp.valueOf(LocalDateTime.now()));
	}

	private String html(RequestBuilder request) throws Exception {
		return this.mvc.perform(request)
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/html"))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	@Test
	void listsTheManifestsWithTheirCanvasesAndBatches() throws Exception {
		this.mvc.perform(get("/manifests"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("No manifests in the presentation store.")));
		new ResourceDatabasePopulator(new FileSystemResource("../sample-data/manifest-update/presentation.sql"))
			.execute(this.jdbc.getDataSource());
		this.jdbc.update("UPDATE canvas_paintings SET error = 'Image not found' WHERE canvas_id = 'c2'");
		try {
			String page = this.mvc.perform(get("/manifests"))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(page).contains("data-manifest=\"sample-manifest\"", "<td>Sample letters, 1890-1895</td>")
				.contains("<td>3</td>", "status status-failed\">1</span>")
				.contains("/executions?job=manifestUpdateJob&amp;parameter=batchId%3D1001", ">Ingesting<")
				.contains("/executions?job=manifestUpdateJob&amp;parameter=batchId%3D1000", ">Completed<")
				.contains("href=\"/manifests\"")
				.doesNotContain("href=\"/postingest\"");
		}
		finally {
			this.jdbc.update("DELETE FROM manifests");
		}
	}

	@Test
	void hasNoPostingestViewWhileThePostingestJobsAreOff() throws Exception {
		this.mvc.perform(get("/postingest")).andExpect(status().isNotFound());
	}

	@Test
	void showsTheImageBatchesAndEachImageOfOne() throws Exception {
		String id = "5b0f8a54-3d1e-4f7e-9a43-3f1c2f0c9d11";
		this.imageBatches.create(id,
				List.of(new ImageBatches.NewImage(0, "photo.jpg", "https://images.example/photo.jpg", null,
						"11111111-1111-1111-1111-111111111111", "g"),
						new ImageBatches.NewImage(1, "scan.png", "https://images.example/scan.png", null,
								"22222222-2222-2222-2222-222222222222", "g"),
						new ImageBatches.NewImage(2, "notes.gif", "https://images.example/notes.gif", null,
								"33333333-3333-3333-3333-333333333333", "g")));
		this.jdbc.update("UPDATE image_batches SET status = 'processing' WHERE id = ?", id);
		this.jdbc.update("UPDATE image_batch_images SET status = 'completed',"
				+ " processed_path = '11111111-1111-1111-1111-111111111111/photo.jpg' WHERE batch_id = ? AND idx = 0",
				id);
		this.jdbc.update("UPDATE image_batch_images SET status = 'failed', error = 'Unsupported image format'"
				+ " WHERE batch_id = ? AND idx = 2", id);
		try {
			this.mvc.perform(get("/image-batches"))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("data-batch=\"" + id + "\"")))
				.andExpect(content().string(containsString("66.67%")))
				.andExpect(content()
					.string(containsString("/executions?job=imageIngestJob&amp;parameter=batchId%3D" + id)));
			String page = this.mvc.perform(get("/image-batches/" + id))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(page).contains("1 completed, 1 failed of 3 (66.67%)", "http-equiv=\"refresh\"")
				.contains("11111111-1111-1111-1111-111111111111/photo.jpg", "Unsupported image format")
				.contains("data-index=\"1\"", "status status-pending");

			this.mvc.perform(get("/image-batches/no-such-batch"))
				.andExpect(redirectedUrl("/image-batches"))
				.andExpect(flash().attribute("flash", startsWith("No image batch no-such-batch")));
		}
		finally {
			this.jdbc.update("DELETE FROM image_batches");
		}
	}

	@Test
	void listsTheEnhancementRequestsAndBatchesAndDownloadsAValidationReport() throws Exception {
		UUID reference1 = UUID.fromString("aaaaaaaa-0000-0000-0000-000000000001");
		UUID reference2 = UUID.fromString("aaaaaaaa-0000-0000-0000-000000000002");
		UUID requestId = UUID.fromString("bbbbbbbb-0000-0000-0000-000000000001");
		UUID batch = UUID.fromString("cccccccc-0000-0000-0000-000000000001");
		Timestamp now = Timestamp.valueOf(LocalDateTime.now());
		for (UUID reference : List.of(reference1, reference2)) {
			this.jdbc.update(
					"INSERT INTO reference (id, visibility, identifiers, created_at) VALUES (?, 'public', '[]', ?)",
					reference, now);
		}
		this.jdbc
			.update("INSERT INTO enhancement_request (id, robot_id, source, request_status, created_at, updated_at)"
					+ " VALUES (?, 'robot-1', 'test', 'received', ?, ?)", requestId, now, now);
		this.jdbc.update("INSERT INTO robot_enhancement_batch (id, robot_id, status, reference_data_key, result_key,"
				+ " validation_result_key, expires_at, import_execution_id, created_at, updated_at)"
				+ " VALUES (?, 'robot-1', 'partial_failed', 'refs', 'result', 'dashboard-test/report.jsonl', ?, 42, ?, ?)",
				batch, now, now, now);
		this.jdbc.update("INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id, robot_id, status,"
				+ " batch_id, retry_depth, created_at, updated_at) VALUES (?, ?, ?, 'robot-1', 'completed', ?, 0, ?, ?)",
				UUID.randomUUID(), requestId, reference1, batch, now, now);
		this.jdbc.update("INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id, robot_id, status,"
				+ " batch_id, retry_depth, created_at, updated_at) VALUES (?, ?, ?, 'robot-1', 'failed', ?, 0, ?, ?)",
				UUID.randomUUID(), requestId, reference2, batch, now, now);
		String report = "{\"reference_id\": \"" + reference1 + "\"}\n{\"reference_id\": \"" + reference2
				+ "\", \"error\": \"Requested reference not in enhancement result.\"}\n";
		this.enhancementBlobStore.write("dashboard-test/report.jsonl", report.getBytes(StandardCharsets.UTF_8));
		try {
			String page = this.mvc.perform(get("/enhancements"))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			// received as stored, partial_failed as projected from one completed and one
			// failed pending enhancement
			assertThat(page).contains("data-request=\"" + requestId + "\"", "status status-partial_failed")
				.contains("completed 1", "failed 1")
				.contains("data-batch=\"" + batch + "\"", "href=\"/executions/42\"")
				.contains("/enhancements/batches/" + batch + "/report", "href=\"/enhancements\"");
			MvcResult started = this.mvc.perform(get("/enhancements/batches/" + batch + "/report"))
				.andExpect(request().asyncStarted())
				.andReturn();
			String downloaded = this.mvc.perform(asyncDispatch(started))
				.andExpect(status().isOk())
				.andExpect(header().string("Content-Disposition", containsString("validation-" + batch + ".jsonl")))
				.andReturn()
				.getResponse()
				.getContentAsString(StandardCharsets.UTF_8);
			assertThat(downloaded).isEqualTo(report);
			this.mvc.perform(get("/enhancements/batches/" + UUID.randomUUID() + "/report"))
				.andExpect(status().isNotFound());
		}
		finally {
			this.enhancementBlobStore.delete("dashboard-test/report.jsonl");
			this.jdbc.update("DELETE FROM pending_enhancement");
			this.jdbc.update("DELETE FROM robot_enhancement_batch");
			this.jdbc.update("DELETE FROM enhancement_request");
			this.jdbc.update("DELETE FROM reference");
		}
	}

}
