package io.batchyard.jobs.support;

/**
 * Describes skipped items for the record. Each job knows where its items come from and
 * what identifies them; the defaults use the exception's message and the item's
 * {@code toString}.
 *
 * @param <T> the type read
 * @param <S> the type written
 */
public interface SkippedItemDescriber<T, S> {

	/**
	 * A read that failed: there is no item, only the exception (which usually knows the
	 * position, like a parse exception's line number).
	 * @param failure why the read failed
	 * @return the description
	 */
	default SkippedItem describeRead(Throwable failure) {
		return new SkippedItem(null, null, SkippedItemDescriber.reason(failure));
	}

	/**
	 * An item the processor rejected.
	 * @param item the item
	 * @param failure why
	 * @return the description
	 */
	default SkippedItem describeProcess(T item, Throwable failure) {
		return new SkippedItem(null, String.valueOf(item), SkippedItemDescriber.reason(failure));
	}

	/**
	 * An item the writer could not write.
	 * @param item the item
	 * @param failure why
	 * @return the description
	 */
	default SkippedItem describeWrite(S item, Throwable failure) {
		return new SkippedItem(null, String.valueOf(item), SkippedItemDescriber.reason(failure));
	}

	/**
	 * The exception's message, or its type when it has none.
	 * @param failure the exception
	 * @return the reason
	 */
	static String reason(Throwable failure) {
		String message = failure.getMessage();
		return (message != null && !message.isBlank()) ? message : failure.getClass().getName();
	}

}
