package io.batchyard.readers.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The restart contract: read some, {@code update}, a new instance, {@code open}, and it
 * continues with the next item, fetching only the page it stopped in.
 */
class HydraCollectionItemReaderTests {

	@RegisterExtension
	static WireMockExtension server = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@BeforeEach
	void pages() {
		server.stubFor(get(urlPathEqualTo("/c")).withQueryParam("page", absent())
			.willReturn(okJson("{\"@type\":\"Collection\",\"member\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
					+ "\"view\":{\"next\":\"" + server.baseUrl() + "/c?page=2\"}}")));
		server.stubFor(get(urlPathEqualTo("/c")).withQueryParam("page", equalTo("2"))
			.willReturn(
					okJson("{\"@type\":\"Collection\",\"member\":[{\"id\":\"c\"}],\"view\":{\"next\":\"c?page=3\"}}")));
		server.stubFor(get(urlPathEqualTo("/c")).withQueryParam("page", equalTo("3"))
			.willReturn(okJson("{\"@type\":\"Collection\",\"member\":[],\"view\":{}}")));
	}

	private HydraCollectionItemReader reader() {
		return HydraCollectionItemReader.builder()
			.name("assets")
			.client(JsonHttpClient.builder().build())
			.call("test collection")
			.firstPage(URI.create(server.baseUrl() + "/c"))
			.build();
	}

	@Test
	void readsEveryPage() {
		HydraCollectionItemReader reader = reader();
		reader.open(new ExecutionContext());

		assertThat(readAll(reader)).containsExactly("a", "b", "c");
	}

	@Test
	void restartsAfterTheLastSavedItemFromItsPage() {
		ExecutionContext context = new ExecutionContext();
		HydraCollectionItemReader first = reader();
		first.open(context);
		assertThat(first.read().path("id").asString()).isEqualTo("a");
		assertThat(first.read().path("id").asString()).isEqualTo("b");
		assertThat(first.read().path("id").asString()).isEqualTo("c");
		first.update(context);
		first.close();
		server.resetRequests();

		HydraCollectionItemReader second = reader();
		second.open(context);

		assertThat(readAll(second)).isEmpty();
		assertThat(context.getString("assets.page")).isEqualTo(server.baseUrl() + "/c?page=2");
		assertThat(context.getInt("assets.index")).isEqualTo(1);
		assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/c")))).extracting((r) -> r.getUrl())
			.containsExactly("/c?page=2", "/c?page=3");
	}

	@Test
	void restartsInTheMiddleOfAPage() {
		ExecutionContext context = new ExecutionContext();
		HydraCollectionItemReader first = reader();
		first.open(context);
		first.read();
		first.update(context);
		first.close();

		HydraCollectionItemReader second = reader();
		second.open(context);

		assertThat(readAll(second)).containsExactly("b", "c");
	}

	@Test
	void requiresANameToSaveState() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HydraCollectionItemReader.builder()
				.client(JsonHttpClient.builder().build())
				.call("x")
				.firstPage(URI.create("http://127.0.0.1/"))
				.build())
			.withMessage("A name is required when saveState is set to true");
	}

	private static List<String> readAll(HydraCollectionItemReader reader) {
		List<String> ids = new ArrayList<>();
		for (JsonNode item = reader.read(); item != null; item = reader.read()) {
			ids.add(item.path("id").asString());
		}
		return ids;
	}

}
