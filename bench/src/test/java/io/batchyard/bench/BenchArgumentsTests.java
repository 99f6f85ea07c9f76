package io.batchyard.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The benchmarks' positional numbers: refused by name, never a stack trace.
 */
class BenchArgumentsTests {

	@Test
	void positionalNumbersAreCheckedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchArguments.count("abc", "lines", 0))
			.withMessage("lines must be a whole number, not abc");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchArguments.count("-5", "lines", 0))
			.withMessage("lines must be at least 0, not -5");
		assertThat(BenchArguments.count("0", "lines", 0)).isZero();
		assertThat(new BenchArguments("B", "usage", new String[0], 3).count(1, "chunk size", 1000, 1)).isEqualTo(1000);
		assertThat(new BenchArguments("B", "usage", new String[] { "7" }, 3).count(0, "lines", 1, 0)).isEqualTo(7);
	}

}
