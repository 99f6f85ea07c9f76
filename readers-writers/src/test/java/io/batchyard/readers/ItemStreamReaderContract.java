package io.batchyard.readers;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restart contract every stateful reader passes (after spring-batch's
 * {@code AbstractItemStreamItemReaderTests}): read some, {@code update}, a new instance,
 * {@code open} with that ExecutionContext, and it continues with the next item; reading
 * to the end the same way gives exactly the items of one uninterrupted read.
 *
 * @param <T> the item type
 */
public abstract class ItemStreamReaderContract<T> {

	/**
	 * A new reader over the same input, not yet open.
	 * @return the reader
	 */
	protected abstract ItemStreamReader<T> newReader();

	/**
	 * How many items the input holds (at least 3).
	 * @return the count
	 */
	protected abstract int itemCount();

	@Test
	void restartContinuesWithTheNextItem() throws Exception {
		List<T> uninterrupted = readAll(newReader(), new ExecutionContext());
		assertThat(uninterrupted).hasSize(itemCount());
		for (int stopAfter = 0; stopAfter <= itemCount(); stopAfter++) {
			ExecutionContext context = new ExecutionContext();
			ItemStreamReader<T> first = newReader();
			first.open(context);
			List<T> read = new ArrayList<>();
			for (int i = 0; i < stopAfter; i++) {
				read.add(first.read());
			}
			first.update(context);
			first.close();
			read.addAll(readAll(newReader(), context));
			assertThat(read).as("stopped after %d", stopAfter).isEqualTo(uninterrupted);
		}
	}

	@Test
	void anUpdateWithoutReadsChangesNothing() throws Exception {
		ExecutionContext context = new ExecutionContext();
		ItemStreamReader<T> reader = newReader();
		reader.open(context);
		T first = reader.read();
		reader.update(context);
		reader.update(context);
		reader.close();
		ItemStreamReader<T> restarted = newReader();
		restarted.open(context);
		T second = restarted.read();
		restarted.close();
		assertThat(second).isNotNull().isNotEqualTo(first);
	}

	private List<T> readAll(ItemStreamReader<T> reader, ExecutionContext context) throws Exception {
		reader.open(context);
		List<T> items = new ArrayList<>();
		for (T item = reader.read(); item != null; item = reader.read()) {
			items.add(item);
		}
		reader.update(context);
		reader.close();
		return items;
	}

}
