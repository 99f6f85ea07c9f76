package io.batchyard.jobs.manifestupdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * WireMock serving the recorded DLCS responses of {@code sample-data/manifest-update}:
 * the API's two pages of batch 1001's assets and the Orchestrator's named-query manifest.
 */
final class DlcsStandIn {

	static final Path SAMPLE_DATA = Path.of("..", "sample-data", "manifest-update");

	static final String ASSETS = "/api/customers/2/queue/batches/1001/assets";

	static final String NAMED_QUERY = "/orchestrator/iiif-resource/v3/2/manifest-query/sample-manifest";

	private DlcsStandIn() {
	}

	static String sample(String path) {
		try {
			return Files.readString(SAMPLE_DATA.resolve(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void serve(WireMockExtension dlcs) {
		String api = dlcs.baseUrl() + "/api/";
		dlcs.stubFor(json(
				get(urlPathEqualTo(ASSETS)).withQueryParam("page", absent())
					.withHeader("Authorization", matching("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+")),
				sample("dlcs/api/batch-1001-assets-page-1.json").replace("${dlcsApi}", api)));
		dlcs.stubFor(json(
				get(urlPathEqualTo(ASSETS)).withQueryParam("page", equalTo("2"))
					.withHeader("Authorization", matching("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+")),
				sample("dlcs/api/batch-1001-assets-page-2.json").replace("${dlcsApi}", api)));
		serveNamedQuery(dlcs, sample("dlcs/orchestrator/manifest-query-sample-manifest.json"));
	}

	static void serveNamedQuery(WireMockExtension dlcs, String body) {
		dlcs.stubFor(json(namedQuery(), body));
	}

	static MappingBuilder namedQuery() {
		return get(urlPathEqualTo(NAMED_QUERY)).withQueryParam("cacheBust", matching("\\d+"));
	}

	private static MappingBuilder json(MappingBuilder request, String body) {
		return request
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
	}

}
