package io.batchyard.bench.crash;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.batchyard.test.S3ProxyServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * {@code manifestUpdateJob} for a DLCS batch of {@value #ASSETS} assets (one in seven
 * failed by the DLCS) of a manifest of as many canvas paintings, against a DLCS stand-in
 * in this JVM (WireMock: the batch's assets in pages of {@value #PAGE}, the named-query
 * manifest), chunks of {@value #CHUNK}, and the manifests in S3Proxy (in this JVM), which
 * the application reaches through a {@link FaultProxy}. Run {@code n} has its own
 * manifest, batch and asset ids, which the end state replaces by {@code MANIFEST},
 * {@code BATCH} and {@code R-}. The faults beyond the kill: the DLCS answering 503 to
 * everything for a while, and the blob store answering 500 for a while.
 */
final class ManifestUpdateWorkload implements Workload {

	static final String JOB = "manifestUpdateJob";

	private static final int ASSETS = 40;

	private static final int PAGE = 10;

	private static final int CHUNK = 5;

	private static final long CUSTOMER = 2;

	private static final OffsetDateTime SUBMITTED = OffsetDateTime.parse("2026-11-20T09:00:00Z");

	private final WireMockServer dlcs;

	private static final String BUCKET = "campaign-manifests";

	private final FaultProxy store;

	private final S3Client s3;

	private volatile StubMapping storm;

	ManifestUpdateWorkload() {
		this.dlcs = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(12));
		this.dlcs.start();
		this.store = new FaultProxy(S3ProxyServer.endpoint().getPort());
		this.s3 = S3ProxyServer.newClient();
		if (this.s3.listBuckets().buckets().stream().noneMatch((bucket) -> bucket.name().equals(BUCKET))) {
			this.s3.createBucket((request) -> request.bucket(BUCKET));
		}
	}

	@Override
	public String job() {
		return JOB;
	}

	@Override
	public List<String> settings(Yard yard) {
		String update = "--batchyard.jobs.manifest-update.";
		return List.of(update + "dlcs.api-url=" + this.dlcs.baseUrl() + "/api/",
				update + "dlcs.orchestrator-url=" + this.dlcs.baseUrl() + "/orchestrator/",
				update + "dlcs.back-off=100ms", update + "dlcs.max-back-off=400ms", update + "chunk-size=" + CHUNK,
				update + "presentation-api-url=https://presentation.example/", update + "storage.type=s3",
				update + "storage.endpoint=" + this.store.endpoint(), update + "storage.path-style=true",
				update + "storage.bucket=" + BUCKET, update + "storage.region=us-east-1",
				update + "storage.access-key=" + S3ProxyServer.ACCESS_KEY,
				update + "storage.secret-key=" + S3ProxyServer.SECRET_KEY);
	}

	private static String manifest(int run) {
		return String.format("campaign-%04d", run);
	}

	private static String asset(int run, int i) {
		return String.format("r%04d-a%02d", run, i);
	}

	private static long batch(int run) {
		return 50_000L + run;
	}

	@Override
	public void prepare(Yard yard, int run) {
		seed(yard, run);
		stub(run);
		writeStaged(run);
	}

	@Override
	public Run launch(Node node, Yard yard, int run) {
		node.launch(JOB, "{\"customer\":\"" + CUSTOMER + "\",\"batchId\":\"" + batch(run)
				+ "\",\"finished\":\"2026-11-20T09:05:00Z\"}");
		return new Run(run, JOB, "batchId", Long.toString(batch(run)));
	}

	private static void seed(Yard yard, int run) {
		String manifest = manifest(run);
		try (Connection connection = yard.connect()) {
			connection.setAutoCommit(false);
			try (PreparedStatement manifests = connection
				.prepareStatement("INSERT INTO manifests (id, customer_id, created, modified, created_by, modified_by,"
						+ " label, space_id, last_processed) VALUES (?, ?, ?, ?, 'admin', 'admin', ?, 5, NULL)");
					PreparedStatement batches = connection.prepareStatement(
							"INSERT INTO batches (id, customer_id, status, submitted, finished, processed, manifest_id)"
									+ " VALUES (?, ?, 'Ingesting', ?, NULL, NULL, ?)");
					PreparedStatement paintings = connection.prepareStatement(
							"INSERT INTO canvas_paintings (canvas_id, manifest_id, customer_id, canvas_order, choice_order,"
									+ " label, created, modified, asset_id, ingesting) VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, TRUE)")) {
				manifests.setString(1, manifest);
				manifests.setLong(2, CUSTOMER);
				manifests.setObject(3, SUBMITTED);
				manifests.setObject(4, SUBMITTED);
				manifests.setString(5, "{\"en\":[\"Crash campaign manifest\"]}");
				manifests.executeUpdate();
				batches.setLong(1, batch(run));
				batches.setLong(2, CUSTOMER);
				batches.setObject(3, SUBMITTED);
				batches.setString(4, manifest);
				batches.executeUpdate();
				for (int i = 0; i < ASSETS; i++) {
					paintings.setString(1, "c" + i);
					paintings.setString(2, manifest);
					paintings.setLong(3, CUSTOMER);
					paintings.setInt(4, i);
					paintings.setString(5, "{\"en\":[\"Page " + i + "\"]}");
					paintings.setObject(6, SUBMITTED);
					paintings.setObject(7, SUBMITTED);
					paintings.setString(8, CUSTOMER + "/5/" + asset(run, i));
					paintings.addBatch();
				}
				paintings.executeBatch();
			}
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Seeding manifest run " + run + ": " + ex.getMessage(), ex);
		}
	}

	private static boolean failed(int i) {
		return i % 7 == 3;
	}

	/** The DLCS's answers for this run's batch and manifest. */
	private void stub(int run) {
		String api = this.dlcs.baseUrl() + "/api/";
		String collection = api + "customers/" + CUSTOMER + "/queue/batches/" + batch(run) + "/assets";
		int pages = (ASSETS + PAGE - 1) / PAGE;
		for (int page = 1; page <= pages; page++) {
			StringBuilder members = new StringBuilder();
			for (int i = (page - 1) * PAGE; i < Math.min(ASSETS, page * PAGE); i++) {
				String id = asset(run, i);
				members.append((members.length() > 0) ? "," : "")
					.append("{\"@id\":\"")
					.append(api)
					.append("customers/2/spaces/5/images/")
					.append(id)
					.append("\",\"@type\":\"vocab:Image\",\"id\":\"")
					.append(id)
					.append("\",\"space\":5,\"ingesting\":false,\"error\":\"")
					.append(failed(i) ? "Origin returned 404 Not Found" : "")
					.append("\",\"width\":")
					.append(failed(i) ? 0 : 1000 + i)
					.append(",\"height\":")
					.append(failed(i) ? 0 : 2000 + i)
					.append(",\"duration\":0,\"mediaType\":\"image/tiff\",\"family\":\"I\",\"manifests\":[\"")
					.append(manifest(run))
					.append("\"]}");
			}
			String body = "{\"@id\":\"" + collection + "\",\"@type\":\"Collection\",\"totalItems\":" + ASSETS
					+ ",\"pageSize\":" + PAGE + ",\"member\":[" + members + "],\"view\":{\"@id\":\"" + collection
					+ "?page=" + page + "\",\"@type\":\"PartialCollectionView\",\"page\":" + page + ",\"pageSize\":"
					+ PAGE + ",\"totalPages\":" + pages
					+ ((page < pages) ? ",\"next\":\"" + collection + "?page=" + (page + 1) + "\"" : "") + "}}";
			this.dlcs.stubFor(get(urlPathEqualTo("/api/customers/2/queue/batches/" + batch(run) + "/assets"))
				.withQueryParam("page", (page == 1) ? absent() : equalTo(Integer.toString(page)))
				.willReturn(json(body)));
		}
		StringBuilder items = new StringBuilder();
		for (int i = 0; i < ASSETS; i++) {
			if (failed(i)) {
				continue;
			}
			String base = "https://dlc.services/iiif-resource/2/5/" + asset(run, i) + "/canvas/c/" + i;
			String image = "https://dlc.services/iiif-img/v3/2/5/" + asset(run, i);
			items.append((items.length() > 0) ? "," : "")
				.append("{\"id\":\"")
				.append(base)
				.append("\",\"type\":\"Canvas\",\"width\":")
				.append(1000 + i)
				.append(",\"height\":")
				.append(2000 + i)
				.append(",\"thumbnail\":[{\"id\":\"https://dlc.services/thumbs/v3/2/5/")
				.append(asset(run, i))
				.append("/full/75,100/0/default.jpg\",\"type\":\"Image\"}],\"items\":[{\"id\":\"")
				.append(base)
				.append("/page\",\"type\":\"AnnotationPage\",\"items\":[{\"id\":\"")
				.append(base)
				.append("/page/image\",\"type\":\"Annotation\",\"motivation\":\"painting\",\"body\":{\"id\":\"")
				.append(image)
				.append("/full/max/0/default.jpg\",\"type\":\"Image\",\"format\":\"image/jpeg\"},\"target\":\"")
				.append(base)
				.append("\"}]}]}");
		}
		String named = "{\"@context\":\"http://iiif.io/api/presentation/3/context.json\",\"id\":"
				+ "\"https://dlc.services/iiif-resource/v3/2/manifest-query/" + manifest(run)
				+ "\",\"type\":\"Manifest\",\"items\":[" + items + "]}";
		this.dlcs.stubFor(get(urlPathEqualTo("/orchestrator/iiif-resource/v3/2/manifest-query/" + manifest(run)))
			.willReturn(json(named)));
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

	private void writeStaged(int run) {
		StringBuilder items = new StringBuilder();
		for (int i = 0; i < ASSETS; i++) {
			items.append((i > 0) ? "," : "")
				.append("{\"id\":\"https://presentation.example/2/canvases/c")
				.append(i)
				.append("\",\"type\":\"Canvas\",\"label\":{\"en\":[\"Page ")
				.append(i)
				.append("\"]}}");
		}
		String staged = "{\"@context\":\"http://iiif.io/api/presentation/3/context.json\",\"id\":"
				+ "\"https://presentation.example/2/manifests/" + manifest(run)
				+ "\",\"type\":\"Manifest\",\"label\":{\"en\":[\"Crash campaign manifest\"]},\"items\":[" + items
				+ "]}";
		this.s3.putObject((request) -> request.bucket(BUCKET).key("staged/2/manifests/" + manifest(run)),
				RequestBody.fromString(staged, StandardCharsets.UTF_8));
	}

	@Override
	public EndState endState(Yard yard, Run run) {
		int number = run.number();
		long batch = batch(number);
		String manifest = manifest(number);
		EndState state = new EndState();
		state.add(EndState.ROWS,
				normalise(number,
						yard.lines("SELECT 'painting', canvas_id, canvas_order, asset_id,"
								+ " thumbnail, static_width, static_height, ingesting, error FROM canvas_paintings"
								+ " WHERE manifest_id = ? AND customer_id = ?", manifest, CUSTOMER)));
		state.add(EndState.ROWS, normalise(number, yard.lines(
				"SELECT 'asset', asset_id, width, height, ingesting, error" + " FROM batch_assets WHERE batch_id = ?",
				batch)));
		state.add(EndState.ROWS,
				normalise(number, yard.lines("SELECT 'canvas', asset_id, canvas_id, thumbnail, width, height,"
						+ " canvas_json FROM batch_canvases WHERE batch_id = ?", batch)));
		state.add(EndState.ROWS, yard.lines(
				"SELECT 'batch', status, finished IS NOT NULL, processed IS NOT NULL FROM batches" + " WHERE id = ?",
				batch));
		state.add(EndState.ROWS,
				yard.lines(
						"SELECT 'manifest', last_processed IS NOT NULL FROM manifests WHERE id = ? AND customer_id = ?",
						manifest, CUSTOMER));
		state.add(EndState.BLOBS, blobLines(number));
		List<String> executions = Campaign.executions(yard, run);
		state.add(EndState.COUNTS, Campaign.stepCounts(yard, String.join(",", executions)));
		state.add(EndState.REPORT, normalise(number, Campaign.lastExit(yard, executions)));
		return state;
	}

	/**
	 * Every stored object of the run's manifest, staged or published, with its bytes'
	 * digest.
	 */
	private List<String> blobLines(int run) {
		List<String> lines = new ArrayList<>();
		for (S3Object object : this.s3.listObjectsV2Paginator((request) -> request.bucket(BUCKET)).contents()) {
			if (!object.key().endsWith("/" + manifest(run))) {
				continue;
			}
			String bytes = this.s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(object.key()))
				.asUtf8String();
			lines.add(normalise(run, List.of(object.key())).get(0) + "|"
					+ EndState.sha256(normalise(run, List.of(bytes)).get(0)));
		}
		return lines;
	}

	private static List<String> normalise(int run, List<String> lines) {
		String prefix = String.format("r%04d-", run);
		return lines.stream()
			.map((line) -> line.replace(manifest(run), "MANIFEST")
				.replace(prefix, "R-")
				.replace(Long.toString(batch(run)), "BATCH"))
			.toList();
	}

	@Override
	public List<Fault> faults(Yard yard) {
		return yard.postgresql()
				? List.of(Fault.DLCS_STORM, Fault.BLOB_STORE_ERRORS, Fault.DATABASE_CONNECTIONS_DROPPED)
				: List.of(Fault.DLCS_STORM, Fault.BLOB_STORE_ERRORS);
	}

	@Override
	public void fault(Fault fault, boolean on) {
		if (fault == Fault.BLOB_STORE_ERRORS) {
			if (on) {
				this.store.errors();
			}
			else {
				this.store.up();
			}
			return;
		}
		if (fault != Fault.DLCS_STORM) {
			return;
		}
		if (on) {
			this.storm = this.dlcs.stubFor(any(anyUrl()).atPriority(1)
				.willReturn(aResponse().withStatus(503).withBody("{\"error\":\"campaign: DLCS storm\"}")));
		}
		else if (this.storm != null) {
			this.dlcs.removeStub(this.storm);
			this.storm = null;
		}
	}

	@Override
	public void close() {
		this.dlcs.stop();
		this.store.close();
		this.s3.close();
	}

}
