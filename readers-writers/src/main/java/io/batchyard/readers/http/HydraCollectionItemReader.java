package io.batchyard.readers.http;

import java.net.URI;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import org.springframework.util.Assert;

/**
 * Reads the {@code member} array of a Hydra collection, page after page, following
 * {@code view.next} (as the DLCS API pages its collections). Keeps the URL of the current
 * page and the position in it in the {@link ExecutionContext}, so a restart fetches only
 * the page it stopped in and continues after the last item committed.
 */
public class HydraCollectionItemReader extends ItemStreamSupport implements ItemStreamReader<JsonNode> {

	static final String PAGE_KEY = "page";

	static final String INDEX_KEY = "index";

	private final JsonHttpClient client;

	private final String call;

	private final URI firstPage;

	private final boolean saveState;

	private URI page;

	private JsonNode members;

	private URI next;

	private int index;

	// Protected, not private: a step-scoped bean is proxied by subclassing.
	protected HydraCollectionItemReader(Builder builder) {
		this.client = builder.client;
		this.call = builder.call;
		this.firstPage = builder.firstPage;
		this.saveState = builder.saveState;
		if (builder.name != null) {
			setName(builder.name);
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public void open(ExecutionContext executionContext) throws ItemStreamException {
		URI start = this.firstPage;
		int skip = 0;
		if (this.saveState && executionContext.containsKey(getExecutionContextKey(PAGE_KEY))) {
			start = URI.create(executionContext.getString(getExecutionContextKey(PAGE_KEY)));
			skip = executionContext.getInt(getExecutionContextKey(INDEX_KEY));
		}
		load(start);
		this.index = skip;
	}

	@Override
	public JsonNode read() {
		while (this.members != null && this.index >= this.members.size()) {
			if (this.next == null) {
				return null;
			}
			load(this.next);
		}
		if (this.members == null) {
			return null;
		}
		return this.members.get(this.index++);
	}

	@Override
	public void update(ExecutionContext executionContext) throws ItemStreamException {
		if (this.saveState && this.page != null) {
			executionContext.putString(getExecutionContextKey(PAGE_KEY), this.page.toString());
			executionContext.putInt(getExecutionContextKey(INDEX_KEY), this.index);
		}
	}

	@Override
	public void close() throws ItemStreamException {
		this.members = null;
		this.next = null;
		this.page = null;
		this.index = 0;
	}

	private void load(URI uri) {
		JsonNode collection = this.client.get(this.call, uri);
		JsonNode member = collection.path("member");
		if (!member.isMissingNode() && !member.isNull() && !member.isArray()) {
			throw new ItemStreamException(this.call + " GET " + uri + ": 'member' is not an array");
		}
		this.page = uri;
		this.members = member.isArray() ? member : JsonMapper.shared().createArrayNode();
		this.index = 0;
		String nextPage = collection.path("view").path("next").asString(null);
		this.next = (nextPage == null || nextPage.isBlank()) ? null : uri.resolve(nextPage);
	}

	/**
	 * Builds a {@link HydraCollectionItemReader}.
	 */
	public static final class Builder {

		private JsonHttpClient client;

		private String call;

		private URI firstPage;

		private String name;

		private boolean saveState = true;

		private Builder() {
		}

		public Builder client(JsonHttpClient client) {
			this.client = client;
			return this;
		}

		/**
		 * What the call is, for messages.
		 * @param call for example {@code "DLCS API batch assets"}
		 * @return this builder
		 */
		public Builder call(String call) {
			this.call = call;
			return this;
		}

		public Builder firstPage(URI firstPage) {
			this.firstPage = firstPage;
			return this;
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder saveState(boolean saveState) {
			this.saveState = saveState;
			return this;
		}

		public HydraCollectionItemReader build() {
			Assert.notNull(this.client, "A JsonHttpClient is required");
			Assert.hasText(this.call, "A call name is required");
			Assert.notNull(this.firstPage, "The first page's URL is required");
			if (this.saveState) {
				Assert.hasText(this.name, "A name is required when saveState is set to true");
			}
			return new HydraCollectionItemReader(this);
		}

	}

}
