package io.batchyard.readers.sns;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes message bodies to one SNS topic. Failed calls are retried by the SDK's retry
 * policy; what still fails is thrown.
 */
public class SnsPublisher {

	private final SnsClient client;

	private final String topicArn;

	SnsPublisher(SnsClient client, String topicArn) {
		this.client = client;
		this.topicArn = topicArn;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Publishes one message.
	 * @param body the body
	 * @return the SNS message id
	 */
	public String publish(String body) {
		return this.client.publish(PublishRequest.builder().topicArn(this.topicArn).message(body).build()).messageId();
	}

	public String getTopicArn() {
		return this.topicArn;
	}

	/**
	 * Builds an {@link SnsPublisher}.
	 */
	public static final class Builder {

		private SnsClient client;

		private String topicArn;

		private Builder() {
		}

		public Builder client(SnsClient client) {
			this.client = client;
			return this;
		}

		public Builder topicArn(String topicArn) {
			this.topicArn = topicArn;
			return this;
		}

		public SnsPublisher build() {
			Assert.notNull(this.client, "An SnsClient is required");
			Assert.state(StringUtils.hasText(this.topicArn), "A topic ARN is required");
			return new SnsPublisher(this.client, this.topicArn);
		}

	}

}
